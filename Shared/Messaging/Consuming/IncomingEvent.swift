public import AvtalDomain

/// A delivered message whose envelope header was read: what an ``EventHandlers`` handler receives.
public struct IncomingEvent: Sendable {
    public let header: EnvelopeHeader
    public let message: InboundMessage

    public init(header: EnvelopeHeader, message: InboundMessage) {
        self.header = header
        self.message = message
    }

    /// The whole envelope with its payload decoded as `Payload`; a payload that does not fit is unprocessable.
    public func envelope<Payload: DomainEvent>(as type: Payload.Type) throws(UnprocessableMessage) -> EventEnvelope<Payload> {
        do {
            return try EnvelopeCoding.decode(type, from: message.body)
        } catch {
            throw UnprocessableMessage(error.description)
        }
    }
}

/// Thrown by a handler for a message that can never succeed (a payload that does not decode, a value out of range):
/// the message is parked at once instead of being retried.
public struct UnprocessableMessage: Error, Sendable, CustomStringConvertible {
    public let reason: String

    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
