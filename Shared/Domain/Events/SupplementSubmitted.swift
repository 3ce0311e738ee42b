public import Foundation

/// A partner supplied what a contract under review was missing (`POST /v1/contracts/{id}/supplements`). partner-api
/// records it and publishes this in one transaction; webbavtal applies it as an edit by the partner — only if the
/// contract is still the version the partner saw — and sends the contract back to kontroll, as after MKA's edit.
public struct SupplementSubmitted: DomainEvent {
    public static let eventType = EventType("SupplementSubmitted", version: 1)

    public var supplementId: UUID
    public var contractId: UUID
    public var partnerId: String
    public var supplement: Supplement
    /// The contract's version when the supplement was accepted: if MKA acted since, it is not applied.
    public var basedOnVersion: Int
    public var submittedAt: Date

    public init(supplementId: UUID, contractId: UUID, partnerId: String, supplement: Supplement, basedOnVersion: Int, submittedAt: Date) {
        self.supplementId = supplementId
        self.contractId = contractId
        self.partnerId = partnerId
        self.supplement = supplement
        self.basedOnVersion = basedOnVersion
        self.submittedAt = submittedAt
    }

    public var routingKey: String { RoutingKey.supplementSubmitted }

    /// The edit's reason in the audit trail: MKA sees that a partner supplied it, and what.
    public var auditReason: String {
        "supplied by partner \(partnerId) (supplement \(supplementId.uuidString.lowercased())): \(supplement.summary)"
    }
}
