public import Foundation

/// Signering sent a signing request to GetAccept.
public struct SigningRequested: DomainEvent {
    public static let eventType = EventType("SigningRequested", version: 1)
    public var contractId: UUID
    public var documentId: String

    public init(contractId: UUID, documentId: String) {
        self.contractId = contractId
        self.documentId = documentId
    }

    public var routingKey: String { RoutingKey.signingRequested }
}

/// The customer signed (GetAccept confirmed it when re-read).
public struct ContractSigned: DomainEvent {
    public static let eventType = EventType("ContractSigned", version: 1)
    public var contractId: UUID
    public var documentId: String
    public var signedAt: Date
    /// How the customer signed, as the signing provider reports it (absent when it does not say).
    public var method: SignatureMethod?

    public init(contractId: UUID, documentId: String, signedAt: Date, method: SignatureMethod? = nil) {
        self.contractId = contractId
        self.documentId = documentId
        self.signedAt = signedAt
        self.method = method
    }

    public var routingKey: String { RoutingKey.contractSigned }
}

/// The customer declined to sign, or the request could not reach them.
public struct SigningRejected: DomainEvent {
    public static let eventType = EventType("SigningRejected", version: 1)
    public var contractId: UUID
    public var documentId: String
    public var reason: String

    public init(contractId: UUID, documentId: String, reason: String) {
        self.contractId = contractId
        self.documentId = documentId
        self.reason = reason
    }

    public var routingKey: String { RoutingKey.signingRejected }
}

/// The signing request expired unsigned.
public struct SigningExpired: DomainEvent {
    public static let eventType = EventType("SigningExpired", version: 1)
    public var contractId: UUID
    public var documentId: String

    public init(contractId: UUID, documentId: String) {
        self.contractId = contractId
        self.documentId = documentId
    }

    public var routingKey: String { RoutingKey.signingExpired }
}
