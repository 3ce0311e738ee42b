public import Foundation

/// The versioned JSON envelope every message on the broker is: an ``EnvelopeHeader`` plus a typed payload.
///
/// ```json
/// {"messageId":"…","type":"ContractStored","version":1,"occurredAt":"2026-11-29T10:15:00.123Z",
///  "contractId":"…","correlationId":"…","causationId":null,"payload":{…}}
/// ```
public struct EventEnvelope<Payload: DomainEvent>: Codable, Sendable, Equatable {
    public var messageId: UUID
    public var type: String
    public var version: Int
    public var occurredAt: Date
    public var contractId: UUID?
    public var correlationId: UUID
    public var causationId: UUID?
    public var payload: Payload

    /// A new envelope for `payload`. Without a correlation id the message starts a new correlation (its own id).
    public init(
        payload: Payload,
        contractId: UUID?,
        correlationId: UUID? = nil,
        causationId: UUID? = nil,
        messageId: UUID = .random(),
        occurredAt: Date = Date()
    ) {
        self.messageId = messageId
        self.type = Payload.eventType.name
        self.version = Payload.eventType.version
        self.occurredAt = Timestamp.rounded(occurredAt)
        self.contractId = contractId
        self.correlationId = correlationId ?? messageId
        self.causationId = causationId
        self.payload = payload
    }

    /// A new envelope for an event caused by the message with `cause`: same correlation, causation = cause's id.
    public init(payload: Payload, causedBy cause: EnvelopeHeader, contractId: UUID?, occurredAt: Date = Date()) {
        self.init(
            payload: payload,
            contractId: contractId,
            correlationId: cause.correlationId,
            causationId: cause.messageId,
            occurredAt: occurredAt
        )
    }

    public var header: EnvelopeHeader {
        EnvelopeHeader(
            messageId: messageId,
            type: type,
            version: version,
            occurredAt: occurredAt,
            contractId: contractId,
            correlationId: correlationId,
            causationId: causationId
        )
    }

    public var routingKey: String { payload.routingKey }
}
