import Foundation
import PostgresNIO

/// A contract's row as ``ContractStore`` decodes it, prepared once per connection: every lifecycle step reads one.
struct ContractRowRead: PostgresPreparedStatement {
    static let name = "avtal.contracts.read"
    static let sql = "\(columns) WHERE id = $1"
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    static let columns = """
        SELECT id, state, version, details::text, possible_duplicate_of, findings::text, needs_mka_reasons, needs_mka_detail,
            resubmitted_with_credit_check, signing_document_id, confirmed_at, created_at, created_by, state_changed_at, credit_round,
            traceparent
        FROM webbavtal.contracts
        """

    var id: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}

/// The same row, locked until the reader's transaction ends: for the one writer that changes it.
struct LockedContractRowRead: PostgresPreparedStatement {
    static let name = "avtal.contracts.read-for-update"
    static let sql = "\(ContractRowRead.columns) WHERE id = $1 FOR UPDATE"
    static let bindingDataTypes: [PostgresDataType] = [.uuid]

    var id: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> PostgresRow { row }
}
