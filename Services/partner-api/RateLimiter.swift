import Synchronization

/// A token bucket per partner, in this process: a partner may send its whole minute's allowance at once, then one
/// request per (60 / limit) seconds. With several partner-api replicas each keeps its own buckets, so the limit
/// applies per replica (docs/partner-api.md).
public final class RateLimiter: Sendable {
    public enum Decision: Equatable, Sendable {
        case allowed
        /// Whole seconds until a request will be allowed again (at least 1).
        case limited(retryAfter: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    public init() {}

    public func admit(partner: String, perMinute: Int, now: ContinuousClock.Instant = .now) -> Decision {
        let capacity = Double(max(1, perMinute))
        let perSecond = capacity / 60
        return buckets.withLock { buckets in
            var bucket = buckets[partner] ?? Bucket(tokens: capacity, updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(capacity, bucket.tokens + max(0, seconds) * perSecond)
            bucket.updated = now
            defer { buckets[partner] = bucket }
            guard bucket.tokens >= 1 else {
                return .limited(retryAfter: max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up))))
            }
            bucket.tokens -= 1
            return .allowed
        }
    }
}
