import Synchronization

/// At most `attempts` failed logins per username within `window`, in this process; then `429` until the window
/// has passed. A success clears the count.
public final class LoginThrottle: Sendable {
    let attempts: Int
    let window: Duration
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])

    public init(attempts: Int = 5, window: Duration = .seconds(900)) {
        self.attempts = attempts
        self.window = window
    }

    public func isBlocked(_ username: String, now: ContinuousClock.Instant = .now) -> Bool {
        failures.withLock { $0[username, default: []].filter { now - $0 < window }.count >= attempts }
    }

    public func failed(_ username: String, now: ContinuousClock.Instant = .now) {
        failures.withLock { failures in
            if failures.count > 50_000 { failures.removeAll() }
            failures[username, default: []] = failures[username, default: []].filter { now - $0 < window } + [now]
        }
    }

    public func succeeded(_ username: String) {
        failures.withLock { $0[username] = nil }
    }
}
