import AvtalContractStore
import AvtalDomain
import AvtalPersistence
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
        let insert = AuditTrailInsert(
            contractId: id, at: at, actor: actor, action: action.rawValue, from: from?.rawValue, to: to?.rawValue, reason: reason,
            cause: cause?.messageId, detail: detail)
        try await connection.run(insert, logger: logger)
    }
}
