public import AvtalDomain
public import Foundation
public import PostgresNIO

extension ContractStore {
    public enum DecisionOutcome: Sendable, Equatable {
        case applied(ApplyOutcome)
        /// Someone changed the contract since the person deciding loaded it: nothing was written.
        case versionConflict(current: Int)
    }

    /// A person's decision (approve, reject, cancel, resubmit, retry an export), applied only if the contract is still
    /// at `expectedVersion`, the version the person saw: optimistic concurrency, so no decision is taken on data the
    /// person did not see. The row stays locked from the check to the change.
    public func decide(
        _ input: LifecycleInput, on id: UUID, expectedVersion: Int, by actor: Actor, now: Date, on connection: PostgresConnection
    ) async throws -> DecisionOutcome {
        guard let contract = try await contract(id, on: connection, forUpdate: true) else { return .applied(.notFound) }
        guard contract.version == expectedVersion else { return .versionConflict(current: contract.version) }
        return .applied(try await apply(input, to: id, by: actor, now: now, on: connection))
    }
}
