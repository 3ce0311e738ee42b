import AvtalDomain
import Foundation
import PostgresNIO

/// A transition's write to the contract's row: prepared once per connection (the lifecycle's most frequent update).
struct ContractTransitionUpdate: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "avtal.contracts.transition"
    static let sql = """
        UPDATE webbavtal.contracts SET state = $1, version = version + 1, state_changed_at = $2, needs_mka_reasons = $3,
            needs_mka_detail = $4, confirmed_at = $5, resubmitted_with_credit_check = $6, credit_round = $7, findings = $8::jsonb,
            signing_document_id = $9, sweep_rounds = 0, next_sweep_at = NULL
        WHERE id = $10
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .timestamptz, .textArray, .text, .timestamptz, .bool, .int8, .text, .text, .uuid]

    var id: UUID
    var state: ContractState
    var at: Date
    var record: LifecycleRecord
    var findings: String?
    var signingDocumentId: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(state.rawValue)
        bindings.append(at)
        bindings.append(record.needsMKAReasons.map(\.rawValue))
        bindings.append(record.needsMKADetail)
        bindings.append(record.confirmedAt)
        bindings.append(record.resubmittedWithCreditCheck)
        bindings.append(record.creditRound)
        bindings.append(findings)
        bindings.append(signingDocumentId)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
