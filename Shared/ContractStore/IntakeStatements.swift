import AvtalDomain
import Foundation
import PostgresNIO

// The statements of a contract's intake (``ContractStore/insert(_:by:now:on:)``), prepared once per connection: every
// contract from a partner, a seller's form or FOA runs each of them once.

/// Serialises intakes for the same facilities: one advisory lock per bucket, in order.
struct FacilityBucketLocks: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "avtal.intake.facility-locks"
    static let sql = "SELECT pg_advisory_xact_lock(hashtext('avtal.facility'), bucket) FROM unnest($1::int[]) AS bucket ORDER BY bucket"
    static let bindingDataTypes: [PostgresDataType] = [.int8Array]

    var buckets: [Int]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(buckets)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}

/// The open contracts for any of the metering points: a new contract's possible duplicates.
struct OpenContractsForFacilities: PostgresPreparedStatement {
    static let name = "avtal.intake.open-contracts"
    static let sql = """
        SELECT DISTINCT c.id FROM webbavtal.contract_facilities f JOIN webbavtal.contracts c ON c.id = f.contract_id
        WHERE f.metering_point_id = ANY($1) AND NOT (c.state = ANY($2))
        ORDER BY c.id
        """
    static let bindingDataTypes: [PostgresDataType] = [.textArray, .textArray]

    var meteringPoints: [String]
    var closedStates: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(meteringPoints)
        bindings.append(closedStates)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> UUID { try row.decode(UUID.self) }
}

/// The contract's row; none comes back when the partner sent this external reference before.
struct ContractInsert: PostgresPreparedStatement {
    static let name = "avtal.intake.contract"
    static let sql = """
        INSERT INTO webbavtal.contracts (id, kind, sales_channel, state, details, requires_signature, partner_id, external_reference,
            foa_id, possible_duplicate_of, confirmed_at, created_at, created_by, state_changed_at, traceparent)
        VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $12, $14)
        ON CONFLICT (partner_id, external_reference) WHERE partner_id IS NOT NULL DO NOTHING
        RETURNING id
        """
    static let bindingDataTypes: [PostgresDataType] = [
        .uuid, .text, .text, .text, .text, .bool, .text, .text, .text, .uuidArray, .timestamptz, .timestamptz, .text, .text,
    ]

    var id: UUID
    var details: ContractDetails
    var detailsJSON: String
    var state: ContractState
    var duplicates: [UUID]
    var confirmedAt: Date?
    var now: Date
    var createdBy: String
    var traceparent: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 14)
        bindings.append(id)
        bindings.append(details.kind.rawValue)
        bindings.append(details.salesChannel.rawValue)
        bindings.append(state.rawValue)
        bindings.append(detailsJSON)
        bindings.append(details.requiresSignature)
        bindings.append(details.partner?.partnerId)
        bindings.append(details.partner?.externalReference)
        bindings.append(details.foaId)
        bindings.append(duplicates)
        bindings.append(confirmedAt)
        bindings.append(now)
        bindings.append(createdBy)
        bindings.append(traceparent)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> UUID { try row.decode(UUID.self) }
}

/// The contract's metering points, for the next intake's duplicate check.
struct ContractFacilitiesInsert: PostgresPreparedStatement {
    typealias Row = ()
    static let name = "avtal.intake.facilities"
    static let sql = "INSERT INTO webbavtal.contract_facilities (contract_id, metering_point_id) SELECT $1, unnest($2::text[])"
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .textArray]

    var contractId: UUID
    var meteringPoints: [String]

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(contractId)
        bindings.append(meteringPoints)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws {}
}
