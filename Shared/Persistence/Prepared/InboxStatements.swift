import Foundation
import PostgresNIO

/// A message's entry in the inbox, for a statement of the handler's own that writes the message's whole effect with
/// it (``Inbox/once(_:call:recordingInOneStatement:)``).
package enum InboxRow {
    /// The `WITH` part named `message`: the message's id and type are the parameters given, and `message` holds a row
    /// only when the message was new, so every other part that selects `FROM message` writes only then.
    package static func withPart(schema: SchemaName, messageId: String, messageType: String) -> String {
        """
        message AS (
            INSERT INTO \(schema).inbox (message_id, message_type) VALUES (\(messageId), \(messageType))
            ON CONFLICT (message_id) DO NOTHING RETURNING message_id
        )
        """
    }
}

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
