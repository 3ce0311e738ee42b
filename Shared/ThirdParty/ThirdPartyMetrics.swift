import Metrics

/// Each attempt at a third party, counted by its outcome and timed, per system
/// (`avtal_third_party_calls_total{system,outcome}`, `avtal_third_party_call_seconds{system}`): the dashboard's
/// third-party latency and errors, and the alert on a third party's error rate. Never a path or a body.
public enum ThirdPartyMetrics {
    public enum Outcome: String, Sendable {
        /// An answer: 2xx, or a 404 that means "not found".
        case ok
        /// The third party refused what we sent (another 4xx).
        case rejected
        /// No usable answer: 5xx, 429, a timeout, a refused connection, an answer that is not what was expected.
        case error

        /// What an HTTP status says of an attempt: 2xx and 404 answered, 429 and 5xx failed, any other refused.
        public init(status: Int) {
            switch status {
            case 200..<300, 404: self = .ok
            case 429, 500..<600: self = .error
            default: self = .rejected
            }
        }
    }

    public static func record(system: String, outcome: Outcome, since started: ContinuousClock.Instant) {
        Counter(label: "avtal_third_party_calls_total", dimensions: [("system", system), ("outcome", outcome.rawValue)]).increment()
        let elapsed = (ContinuousClock.now - started).components
        Timer(label: "avtal_third_party_call_seconds", dimensions: [("system", system)])
            .recordNanoseconds(elapsed.seconds * 1_000_000_000 + elapsed.attoseconds / 1_000_000_000)
    }
}
