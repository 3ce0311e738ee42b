import Synchronization

/// One watchdog for the whole process: calls each registered action once its deadline has passed, unless it was
/// withdrawn first. ``withTimeLimit(_:_:)`` registers every handled message here instead of starting a timer task
/// and a sleep of its own (issue 19: two tasks, a sleep and a stream a message, and a wake-up when the timer was
/// cancelled).
///
/// Its one task runs only while something is registered, and sleeps until the earliest deadline, but never longer
/// than `tick`: a deadline registered while it sleeps may fire up to `tick` late.
public final class Deadlines: Sendable {
    public static let shared = Deadlines(tick: .seconds(1))

    /// What ``watch(until:_:)`` hands back, to withdraw the action.
    public struct Ticket: Sendable, Hashable {
        fileprivate let id: UInt64
    }

    private struct Entry {
        var deadline: ContinuousClock.Instant
        var action: @Sendable () -> Void
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextId: UInt64 = 0
        var watching = false
    }

    private let tick: Duration
    private let state = Mutex(State())

    public init(tick: Duration) {
        self.tick = tick
    }

    /// Calls `action` once `deadline` has passed (within `tick`), unless ``withdraw(_:)`` came first.
    public func watch(until deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> Ticket {
        let (ticket, start) = state.withLock { state -> (Ticket, Bool) in
            let id = state.nextId
            state.nextId &+= 1
            state.entries[id] = Entry(deadline: deadline, action: action)
            let start = !state.watching
            state.watching = true
            return (Ticket(id: id), start)
        }
        if start { Task.detached { await self.watchWhileRegistered() } }
        return ticket
    }

    /// Withdraws the action; it will not be called (unless it is being called already).
    public func withdraw(_ ticket: Ticket) {
        _ = state.withLock { $0.entries.removeValue(forKey: ticket.id) }
    }

    /// How many actions wait for their deadline.
    public var registered: Int { state.withLock { $0.entries.count } }

    private func watchWhileRegistered() async {
        while true {
            let now = ContinuousClock.now
            let (due, earliest) = state.withLock { state -> ([@Sendable () -> Void], ContinuousClock.Instant?) in
                var due: [@Sendable () -> Void] = []
                var earliest: ContinuousClock.Instant?
                for (id, entry) in state.entries {
                    if entry.deadline <= now {
                        due.append(entry.action)
                        state.entries[id] = nil
                    } else if earliest.map({ entry.deadline < $0 }) ?? true {
                        earliest = entry.deadline
                    }
                }
                if earliest == nil { state.watching = false }
                return (due, earliest)
            }
            for action in due { action() }
            guard let earliest else { return }
            try? await Task.sleep(for: min(earliest - now, tick))
        }
    }
}
