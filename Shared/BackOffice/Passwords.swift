import HummingbirdBcrypt
import NIOPosix
import Synchronization

/// bcrypt (hummingbird-auth) off the event loops, at most two at a time: a check costs tens to hundreds of
/// milliseconds by design, and a flood of logins must wait its turn rather than take every thread other requests need.
public enum Passwords {
    public static let defaultCost: UInt8 = 12

    /// How many bcrypt computations run at once, in this process.
    static let slots = CheckSlots(2)

    public static func hash(_ password: String, cost: UInt8 = defaultCost) async throws -> String {
        try await slots.run { try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) } }
    }

    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await slots.run { try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) } }
    }

    /// A password a person may choose: 12 to 128 characters.
    public static func isAcceptable(_ password: String) -> Bool { (12...128).contains(password.count) }
}

/// A counting semaphore for async work: `run` waits (suspended, no thread held) until one of `count` slots is free.
final class CheckSlots: Sendable {
    private struct State {
        var free: Int
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(_ count: Int) {
        state = Mutex(State(free: count))
    }

    func run<T: Sendable>(_ work: () async throws -> T) async throws -> T {
        await acquire()
        defer { release() }
        return try await work()
    }

    private func acquire() async {
        await withCheckedContinuation { continuation in
            let granted = state.withLock { state -> Bool in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiting.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiting.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiting.removeFirst()
        }
        next?.resume()
    }
}
