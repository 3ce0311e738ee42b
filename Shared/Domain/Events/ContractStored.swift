public import Foundation

/// A new contract was written to the contract store (by partner-api, the internal form or foa).
///
/// Published in the same transaction as the insert. Standard contracts go out as `contract.stored.standard`
/// and are checked by kontroll; special contracts as `contract.stored.special`.
public struct ContractStored: DomainEvent {
    public static let eventType = EventType("ContractStored", version: 1)

    public var contractId: UUID
    public var kind: ContractKind
    public var salesChannel: SalesChannel

    public init(contractId: UUID, kind: ContractKind, salesChannel: SalesChannel) {
        self.contractId = contractId
        self.kind = kind
        self.salesChannel = salesChannel
    }

    public var routingKey: String {
        kind.isStandard ? RoutingKey.contractStoredStandard : RoutingKey.contractStoredSpecial
    }
}
