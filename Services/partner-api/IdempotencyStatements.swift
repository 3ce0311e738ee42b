import Foundation
import NIOCore
import PostgresNIO

// An `Idempotency-Key`'s record (``IdempotencyRecord``), prepared once per connection: every request that carries a
// key runs all three (issue 19: they were parsed and planned anew for each).

/// Waits for any other request holding the same key, until its transaction ends.
struct IdempotencyKeyLock: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "avtal.partner.idempotency.lock"
    static let sql = "SELECT pg_advisory_xact_lock(hashtext($1))"
    static let bindingDataTypes: [PostgresDataType] = [.text]

    var lockName: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(lockName)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// The record of a partner's key: the request's digest, the contract it created, when it came (ms since 1970).
struct IdempotencyKeyLookup: PostgresPreparedStatement {
    typealias Row = (digest: ByteBuffer, contractId: UUID, receivedAtMs: Int64)
    static let name = "avtal.partner.idempotency.find"
    static let sql = """
        SELECT request_digest, contract_id, (response->>'receivedAtMs')::bigint
        FROM partner_api.idempotency_keys WHERE partner_id = $1 AND key = $2
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .text]

    var partner: String
    var key: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(partner)
        bindings.append(key)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode((ByteBuffer, UUID, Int64).self) }
}

/// Keeps a key's record.
struct IdempotencyKeyInsert: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "avtal.partner.idempotency.insert"
    static let sql = """
        INSERT INTO partner_api.idempotency_keys (partner_id, key, request_digest, contract_id, response)
        VALUES ($1, $2, $3, $4, $5::jsonb)
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .text, .bytea, .uuid, .text]

    var partner: String
    var key: String
    var digest: ByteBuffer
    var contractId: UUID
    var response: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 5)
        bindings.append(partner)
        bindings.append(key)
        bindings.append(digest)
        bindings.append(contractId)
        bindings.append(response)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
