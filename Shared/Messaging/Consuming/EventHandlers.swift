public import AvtalDomain

/// The handlers a consuming service has, by event type and version.
///
/// A message whose type or version has no handler here is parked, with the reason, never guessed at.
public struct EventHandlers: Sendable {
    public typealias Handler = @Sendable (IncomingEvent) async throws -> Void

    private var handlers: [EventType: Handler] = [:]

    public init() {}

    /// Handles messages of `type`. A handler that throws ``UnprocessableMessage`` has its message parked; any other
    /// error is retried through the delay tiers.
    public mutating func on(_ type: EventType, _ handler: @escaping Handler) {
        handlers[type] = handler
    }

    public func handler(for type: EventType) -> Handler? {
        handlers[type]
    }

    public var eventTypes: [EventType] { Array(handlers.keys) }
}
