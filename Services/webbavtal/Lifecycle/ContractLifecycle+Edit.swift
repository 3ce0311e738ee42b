public import AvtalContractStore
public import AvtalDomain
import AvtalPersistence
public import Foundation
import Logging
public import PostgresNIO

extension ContractLifecycle {
    public enum EditOutcome: Sendable, Equatable {
        case edited(StoredContract)
        /// Someone changed the contract since the editor loaded it: nothing was written.
        case versionConflict(current: Int)
        /// Contracts are edited only while a person handles them (`needsMKA`, or `readyForMKA` for special ones).
        case notEditable(ContractState)
        case notFound
    }

    /// MKA's edit of a contract's details (completing a facility id, correcting an address), validated with the shared
    /// rules and guarded by optimistic concurrency: `expectedVersion` is the version the editor saw. The audit record
    /// keeps the details before and after. Throws ``ValidationFailure`` (writing nothing) when the edit breaks a rule.
    public func edit(
        _ id: UUID,
        to details: ContractDetails,
        expectedVersion: Int,
        by actor: Actor,
        reason: String,
        now: Date,
        on connection: PostgresConnection
    ) async throws -> EditOutcome {
        guard let contract = try await store.lockedContract(id, on: connection) else { return .notFound }
        guard contract.state == .needsMKA || contract.state == .readyForMKA else { return .notEditable(contract.state) }
        guard contract.version == expectedVersion else { return .versionConflict(current: contract.version) }
        var valid = try ContractValidator(today: CivilDate(swedishDateAt: now)).validated(details).get()
        // What a contract is and where it came from are not MKA's to change.
        valid.kind = contract.details.kind
        valid.salesChannel = contract.details.salesChannel
        valid.partner = contract.details.partner
        try await connection.query(
            """
            UPDATE webbavtal.contracts SET details = \(try StoreJSON.encode(valid))::jsonb, version = version + 1,
                requires_signature = \(valid.requiresSignature)
            WHERE id = \(id)
            """,
            logger: logger
        )
        try await writeFacilities(of: id, valid, on: connection)
        let change = try StoreJSON.encode(DetailsChange(before: contract.details, after: valid))
        try await ContractAudit(logger: logger).append(
            id, by: actor, .edited, from: contract.state, to: contract.state, reason: reason, cause: nil, at: now, detail: change, on: connection)
        guard let edited = try await store.contract(id, on: connection) else { return .notFound }
        return .edited(edited)
    }

    /// Records which metering points contract `id` covers, replacing what was recorded before.
    private func writeFacilities(of id: UUID, _ details: ContractDetails, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM webbavtal.contract_facilities WHERE contract_id = \(id)", logger: logger)
        let meteringPoints = Set(details.facilities.compactMap(\.meteringPointId)).sorted()
        try await connection.query(
            "INSERT INTO webbavtal.contract_facilities (contract_id, metering_point_id) SELECT \(id), unnest(\(meteringPoints)::text[])",
            logger: logger)
    }
}

/// The audit detail of an edit: the contract's details before and after.
struct DetailsChange: Codable {
    var before: ContractDetails
    var after: ContractDetails
}
