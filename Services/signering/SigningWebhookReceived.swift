public import AvtalDomain
public import Foundation

/// signering's note to itself that GetAccept called the webhook: the webhook is stored and this event is in the
/// outbox in one transaction, so the HTTP answer is quick and the work (re-reading the document) is retried like any
/// other message.
public struct SigningWebhookReceived: DomainEvent {
    public static let eventType = EventType("SigningWebhookReceived", version: 1)
    public static let routingKey = "signing.webhook-received"
    public var webhookId: Int64
    public var documentId: String
    /// GetAccept's event name, e.g. `document.signed` (informational: the document's status decides).
    public var event: String

    public init(webhookId: Int64, documentId: String, event: String) {
        self.webhookId = webhookId
        self.documentId = documentId
        self.event = event
    }

    public var routingKey: String { Self.routingKey }
}
