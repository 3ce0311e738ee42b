public import Foundation

/// gordis-export pushed a special contract to Xellent.
public struct ContractExported: DomainEvent {
    public static let eventType = EventType("ContractExported", version: 1)
    public var contractId: UUID
    /// Xellent's reference for what was created.
    public var xellentReference: String

    public init(contractId: UUID, xellentReference: String) {
        self.contractId = contractId
        self.xellentReference = xellentReference
    }

    public var routingKey: String { RoutingKey.contractExported }
}

/// gordis-export could not push a special contract to Xellent.
public struct ExportFailed: DomainEvent {
    public static let eventType = EventType("ExportFailed", version: 1)
    public var contractId: UUID
    public var reason: String

    public init(contractId: UUID, reason: String) {
        self.contractId = contractId
        self.reason = reason
    }

    public var routingKey: String { RoutingKey.exportFailed }
}
