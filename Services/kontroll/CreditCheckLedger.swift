import AvtalCreditBureau
import Foundation
import Logging
import PostgresNIO

/// kontroll's ledger (`kontroll.credit_checks`): what each credit round led to, for audit and reconciliation. One row
/// per reference (contract and credit round); writing it again changes nothing.
struct CreditCheckLedger: Sendable {
    let logger: Logger

    func record(_ report: CreditReport, contractId: UUID, round: Int, mailReference: String?, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO kontroll.credit_checks (reference, contract_id, credit_round, outcome, reason_code, bureau, checked_at, mail_reference)
            VALUES (\(report.reference), \(contractId), \(round), \(report.outcome.rawValue), \(report.reasonCode), \(report.bureau),
                \(report.checkedAt), \(mailReference))
            ON CONFLICT (reference) DO NOTHING
            """,
            logger: logger
        )
    }
}
