import AvtalContractStore
import AvtalDomain
import Foundation
import Logging
import PostgresNIO

/// Appends to a contract's audit trail (which the database refuses to change or delete): who, when, what, from which
/// state to which, why, and the message that caused it.
struct ContractAudit: Sendable {
    let logger: Logger

    func append(
        _ id: UUID, by actor: Actor, _ action: AuditAction, from: ContractState?, to: ContractState?, reason: String?, cause: EnvelopeHeader?,
        at: Date, detail: String? = nil, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO webbavtal.audit_trail (contract_id, at, actor_kind, actor_id, action, from_state, to_state, reason, cause_message_id, detail)
            VALUES (\(id), \(at), \(actor.kind), \(actor.id), \(action.rawValue), \(from?.rawValue), \(to?.rawValue), \(reason), \(cause?.messageId),
                \(detail)::jsonb)
            """,
            logger: logger
        )
    }
}
