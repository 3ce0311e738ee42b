import AvtalDomain
import AvtalPersistence
import Foundation
import PostgresNIO

/// A contract's row as ``ContractStore`` decodes it, by id: prepared once per connection, as every lifecycle step
/// reads one. Two statements, with and without the row's lock, for PostgresNIO names a prepared statement by its type.
protocol ContractRowStatement: PostgresPreparedStatement where Row == PostgresRow {
    var id: UUID { get }
}

extension ContractRowStatement {
    static var columns: String {
        """
        SELECT id, state, version, details::text, possible_duplicate_of, findings::text, needs_mka_reasons, needs_mka_detail,
            resubmitted_with_credit_check, signing_document_id, confirmed_at, created_at, created_by, state_changed_at, credit_round,
            traceparent
        FROM webbavtal.contracts
        """
    }

    static var bindingDataTypes: [PostgresDataType] { [.uuid] }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// The row, unlocked.
struct ContractRowRead: ContractRowStatement {
    static let name = "avtal.contracts.read"
    static let sql = "\(columns) WHERE id = $1"
    var id: UUID
}

/// The row, locked until the reader's transaction ends: for the one writer that changes it.
struct LockedContractRowRead: ContractRowStatement {
    static let name = "avtal.contracts.read-for-update"
    static let sql = "\(columns) WHERE id = $1 FOR UPDATE"
    var id: UUID
}

/// The row, locked, only if the message `messageId` is new to webbavtal's inbox, which the same statement enters it in
/// (``InboxRow/withPart(schema:messageId:messageType:)``): a lifecycle step's inbox entry and read in one round trip.
/// No row: the message was there before, or the contract does not exist.
struct EnteringLockedContractRowRead: ContractRowStatement {
    static let name = "avtal.contracts.read-for-update-entering"
    static var sql: String {
        """
        WITH \(InboxRow.withPart(schema: ContractStore.schema, messageId: "$2", messageType: "$3"))
        \(columns) WHERE id = $1 AND EXISTS (SELECT 1 FROM message) FOR UPDATE
        """
    }
    static var bindingDataTypes: [PostgresDataType] { [.uuid, .uuid, .text] }

    var id: UUID
    var message: EnvelopeHeader

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(id)
        bindings.append(message.messageId)
        bindings.append(message.type)
        return bindings
    }
}

/// The row, unlocked, only if the message `messageId` is not in webbavtal's inbox: the read of a lifecycle step that
/// then writes only if nothing changed since (`ContractLifecycle.applyIfUnchanged`). No row: the message was applied
/// before, or the contract does not exist.
struct UnappliedContractRowRead: ContractRowStatement {
    static let name = "avtal.contracts.read-unless-applied"
    static var sql: String { "\(columns) WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM \(ContractStore.schema).inbox WHERE message_id = $2)" }
    static var bindingDataTypes: [PostgresDataType] { [.uuid, .uuid] }

    var id: UUID
    var messageId: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(id)
        bindings.append(messageId)
        return bindings
    }
}

/// Whether the contract exists (after ``EnteringLockedContractRowRead`` answered no row).
struct ContractExists: PostgresPreparedStatement {
    static let name = "avtal.contracts.exists"
    static let sql = "SELECT 1 FROM webbavtal.contracts WHERE id = $1"
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    var id: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Int { try row.decode(Int.self) }
}
