import AvtalDomain
import Foundation
public import Logging
import NIOCore
public import PostgresNIO
import Synchronization

/// The partners and their API keys in `partner_api`. Authenticating a key is one indexed lookup by its digest; the
/// answer is kept for ``cacheLifetime`` so a busy partner does not cost a query per request (a revoked key or a
/// disabled partner stops working within that time; a webhook registered on another replica counts for `received` within
/// that time too, on this one at once: ``forget(_:)``).
public final class PartnerDirectory: Sendable {
    public static let cacheLifetime: Duration = .seconds(10)

    private let client: PostgresClient
    private let logger: Logger
    private let cache = Mutex<[[UInt8]: (partner: Partner?, until: ContinuousClock.Instant)]>([:])

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The enabled partner holding this unrevoked key, or nil.
    public func authenticate(_ key: APIKey) async throws -> Partner? {
        let digest = key.digest
        let now = ContinuousClock.now
        if let hit = cache.withLock({ $0[digest] }), hit.until > now { return hit.partner }
        let rows = try await client.query(
            """
            SELECT p.id, p.name, p.channel, p.requests_per_minute, p.enabled,
                EXISTS (SELECT 1 FROM partner_api.webhooks w WHERE w.partner_id = p.id)
            FROM partner_api.api_keys k JOIN partner_api.partners p ON p.id = k.partner_id
            WHERE k.digest = \(ByteBuffer(bytes: digest)) AND k.revoked_at IS NULL AND p.enabled
            """,
            logger: logger
        )
        var found: Partner?
        for try await (id, name, channel, perMinute, enabled, hasWebhook) in rows.decode((String, String, String, Int, Bool, Bool).self) {
            found = Partner(
                id: id, name: name, channel: SalesChannel(rawValue: channel) ?? .partner, requestsPerMinute: perMinute, enabled: enabled,
                hasWebhook: hasWebhook)
        }
        let answer = found
        cache.withLock {
            if $0.count > 10_000 { $0.removeAll() }
            $0[digest] = (answer, now + Self.cacheLifetime)
        }
        return answer
    }

    /// Forgets what is remembered of `partnerId`'s keys, after a change to it (its webhook registered or removed).
    public func forget(_ partnerId: String) {
        cache.withLock { $0 = $0.filter { $0.value.partner?.id != partnerId } }
    }

    // MARK: Administration (avtalctl partner …, make up's demo partner)

    /// Creates the partner, or updates its name, channel and rate limit when it exists.
    public static func upsert(_ partner: Partner, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO partner_api.partners (id, name, channel, requests_per_minute, enabled)
            VALUES (\(partner.id), \(partner.name), \(partner.channel.rawValue), \(partner.requestsPerMinute), \(partner.enabled))
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, channel = excluded.channel,
                requests_per_minute = excluded.requests_per_minute, enabled = excluded.enabled
            """,
            logger: logger
        )
    }

    /// Adds `key` to the partner's active keys (several may be active at once, for rotation).
    public static func add(_ key: APIKey, to partnerId: String, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            INSERT INTO partner_api.api_keys (digest, partner_id, prefix) VALUES (\(ByteBuffer(bytes: key.digest)), \(partnerId), \(key.prefix))
            ON CONFLICT (digest) DO NOTHING
            """,
            logger: logger
        )
    }

    /// Revokes every key of the partner that starts with `prefix`; answers how many.
    public static func revoke(prefix: String, of partnerId: String, on connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            """
            UPDATE partner_api.api_keys SET revoked_at = now()
            WHERE partner_id = \(partnerId) AND prefix = \(prefix) AND revoked_at IS NULL RETURNING prefix
            """,
            logger: logger
        )
        var count = 0
        for try await _ in rows { count += 1 }
        return count
    }
}
