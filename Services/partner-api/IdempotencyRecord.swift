import AvtalPersistence
import Crypto
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The answer given to a partner's `Idempotency-Key`, kept in the same transaction as the contract it created, so a
/// retried request gets the original answer and a reused key with another body is refused.
struct IdempotencyRecord: Sendable, Equatable {
    var requestDigest: [UInt8]
    var contractId: UUID
    var receivedAt: Date

    /// The digest of a request's meaning: its decoded body encoded again with sorted keys, so key order and spacing
    /// do not make two equal requests differ.
    static func digest(of request: Components.Schemas.ContractRequest) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array(SHA256.hash(data: try encoder.encode(request)))
    }

    /// Waits for any other request holding the same key (until its transaction ends), then reads the record.
    static func lockAndFind(partner: String, key: String, on connection: PostgresConnection, logger: Logger) async throws -> IdempotencyRecord? {
        try await connection.run(IdempotencyKeyLock(lockName: "avtal.idempotency." + partner + "." + key), logger: logger)
        let rows = try await connection.execute(IdempotencyKeyLookup(partner: partner, key: key), logger: logger)
        for try await (digest, contractId, receivedAtMs) in rows {
            return IdempotencyRecord(
                requestDigest: Array(buffer: digest), contractId: contractId, receivedAt: Date(timeIntervalSince1970: Double(receivedAtMs) / 1000))
        }
        return nil
    }

    func save(partner: String, key: String, on connection: PostgresConnection, logger: Logger) async throws {
        let receivedAtMs = Int64((receivedAt.timeIntervalSince1970 * 1000).rounded())
        let response = #"{"receivedAtMs":\#(receivedAtMs)}"#
        try await connection.run(
            IdempotencyKeyInsert(
                partner: partner, key: key, digest: ByteBuffer(bytes: requestDigest), contractId: contractId, response: response),
            logger: logger)
    }
}
