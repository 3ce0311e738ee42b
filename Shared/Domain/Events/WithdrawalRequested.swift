public import Foundation

/// A customer withdrew from a contract within the 14-day cooling-off period, as their partner told us
/// (`POST /v1/contracts/{id}/withdrawal`). partner-api records it and publishes this in one transaction; webbavtal
/// applies it through the lifecycle as a cancellation by the partner — the back office's cancellation path — so a
/// signing document is recalled and nothing is exported.
public struct WithdrawalRequested: DomainEvent {
    public static let eventType = EventType("WithdrawalRequested", version: 1)

    public var contractId: UUID
    public var partnerId: String
    /// The customer's reason, as the partner gave it (at most 500 characters).
    public var reason: String?
    public var requestedAt: Date

    public init(contractId: UUID, partnerId: String, reason: String?, requestedAt: Date) {
        self.contractId = contractId
        self.partnerId = partnerId
        self.reason = reason
        self.requestedAt = requestedAt
    }

    public var routingKey: String { RoutingKey.withdrawalRequested }

    /// The cancellation's reason in the audit trail.
    public var cancellationReason: String {
        "withdrawn by the customer (cooling-off), through partner \(partnerId)" + (reason.map { ": \($0)" } ?? "")
    }
}
