/// Exchanges and queues a connection declares, every time it connects, so that a broker that lost them (a fresh
/// node, a deleted queue) gets them back without an operator.
///
/// Declarations are idempotent as long as the arguments do not change; a changed argument is refused by the broker
/// (406 PRECONDITION_FAILED) and reported, never silently ignored.
public struct Topology: Sendable, Equatable {
    /// Topic exchanges, all durable.
    public var exchanges: [String]
    public var queues: [QueueSpec]

    public init(exchanges: [String] = [], queues: [QueueSpec] = []) {
        self.exchanges = exchanges
        self.queues = queues
    }

    func declare(on connection: AMQPConnection) throws(AMQPError) {
        for exchange in exchanges {
            try connection.declareExchange(exchange, type: "topic")
        }
        for queue in queues {
            try connection.declareQueue(queue.name, arguments: queue.arguments)
            for binding in queue.bindings {
                try connection.bindQueue(queue.name, exchange: binding.exchange, routingKey: binding.routingKey)
            }
        }
    }
}
