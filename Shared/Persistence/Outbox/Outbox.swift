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
    /// The schema's slot, for statements of the store's own that write an outbox row with what they write (``row(_:traceparent:)``).
    package let slot: any SchemaSlot.Type

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
        try await Self.insert(in: slot, try row(envelope, traceparent: traceparent), on: connection, logger: logger)
    }

    /// `envelope` as the outbox row ``enqueue(_:traceparent:on:logger:)`` writes, for a statement that writes it
    /// itself together with the state change, in one round trip (``OutboxRow/insertSQL(schema:selecting:)``).
    package func row<Payload>(_ envelope: EventEnvelope<Payload>, traceparent: String? = nil) throws -> OutboxRow {
        OutboxRow(
            messageId: envelope.messageId, type: envelope.type, routingKey: envelope.routingKey,
            body: ByteBuffer(bytes: try EnvelopeCoding.encode(envelope)), traceparent: traceparent ?? TraceParent.current())
    }

    private static func insert<Slot: SchemaSlot>(in _: Slot.Type, _ row: OutboxRow, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(OutboxInsert<Slot>(row: row), logger: logger)
    }
}
