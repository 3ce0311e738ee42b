package import Foundation
package import NIOCore
package import PostgresNIO

/// An event as the outbox keeps it, before it is written.
package struct OutboxRow: Sendable {
    package var messageId: UUID
    package var type: String
    package var routingKey: String
    package var body: ByteBuffer
    package var traceparent: String?

    /// `INSERT INTO <schema>.outbox (…) SELECT <values>`: the row written by a larger statement, one of its
    /// data-modifying `WITH` parts; `values` are the five columns' expressions in this order: message id, type,
    /// routing key, body, traceparent.
    package static func insertSQL(schema: SchemaName, selecting values: String) -> String {
        "INSERT INTO \(schema).outbox (message_id, message_type, routing_key, body, traceparent) SELECT \(values)"
    }

    /// ``insertSQL(schema:selecting:)`` of any number of rows, given as four array parameters from `$first` on (ids,
    /// types, routing keys, bodies: ``PostgresBindings/appendColumns(of:)``), each row with the trace context
    /// `traceparent` (an expression), once per row of `source` (a `WITH` part: none written when it is empty).
    package static func insertSQL(schema: SchemaName, arraysFrom first: Int, traceparent: String, for source: String) -> String {
        insertSQL(
            schema: schema,
            selecting: """
                e.id, e.type, e.key, e.body, \(traceparent) FROM \(source),
                    unnest($\(first)::uuid[], $\(first + 1)::text[], $\(first + 2)::text[], $\(first + 3)::bytea[]) AS e(id, type, key, body)
                """)
    }
}

extension PostgresBindings {
    /// The row's five columns as five parameters, in ``OutboxRow/insertSQL(schema:selecting:)``'s order.
    package mutating func append(_ row: OutboxRow) {
        append(row.messageId)
        append(row.type)
        append(row.routingKey)
        append(row.body)
        append(row.traceparent)
    }

    /// The rows' ids, types, routing keys and bodies as four array parameters (``OutboxRow/insertSQL(schema:arraysFrom:traceparent:for:)``).
    package mutating func appendColumns(of rows: [OutboxRow]) {
        append(rows.map(\.messageId))
        append(rows.map(\.type))
        append(rows.map(\.routingKey))
        append(rows.map(\.body))
    }
}

/// Adds an event to the outbox.
struct OutboxInsert<Slot: SchemaSlot>: PostgresPreparedStatement {
    typealias Row = ()
    static var name: String { "avtal.outbox.insert.\(Slot.schema)" }
    static var sql: String { OutboxRow.insertSQL(schema: Slot.schema, selecting: "$1, $2, $3, $4, $5") }
    static var bindingDataTypes: [PostgresDataType] { [.uuid, .text, .text, .bytea, .text] }

    var row: OutboxRow

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(row)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// One due row as the relay reads it.
typealias OutboxDueRow = (id: Int64, messageId: UUID, type: String, routingKey: String, body: ByteBuffer, traceparent: String?, attempts: Int)

/// The relay's next batch: due rows, oldest first, locked so that another relay passes them by.
struct OutboxDueRows<Slot: SchemaSlot>: PostgresPreparedStatement {
    typealias Row = OutboxDueRow
    static var name: String { "avtal.outbox.due.\(Slot.schema)" }
    static var sql: String {
        """
        SELECT id, message_id, message_type, routing_key, body, traceparent, attempts
        FROM \(Slot.schema).outbox
        WHERE published_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
        ORDER BY id
        LIMIT $1
        FOR UPDATE SKIP LOCKED
        """
    }
    static var bindingDataTypes: [PostgresDataType] { [.int8] }

    var limit: Int

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(limit)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode((Int64, UUID, String, String, ByteBuffer, String?, Int).self)
    }
}

/// Marks rows the broker confirmed as published.
struct OutboxMarkPublished<Slot: SchemaSlot>: PostgresPreparedStatement {
    typealias Row = ()
    static var name: String { "avtal.outbox.published.\(Slot.schema)" }
    static var sql: String { "UPDATE \(Slot.schema).outbox SET published_at = now() WHERE id = ANY($1)" }
    static var bindingDataTypes: [PostgresDataType] { [.int8Array] }

    var ids: [Int64]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(ids)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
