import Synchronization

/// Wakes the one task waiting on it: rung by a `LISTEN` notification, waited on with a timeout as the polling
/// fallback. A ring while nobody waits is remembered (once), so a ring between two waits is never missed; at worst
/// a ring or a timeout that races the end of a wait causes one extra, harmless, early wake-up.
public final class Doorbell: Sendable {
    private struct State {
        /// What happened while nobody waited: rung (`true`), or timed out or cancelled (`false`); a ring wins.
        var remembered: Bool?
        var waiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())

    public init() {}

    public func ring() { wake(rung: true) }

    private func wake(rung: Bool) {
        let waiter = state.withLock { state -> CheckedContinuation<Bool, Never>? in
            guard let waiter = state.waiter else {
                state.remembered = rung || state.remembered == true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: rung)
    }

    /// Returns when rung (`true`), or when `timeout` has passed or the task is cancelled (`false`), whichever comes
    /// first. Only one task may wait at a time.
    @discardableResult
    public func wait(upTo timeout: Duration) async -> Bool {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                do {
                    try await Task.sleep(for: timeout)
                    wake(rung: false)
                } catch {}
            }
            let rung = await withTaskCancellationHandler {
                await withCheckedContinuation { continuation in
                    let remembered = state.withLock { state -> Bool? in
                        defer { state.remembered = nil }
                        if state.remembered == nil { state.waiter = continuation }
                        return state.remembered
                    }
                    if let remembered { continuation.resume(returning: remembered) }
                }
            } onCancel: {
                wake(rung: false)
            }
            group.cancelAll()
            return rung
        }
    }
}
