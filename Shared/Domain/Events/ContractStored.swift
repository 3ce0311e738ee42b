public import Foundation

/// A new contract was written to the contract store (by partner-api, the internal form or foa).
///
/// Published in the same transaction as the insert. Standard contracts go out as `contract.stored.standard` and are
/// checked by kontroll; special contracts as `contract.stored.special`.
public struct ContractStored: DomainEvent {
    public static let eventType = EventType("ContractStored", version: 1)

    public var contractId: UUID
    public var snapshot: ContractDetails
    /// Open contracts for one of the same facilities, found at insert: MKA decides whether it is a duplicate.
    public var possibleDuplicateOf: [UUID]

    public init(contractId: UUID, snapshot: ContractDetails, possibleDuplicateOf: [UUID] = []) {
        self.contractId = contractId
        self.snapshot = snapshot
        self.possibleDuplicateOf = possibleDuplicateOf
    }

    public var kind: ContractKind { snapshot.kind }

    public var routingKey: String {
        snapshot.kind.isStandard ? RoutingKey.contractStoredStandard : RoutingKey.contractStoredSpecial
    }
}
