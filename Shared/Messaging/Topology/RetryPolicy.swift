/// How often and after how long a message whose handler failed is tried again before it is parked.
///
/// RabbitMQ 3.10 has no delayed delivery, so each delay is a tier: a queue whose message TTL dead-letters back to
/// the work queue. The attempt number travels in a header of our own (``attemptHeader``), because the broker's
/// delivery count starts again for every re-published copy.
public struct RetryPolicy: Sendable, Equatable {
    /// The header carrying how many times this message has failed so far.
    public static let attemptHeader = "x-avtal-attempt"
    /// The header carrying the last failure, shortened, for whoever looks at a delayed or parked message.
    public static let lastErrorHeader = "x-avtal-last-error"

    /// The delay before each retry: the n-th failure waits `delays[n-1]`.
    public var delays: [Duration]

    public init(delays: [Duration]) {
        self.delays = delays
    }

    /// 1 s, 10 s, 60 s: three retries within about a minute and a quarter, then parking.
    public static let standard = RetryPolicy(delays: [.seconds(1), .seconds(10), .seconds(60)])

    public enum Decision: Sendable, Equatable {
        /// Wait in delay tier `tier` (0-based), then try again as attempt `attempt`.
        case retry(tier: Int, attempt: Int)
        case park
    }

    /// What to do after a message that had failed `previousFailures` times fails again.
    public func decision(previousFailures: Int) -> Decision {
        let failures = max(previousFailures, 0) + 1
        return failures <= delays.count ? .retry(tier: failures - 1, attempt: failures) : .park
    }

    /// How many times the message in hand has failed before, read from its headers (0 when absent or malformed).
    public static func previousFailures(in headers: FieldTable) -> Int {
        Int(headers[attemptHeader]?.intValue ?? 0)
    }

    /// Whether the message in hand is on its last attempt: one more failure parks it. A handler whose call to
    /// another system keeps failing turns that failure into an outcome (MKA's, say) on this attempt instead.
    public func isLastAttempt(_ message: InboundMessage) -> Bool {
        Self.previousFailures(in: message.headers) >= delays.count
    }
}
