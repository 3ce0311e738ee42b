/// A fact one service tells the others, carried as the payload of an ``EventEnvelope``.
///
/// Each event declares its name and version once, and the routing key it is published with
/// (dotted, lower case, for example `contract.stored.standard`). Consumers bind their queues to routing keys.
public protocol DomainEvent: Codable, Sendable, Equatable {
    /// The envelope `type` and `version` this payload is published under.
    static var eventType: EventType { get }
    /// The routing key on the domain-event exchange.
    var routingKey: String { get }
}
