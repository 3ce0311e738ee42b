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
/// publish one for a change that was rolled back. Each row is noted in the running ``OutboxWrites`` scope, which
/// wakes this process's relay when the work ends.
public struct Outbox: Sendable {
    public let schema: SchemaName
    /// The schema's slot, for statements of the store's own that write an outbox row with what they write (``row(_:traceparent:)``).
    package let slot: any SchemaSlot.Type
    private let signal: OutboxSignal

    public init(schema: SchemaName) {
        self.schema = schema
        self.slot = SchemaSlots.slot(for: schema)
        self.signal = OutboxSignal.signal(for: schema)
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

    /// Wakes the relays of every process (`NOTIFY <schema>_outbox`), for rows a process without a relay of the schema
    /// wrote (a tool): sent after their commit. A service's own writes ring its relay in memory instead.
    public func wakeRelays(client: PostgresClient, logger: Logger) async throws {
        try await client.query(PostgresQuery(unsafeSQL: "NOTIFY \(schema.outboxChannel)"), logger: logger)
    }

    /// Notes a row about to be written in the current ``OutboxWrites`` scope. Outside one, while a relay of this
    /// process listens, the row would wait for the relay's polling: in a service process
    /// (``OutboxWrites/requireScopes()``) a programming error the debug builds trap.
    private func noteWrite() {
        let noted = OutboxWrites.note(schema, signal: signal)
        assert(
            noted || !OutboxWrites.areRequired || !signal.isHeard,
            "an outbox row of \(schema) written outside OutboxWrites.announcing: its relay would not be woken")
    }

    /// `envelope` as the outbox row ``enqueue(_:traceparent:on:logger:)`` writes, for a statement that writes it
    /// itself together with the state change, in one round trip (``OutboxRow/insertSQL(schema:selecting:)``).
    package func row<Payload>(_ envelope: EventEnvelope<Payload>, traceparent: String? = nil) throws -> OutboxRow {
        noteWrite()
        return OutboxRow(
            messageId: envelope.messageId, type: envelope.type, routingKey: envelope.routingKey,
            body: ByteBuffer(bytes: try EnvelopeCoding.encode(envelope)), traceparent: traceparent ?? TraceParent.current())
    }

    private static func insert<Slot: SchemaSlot>(in _: Slot.Type, _ row: OutboxRow, on connection: PostgresConnection, logger: Logger) async throws {
        try await connection.run(OutboxInsert<Slot>(row: row), logger: logger)
    }
}
