public import Logging
public import PostgresNIO
import Synchronization

/// Each partner's rate limit, one token bucket per partner held in the database (`partner_api.rate_buckets`), so the
/// limit holds across every partner-api replica: a partner may send its whole minute's allowance at once, then one
/// request per (60 / limit) seconds. One statement per lease, on an unlogged table, by the database's clock.
///
/// A replica takes up to a second's worth of a partner's tokens at a time (``leaseSize(perMinute:)``, at most 50) and
/// spends them locally for up to ``leaseLifetime``; what it has not spent by then is dropped, never given back. So the
/// replicas together never admit more than the bucket holds, and a busy partner costs one statement per lease instead
/// of one per request. A partner allowed under 120 requests a minute leases one token at a time: every request asks
/// the shared bucket, as before leases.
public struct RateLimiter: Sendable {
    public enum Decision: Equatable, Sendable {
        case allowed
        /// Whole seconds until a request will be allowed again (at least 1).
        case limited(retryAfter: Int)
    }

    /// How long a replica may spend tokens it took before they lapse.
    public static let leaseLifetime: Duration = .seconds(1)

    private let client: PostgresClient
    private let logger: Logger
    private let leases = Leases()

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Tokens taken from the shared bucket at once: a second's refill, at least 1 and at most 50.
    public static func leaseSize(perMinute: Int) -> Int { min(50, max(1, perMinute / 60)) }

    public func admit(partner: String, perMinute: Int) async throws -> Decision {
        if leases.spend(partner, now: .now) { return .allowed }
        let capacity = Double(max(1, perMinute))
        let perSecond = capacity / 60
        // `refilled`: the old tokens plus what flowed in since, at most the capacity; `take`: the lease, as many of
        // its whole tokens as there are (none when under one).
        // Every parameter cast: the statement's types do not depend on what the driver declares for them.
        let refilled = "LEAST($2::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at)::float8) * $3::float8)"
        let take = "CASE WHEN \(refilled) >= 1 THEN LEAST($4::float8, floor(\(refilled))) ELSE 0 END"
        let sql = """
            INSERT INTO partner_api.rate_buckets AS b (partner_id, tokens, allowed, taken, updated_at)
            VALUES ($1, $2::float8 - LEAST($4::float8, $2::float8), true, LEAST($4::float8, $2::float8)::int, now())
            ON CONFLICT (partner_id) DO UPDATE SET
                tokens = \(refilled) - \(take),
                allowed = \(refilled) >= 1,
                taken = (\(take))::int,
                updated_at = now()
            RETURNING tokens, taken
            """
        var bindings = PostgresBindings()
        bindings.append(partner)
        bindings.append(capacity)
        bindings.append(perSecond)
        bindings.append(Double(Self.leaseSize(perMinute: perMinute)))
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        for try await (tokens, taken) in rows.decode((Double, Int).self) {
            guard taken >= 1 else { return .limited(retryAfter: max(1, Int(((1 - tokens) / perSecond).rounded(.up)))) }
            leases.add(taken - 1, to: partner, until: .now + Self.leaseLifetime)
            return .allowed
        }
        return .allowed
    }

    /// The tokens this replica holds per partner, until their lease lapses.
    final class Leases: Sendable {
        private let held = Mutex<[String: (tokens: Int, until: ContinuousClock.Instant)]>([:])

        /// Spends one of `partner`'s tokens if a lease holds one; false when it must ask the bucket.
        func spend(_ partner: String, now: ContinuousClock.Instant) -> Bool {
            held.withLock { held in
                guard let lease = held[partner], lease.until > now, lease.tokens > 0 else { return false }
                held[partner] = (lease.tokens - 1, lease.until)
                return true
            }
        }

        func add(_ tokens: Int, to partner: String, until: ContinuousClock.Instant) {
            guard tokens > 0 else { return }
            held.withLock { held in
                // Tokens of a lease that lapsed are gone; of one still running (leased at the same moment), kept.
                let running = held[partner].flatMap { $0.until > .now ? $0.tokens : nil } ?? 0
                if held.count > 10_000 { held = held.filter { $0.value.until > .now } }
                held[partner] = (running + tokens, until)
            }
        }
    }
}
