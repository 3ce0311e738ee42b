public import Foundation

/// kontroll finished the checks of a standard contract and the contract can be approved.
public struct CreditChecked: DomainEvent {
    public static let eventType = EventType("CreditChecked", version: 1)

    /// Whether a credit report was actually taken and approved, or the credit-check rule said none was needed.
    public enum Outcome: String, Codable, Sendable, CaseIterable {
        case approved
        case notRequired
    }

    public var contractId: UUID
    public var outcome: Outcome
    public var findings: CheckFindings

    public init(contractId: UUID, outcome: Outcome, findings: CheckFindings = CheckFindings()) {
        self.contractId = contractId
        self.outcome = outcome
        self.findings = findings
    }

    public var routingKey: String { RoutingKey.creditChecked }
}
