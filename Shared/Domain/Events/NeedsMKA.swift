public import Foundation

/// kontroll (or a later step) found something a person in MKA must look at before the contract can go on.
public struct NeedsMKA: DomainEvent {
    public static let eventType = EventType("NeedsMKA", version: 1)

    public var contractId: UUID
    /// Machine-readable reasons, for example `credit.denied` or `facility.unknown`.
    public var reasons: [String]

    public init(contractId: UUID, reasons: [String]) {
        self.contractId = contractId
        self.reasons = reasons
    }

    public var routingKey: String { RoutingKey.needsMKA }
}
