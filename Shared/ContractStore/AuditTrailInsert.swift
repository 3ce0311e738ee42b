package import AvtalDomain
package import Foundation
package import PostgresNIO

/// One record of a contract's audit trail: its creation (the intake) and every later step (webbavtal's lifecycle),
/// prepared once per connection.
package struct AuditTrailInsert: PostgresPreparedStatement {
    package typealias Row = ()
    package static let name = "avtal.audit_trail.insert"
    package static let sql = """
        INSERT INTO webbavtal.audit_trail (contract_id, at, actor_kind, actor_id, action, from_state, to_state, reason, cause_message_id, detail)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb)
        """
    package static let bindingDataTypes: [PostgresDataType] = [.uuid, .timestamptz, .text, .text, .text, .text, .text, .text, .uuid, .text]

    package var contractId: UUID
    package var at: Date
    package var actor: Actor
    package var action: String
    package var from: String?
    package var to: String?
    package var reason: String?
    package var cause: UUID?
    package var detail: String?

    package init(
        contractId: UUID, at: Date, actor: Actor, action: String, from: String?, to: String?, reason: String?, cause: UUID?, detail: String?
    ) {
        self.contractId = contractId
        self.at = at
        self.actor = actor
        self.action = action
        self.from = from
        self.to = to
        self.reason = reason
        self.cause = cause
        self.detail = detail
    }

    package func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 10)
        bindings.append(contractId)
        bindings.append(at)
        bindings.append(actor.kind)
        bindings.append(actor.id)
        bindings.append(action)
        bindings.append(from)
        bindings.append(to)
        bindings.append(reason)
        bindings.append(cause)
        bindings.append(detail)
        return bindings
    }

    package func decodeRow(_ row: PostgresRow) throws {}
}
