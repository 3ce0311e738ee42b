import AvtalDomain
import AvtalPersistence
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

/// The contract, its facilities, its first audit record and its `ContractStored` in the outbox, in one statement
/// (four inserts, one round trip): the contract's row first; the others are written only if it was (none, and no row
/// back, when the partner sent this external reference before). The outbox is the intake service's own (`Slot`).
struct ContractIntakeWrite<Slot: SchemaSlot>: PostgresPreparedStatement {
    static var name: String { "avtal.intake.write.\(Slot.schema)" }
    static var sql: String {
        """
        WITH contract AS (
            INSERT INTO webbavtal.contracts (id, kind, sales_channel, state, details, requires_signature, partner_id, external_reference,
                foa_id, possible_duplicate_of, confirmed_at, created_at, created_by, state_changed_at, traceparent)
            VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11, $12, $13, $12, $14)
            ON CONFLICT (partner_id, external_reference) WHERE partner_id IS NOT NULL DO NOTHING
            RETURNING id
        ), facilities AS (
            INSERT INTO webbavtal.contract_facilities (contract_id, metering_point_id) SELECT contract.id, unnest($15::text[]) FROM contract
        ), audit AS (
            INSERT INTO webbavtal.audit_trail (contract_id, at, actor_kind, actor_id, action, to_state, reason)
            SELECT contract.id, $12, $16, $17, $18, $4, $19 FROM contract
        ), event AS (
            \(OutboxRow.insertSQL(schema: Slot.schema, selecting: "$20, $21, $22, $23, $24 FROM contract"))
        )
        SELECT id FROM contract
        """
    }
    static var bindingDataTypes: [PostgresDataType] {
        [
            .uuid, .text, .text, .text, .text, .bool, .text, .text, .text, .uuidArray, .timestamptz, .timestamptz, .text, .text,
            .textArray, .text, .text, .text, .text, .uuid, .text, .text, .bytea, .text,
        ]
    }

    var id: UUID
    var details: ContractDetails
    var detailsJSON: String
    var state: ContractState
    var duplicates: [UUID]
    var confirmedAt: Date?
    var now: Date
    var actor: Actor
    var traceparent: String?
    var meteringPoints: [String]
    /// The audit record's reason (the possible duplicates, if any).
    var reason: String?
    /// `ContractStored`, its `traceparent` the contract's (`$24`, the same value as `$14`).
    var event: OutboxRow

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 24)
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
        bindings.append(actor.description)
        bindings.append(traceparent)
        bindings.append(meteringPoints)
        bindings.append(actor.kind)
        bindings.append(actor.id)
        bindings.append(AuditAction.created.rawValue)
        bindings.append(reason)
        bindings.append(event)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> UUID { try row.decode(UUID.self) }
}
