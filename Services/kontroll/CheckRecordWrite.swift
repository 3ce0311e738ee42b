import AvtalCreditBureau
import AvtalDomain
import AvtalPersistence
import Foundation
import Logging
import PostgresNIO

// kontroll's ledger (`kontroll.credit_checks`): what each credit round led to, for audit and reconciliation. One row
// per reference (contract and credit round); writing it again changes nothing.

/// A check's whole record in one statement, without a transaction of its own: the message in kontroll's inbox, the
/// credit round in the ledger (when there was one) and the outcome's event in kontroll's outbox — the last two only
/// when the message was new. A row back when it was.
struct CheckRecordWrite: PostgresPreparedStatement {
    static let name = "avtal.kontroll.record"
    static let sql = """
        WITH \(InboxRow.withPart(schema: DatabaseSchema.kontroll.name, messageId: "$1", messageType: "$2")),
        ledger AS (
            INSERT INTO kontroll.credit_checks (reference, contract_id, credit_round, outcome, reason_code, bureau, checked_at, mail_reference)
            SELECT $3::text, $4::uuid, $5::int, $6::text, $7::text, $8::text, $9::timestamptz, $10::text FROM message WHERE $3 IS NOT NULL
            ON CONFLICT (reference) DO NOTHING
        ), event AS (
            \(OutboxRow.insertSQL(schema: DatabaseSchema.kontroll.name, selecting: "$11::uuid, $12::text, $13::text, $14::bytea, $15::text FROM message"))
        )
        SELECT message_id FROM message
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .text, .text, .uuid, .int8, .text, .text, .text, .timestamptz, .text, .uuid, .text, .text, .bytea, .text,
    ]

    var message: EnvelopeHeader
    var report: CreditReport?
    var contractId: UUID
    var round: Int
    var mailReference: String?
    var event: OutboxRow

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 15)
        bindings.append(message.messageId)
        bindings.append(message.type)
        bindings.append(report?.reference)
        bindings.append(contractId)
        bindings.append(round)
        bindings.append(report?.outcome.rawValue)
        bindings.append(report?.reasonCode)
        bindings.append(report?.bureau)
        bindings.append(report?.checkedAt)
        bindings.append(mailReference)
        bindings.append(event)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> UUID { try row.decode(UUID.self) }
}
