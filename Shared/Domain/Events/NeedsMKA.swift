public import Foundation

/// kontroll found something a person in MKA must look at before the contract can go on.
public struct NeedsMKA: DomainEvent {
    public static let eventType = EventType("NeedsMKA", version: 1)

    public var contractId: UUID
    /// Machine-readable reasons, for example `credit.denied` or `facility.unknown`.
    public var reasons: [NeedsMKAReason]
    public var findings: CheckFindings

    public init(contractId: UUID, reasons: [NeedsMKAReason], findings: CheckFindings = CheckFindings()) {
        self.contractId = contractId
        self.reasons = reasons
        self.findings = findings
    }

    public var routingKey: String { RoutingKey.needsMKA }
}
