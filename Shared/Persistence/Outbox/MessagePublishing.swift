public import AvtalMessaging

/// Something that publishes messages with confirms and says, for each, whether it was confirmed.
/// ``AMQPPublisher`` is the real one; tests wrap it to inject a crash between publishing and recording.
public protocol MessagePublishing: Sendable {
    func publish(_ messages: [OutboundMessage]) async throws -> [Result<Void, AMQPError>]
}

extension AMQPPublisher: MessagePublishing {}
