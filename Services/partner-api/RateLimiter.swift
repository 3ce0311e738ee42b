public import Logging
public import PostgresNIO

/// Each partner's rate limit, one token bucket per partner held in the database (`partner_api.rate_buckets`), so the
/// limit holds across every partner-api replica: a partner may send its whole minute's allowance at once, then one
/// request per (60 / limit) seconds. One statement per request, on an unlogged table, by the database's clock.
public struct RateLimiter: Sendable {
    public enum Decision: Equatable, Sendable {
        case allowed
        /// Whole seconds until a request will be allowed again (at least 1).
        case limited(retryAfter: Int)
    }

    private let client: PostgresClient
    private let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func admit(partner: String, perMinute: Int) async throws -> Decision {
        let capacity = Double(max(1, perMinute))
        let perSecond = capacity / 60
        // `refilled`: the old tokens plus what flowed in since, at most the capacity; a request takes one if there is one.
        let refilled = "LEAST($2, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM now() - b.updated_at)::float8) * $3)"
        let sql = """
            INSERT INTO partner_api.rate_buckets AS b (partner_id, tokens, allowed, updated_at) VALUES ($1, $2 - 1, true, now())
            ON CONFLICT (partner_id) DO UPDATE SET
                tokens = \(refilled) - CASE WHEN \(refilled) >= 1 THEN 1 ELSE 0 END,
                allowed = \(refilled) >= 1,
                updated_at = now()
            RETURNING tokens, allowed
            """
        var bindings = PostgresBindings()
        bindings.append(partner)
        bindings.append(capacity)
        bindings.append(perSecond)
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        for try await (tokens, allowed) in rows.decode((Double, Bool).self) {
            return allowed ? .allowed : .limited(retryAfter: max(1, Int(((1 - tokens) / perSecond).rounded(.up))))
        }
        return .allowed
    }
}
