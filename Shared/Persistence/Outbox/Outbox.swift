public import AvtalDomain
import AvtalTracing
public import Logging
import NIOCore
public import PostgresNIO

/// A service's transactional outbox: the events it wants published, written in the same transaction as the state
/// change they describe, and published afterwards by its ``OutboxRelay``.
///
/// So an event is published if and only if its state change committed: a crash can delay it, never lose it or
/// publish one for a change that was rolled back.
public struct Outbox: Sendable {
    public let schema: SchemaName

    public init(schema: SchemaName) {
        self.schema = schema
    }

    /// Adds `envelope` to the outbox inside the caller's transaction on `connection`, with the `traceparent` of the
    /// current span (tracing on), so that the event's consumers continue its trace.
    public func enqueue<Payload>(
        _ envelope: EventEnvelope<Payload>,
        traceparent: String? = nil,
        on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        let body = ByteBuffer(bytes: try EnvelopeCoding.encode(envelope))
        let traceparent = traceparent ?? TraceParent.current()
        try await connection.query(
            """
            INSERT INTO \(unescaped: schema.name).outbox (message_id, message_type, routing_key, body, traceparent)
            VALUES (\(envelope.messageId), \(envelope.type), \(envelope.routingKey), \(body), \(traceparent))
            """,
            logger: logger
        )
    }
}
