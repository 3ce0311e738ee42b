public import Foundation
public import Logging
public import PostgresNIO

/// The outbox rows a relay gave up on (the broker refused them `maximumAttempts` times), for an operator: list them,
/// and once the cause is fixed (a missing binding, say) send them again. Used by `avtalctl outbox`.
public struct FailedOutboxRows: Sendable {
    public struct Row: Sendable, Equatable {
        public var id: Int64
        public var messageId: UUID
        public var type: String
        public var routingKey: String
        public var attempts: Int
        public var lastError: String?
        public var failedAt: Date
    }

    let schema: SchemaName
    let logger: Logger

    public init(schema: SchemaName, logger: Logger) {
        self.schema = schema
        self.logger = logger
    }

    /// Up to `limit` failed rows, oldest first. Never a body: it may hold personal data.
    public func list(limit: Int = 100, client: PostgresClient) async throws -> [Row] {
        let rows = try await client.query(
            """
            SELECT id, message_id, message_type, routing_key, attempts, last_error, failed_at FROM \(unescaped: schema.name).outbox
            WHERE failed_at IS NOT NULL ORDER BY id LIMIT \(limit)
            """, logger: logger)
        var found: [Row] = []
        for try await (id, messageId, type, key, attempts, error, failedAt) in rows.decode((Int64, UUID, String, String, Int, String?, Date).self) {
            found.append(Row(id: id, messageId: messageId, type: type, routingKey: key, attempts: attempts, lastError: error, failedAt: failedAt))
        }
        return found
    }

    /// Hands failed rows back to the relay with a fresh count: all, or the one with `id`. Returns how many.
    @discardableResult
    public func retry(id: Int64? = nil, client: PostgresClient) async throws -> Int {
        let rows = try await client.query(
            """
            UPDATE \(unescaped: schema.name).outbox SET failed_at = NULL, attempts = 0, next_attempt_at = now()
            WHERE failed_at IS NOT NULL AND (\(id)::bigint IS NULL OR id = \(id)) RETURNING id
            """, logger: logger)
        let count = try await rows.collect().count
        if count > 0 { try await Outbox(schema: schema).wakeRelays(client: client, logger: logger) }
        return count
    }
}
