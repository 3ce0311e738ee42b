public import Foundation

/// A standard contract was approved (after its checks, or by MKA). Signering sends it for signing when
/// `requiresSignature` (we called the customer).
public struct ContractApproved: DomainEvent {
    public static let eventType = EventType("ContractApproved", version: 1)
    public var contractId: UUID
    public var snapshot: ContractDetails
    public var requiresSignature: Bool
    /// MKA's reason, when a person approved it.
    public var reason: String?

    public init(contractId: UUID, snapshot: ContractDetails, reason: String? = nil) {
        self.contractId = contractId
        self.snapshot = snapshot
        self.requiresSignature = snapshot.requiresSignature
        self.reason = reason
    }

    public var routingKey: String { RoutingKey.contractApproved }
}

/// MKA edited a contract and sent it back to be checked again.
public struct ContractResubmitted: DomainEvent {
    public static let eventType = EventType("ContractResubmitted", version: 1)
    public var contractId: UUID
    public var snapshot: ContractDetails
    /// A new credit check only when MKA explicitly orders one.
    public var newCreditCheck: Bool
    /// The credit round the contract is now on (1, raised by each ordered check): kontroll's key for the check.
    public var creditRound: Int

    public init(contractId: UUID, snapshot: ContractDetails, newCreditCheck: Bool, creditRound: Int) {
        self.contractId = contractId
        self.snapshot = snapshot
        self.newCreditCheck = newCreditCheck
        self.creditRound = creditRound
    }

    public var routingKey: String { RoutingKey.contractResubmitted }
}

/// MKA rejected a contract.
public struct ContractRejected: DomainEvent {
    public static let eventType = EventType("ContractRejected", version: 1)
    public var contractId: UUID
    public var reason: String

    public init(contractId: UUID, reason: String) {
        self.contractId = contractId
        self.reason = reason
    }

    public var routingKey: String { RoutingKey.contractRejected }
}

/// The customer withdrew (or the contract was cancelled) within the withdrawal period; a live signing request is recalled.
public struct ContractCancelled: DomainEvent {
    public static let eventType = EventType("ContractCancelled", version: 1)
    public var contractId: UUID
    public var reason: String

    public init(contractId: UUID, reason: String) {
        self.contractId = contractId
        self.reason = reason
    }

    public var routingKey: String { RoutingKey.contractCancelled }
}

/// MKA finished a special contract in Gördis; gordis-export pushes it to Xellent.
public struct SpecialContractFinalized: DomainEvent {
    public static let eventType = EventType("SpecialContractFinalized", version: 1)
    public var contractId: UUID
    public var snapshot: ContractDetails

    public init(contractId: UUID, snapshot: ContractDetails) {
        self.contractId = contractId
        self.snapshot = snapshot
    }

    public var routingKey: String { RoutingKey.specialContractFinalized }
}

/// MKA asked for a failed export to Xellent to be tried again.
public struct ExportRetryRequested: DomainEvent {
    public static let eventType = EventType("ExportRetryRequested", version: 1)
    public var contractId: UUID
    public var snapshot: ContractDetails

    public init(contractId: UUID, snapshot: ContractDetails) {
        self.contractId = contractId
        self.snapshot = snapshot
    }

    public var routingKey: String { RoutingKey.exportRetryRequested }
}
