public import Foundation

/// A partner's contract reached another status as the partner sees it (``PartnerView/Status``): webbavtal puts this
/// in its outbox with the transition that caused it, and partner-api turns it into the partner's signed status
/// webhook. Only what `GET /v1/contracts/{id}` shows travels: never a credit word or an internal reason.
public struct PartnerStatusChanged: DomainEvent {
    public static let eventType = EventType("PartnerStatusChanged", version: 1)

    public var contractId: UUID
    public var partnerId: String
    public var externalReference: String
    /// ``PartnerView/Status``'s raw value.
    public var status: String
    /// The contract's version after the transition: increases with every change, so a late or repeated event is
    /// known by it.
    public var contractVersion: Int
    public var changedAt: Date

    public init(contractId: UUID, partnerId: String, externalReference: String, status: PartnerView.Status, contractVersion: Int, changedAt: Date) {
        self.contractId = contractId
        self.partnerId = partnerId
        self.externalReference = externalReference
        self.status = status.rawValue
        self.contractVersion = contractVersion
        self.changedAt = changedAt
    }

    public var routingKey: String { RoutingKey.partnerStatusChanged }

    /// The partner's new status after a transition from `from` to `to`; nil when the partner sees no change (both
    /// states look the same from outside, as `needsMKA` and `readyForMKA` do).
    public static func newStatus(from: ContractState, to: ContractState) -> PartnerView.Status? {
        let status = PartnerView.status(of: to)
        return PartnerView.status(of: from) == status ? nil : status
    }
}
