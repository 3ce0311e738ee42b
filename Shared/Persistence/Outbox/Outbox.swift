public import AvtalDomain
import AvtalTracing
import Foundation
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
    private let slot: any SchemaSlot.Type

    public init(schema: SchemaName) {
        self.schema = schema
        self.slot = SchemaSlots.slot(for: schema)
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
        try await Self.insert(
            in: slot, messageId: envelope.messageId, type: envelope.type, routingKey: envelope.routingKey, body: body, traceparent: traceparent,
            on: connection, logger: logger)
    }

    private static func insert<Slot: SchemaSlot>(
        in _: Slot.Type, messageId: UUID, type: String, routingKey: String, body: ByteBuffer, traceparent: String?,
        on connection: PostgresConnection, logger: Logger
    ) async throws {
        let row = OutboxInsert<Slot>(messageId: messageId, messageType: type, routingKey: routingKey, body: body, traceparent: traceparent)
        try await connection.run(row, logger: logger)
    }
}
