import Foundation
import PostgresNIO

/// Records a message in the inbox; a row comes back only when it was not there before.
struct InboxInsert<Slot: SchemaSlot>: PostgresPreparedStatement {
    static var name: String { "avtal.inbox.insert.\(Slot.schema)" }
    static var sql: String {
        """
        INSERT INTO \(Slot.schema).inbox (message_id, message_type) VALUES ($1, $2)
        ON CONFLICT (message_id) DO NOTHING RETURNING message_id
        """
    }
    static var bindingDataTypes: [PostgresDataType] { [.uuid, .text] }

    var messageId: UUID
    var messageType: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(messageId)
        bindings.append(messageType)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> UUID { try row.decode(UUID.self) }
}

/// Whether a message is in the inbox: a row when it is.
struct InboxLookup<Slot: SchemaSlot>: PostgresPreparedStatement {
    static var name: String { "avtal.inbox.lookup.\(Slot.schema)" }
    static var sql: String { "SELECT message_id FROM \(Slot.schema).inbox WHERE message_id = $1" }
    static var bindingDataTypes: [PostgresDataType] { [.uuid] }

    var messageId: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(messageId)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> UUID { try row.decode(UUID.self) }
}
