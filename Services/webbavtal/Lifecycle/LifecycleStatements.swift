import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Foundation
import PostgresNIO

/// A transition in one statement: the contract's row as the domain's ``LifecycleRecord`` says, its audit record and
/// the events it causes in webbavtal's outbox (one round trip, however many events), prepared once per connection:
/// the lifecycle's most frequent write.
struct ContractTransitionWrite: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "avtal.contracts.transition-write"
    static let sql = statement(where: "id = $10")

    /// The statement, the row updated where `condition` holds, with `moreParts` (`WITH` parts reading `updated`).
    static func statement(where condition: String, moreParts: String = "") -> String {
        """
        WITH updated AS (
            UPDATE webbavtal.contracts SET state = $1, version = version + 1, state_changed_at = $2, needs_mka_reasons = $3,
                needs_mka_detail = $4, confirmed_at = $5, resubmitted_with_credit_check = $6, credit_round = $7, findings = $8::jsonb,
                signing_document_id = $9, sweep_rounds = 0, next_sweep_at = NULL
            WHERE \(condition)
            RETURNING id
        ), audit AS (
            INSERT INTO webbavtal.audit_trail (contract_id, at, actor_kind, actor_id, action, from_state, to_state, reason, cause_message_id)
            SELECT id, $2, $11, $12, $13, $14, $1, $15, $16 FROM updated
        ), events AS (
            \(OutboxRow.insertSQL(schema: ContractStore.schema, arraysFrom: 17, traceparent: "$21", for: "updated"))
        )\(moreParts)
        SELECT 1 FROM updated
        """
    }
    static let bindingDataTypes: [PostgresDataType] = [
        .text, .timestamptz, .textArray, .text, .timestamptz, .bool, .int8, .text, .text, .uuid,
        .text, .text, .text, .text, .text, .uuid, .uuidArray, .textArray, .textArray, .byteaArray, .text,
    ]

    var id: UUID
    var transition: Lifecycle.Transition
    var at: Date
    var record: LifecycleRecord
    var findings: String?
    var signingDocumentId: String?
    var actor: Actor
    var reason: String?
    var cause: UUID?
    var events: [OutboxRow]
    var traceparent: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 21)
        bindings.append(transition.to.rawValue)
        bindings.append(at)
        bindings.append(record.needsMKAReasons.map(\.rawValue))
        bindings.append(record.needsMKADetail)
        bindings.append(record.confirmedAt)
        bindings.append(record.resubmittedWithCreditCheck)
        bindings.append(record.creditRound)
        bindings.append(findings)
        bindings.append(signingDocumentId)
        bindings.append(id)
        bindings.append(actor.kind)
        bindings.append(actor.id)
        bindings.append(AuditAction.transition.rawValue)
        bindings.append(transition.from.rawValue)
        bindings.append(reason)
        bindings.append(cause)
        bindings.appendColumns(of: events)
        bindings.append(traceparent)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// ``ContractTransitionWrite`` for a contract read without a lock (`ContractLifecycle.applyIfUnchanged`): it writes
/// only if the contract is still at `expectedVersion` and `message` is still not in webbavtal's inbox, and then
/// enters the message there too — all in the one statement, so no transaction is needed. No row comes back when
/// it wrote nothing. A writer that changed the contract in between holds its row until it commits; this statement
/// then waits and looks at the new version, which no longer matches.
struct GuardedContractTransitionWrite: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "avtal.contracts.transition-write-guarded"
    static let sql = ContractTransitionWrite.statement(
        where: "id = $10 AND version = $22 AND NOT EXISTS (SELECT 1 FROM webbavtal.inbox WHERE message_id = $23)",
        moreParts: ", message AS (INSERT INTO webbavtal.inbox (message_id, message_type) SELECT $23, $24 FROM updated)")
    static let bindingDataTypes = ContractTransitionWrite.bindingDataTypes + [.int8, .uuid, .text]

    var write: ContractTransitionWrite
    var expectedVersion: Int
    var message: EnvelopeHeader

    func makeBindings() throws -> PostgresBindings {
        var bindings = try write.makeBindings()
        bindings.append(expectedVersion)
        bindings.append(message.messageId)
        bindings.append(message.type)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
