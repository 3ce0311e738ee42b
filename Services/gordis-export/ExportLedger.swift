import Foundation
import Logging
import PostgresNIO

/// gordis-export's ledger (`gordis_export.exports`): each special contract's export to Xellent — exported with
/// Xellent's id, or failed with the reason — for audit and for MKA's questions. An export once recorded as done stays
/// done.
struct ExportLedger: Sendable {
    let logger: Logger

    func exported(_ contractId: UUID, xellentId: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO gordis_export.exports (contract_id, state, xellent_id) VALUES (\(contractId), 'exported', \(xellentId))
            ON CONFLICT (contract_id) DO UPDATE SET state = 'exported', xellent_id = excluded.xellent_id, last_error = NULL,
                attempts = gordis_export.exports.attempts + 1, updated_at = now()
            """,
            logger: logger)
    }

    func failed(_ contractId: UUID, reason: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            INSERT INTO gordis_export.exports (contract_id, state, last_error) VALUES (\(contractId), 'failed', \(reason))
            ON CONFLICT (contract_id) DO UPDATE SET state = 'failed', last_error = excluded.last_error,
                attempts = gordis_export.exports.attempts + 1, updated_at = now()
            WHERE gordis_export.exports.state <> 'exported'
            """,
            logger: logger)
    }
}
