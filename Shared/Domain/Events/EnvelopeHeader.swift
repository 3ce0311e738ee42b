public import Foundation

/// Every field of an ``EventEnvelope`` except the payload: what a consumer reads first, to decide whether it
/// knows the message at all, before decoding the payload as the type it names.
public struct EnvelopeHeader: Codable, Sendable, Equatable {
    /// The message's identity and deduplication key: a redelivery or a re-publish carries the same id.
    public var messageId: UUID
    /// The event's name, for example `ContractStored`.
    public var type: String
    /// The payload's schema version.
    public var version: Int
    /// When the fact happened, in the publishing service's clock.
    public var occurredAt: Date
    /// The contract the event is about, when it is about one.
    public var contractId: UUID?
    /// Shared by every message caused, directly or not, by the same first message or request.
    public var correlationId: UUID
    /// The message id of the message that caused this one, if any.
    public var causationId: UUID?

    public var eventType: EventType { EventType(type, version: version) }

    public init(
        messageId: UUID,
        type: String,
        version: Int,
        occurredAt: Date,
        contractId: UUID?,
        correlationId: UUID,
        causationId: UUID?
    ) {
        self.messageId = messageId
        self.type = type
        self.version = version
        self.occurredAt = occurredAt
        self.contractId = contractId
        self.correlationId = correlationId
        self.causationId = causationId
    }
}
