import AvtalDomain
import AvtalMessaging
import Foundation

/// An event type only the tests publish.
struct TestPing: DomainEvent {
    static let eventType = EventType("TestPing", version: 1)
    var sequence: Int
    var routingKey: String { "test.ping" }
}

extension TestPing {
    /// An envelope around ping `sequence`, as an AMQP message for `exchange`.
    static func message(
        _ sequence: Int, exchange: String, routingKey: String = "test.ping", contractId: UUID = UUID()
    ) throws -> (EventEnvelope<TestPing>, OutboundMessage) {
        let envelope = EventEnvelope(payload: TestPing(sequence: sequence), contractId: contractId)
        let message = OutboundMessage(
            exchange: exchange,
            routingKey: routingKey,
            body: try EnvelopeCoding.encode(envelope),
            messageId: envelope.messageId.uuidString.lowercased(),
            type: envelope.type
        )
        return (envelope, message)
    }
}
