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

    /// Declares every exchange, queue and binding, asking `stopped` before each request and throwing ``AMQPError/Code/stopped``
    /// once it says yes: a consumer stopped while it connects ends after the request in hand, not after all of them —
    /// a service's topology is a request per exchange, queue and binding, and on a busy broker each quorum queue's may take a while (a service
    /// stopped during its start once outlasted the 10 s its shutdown is given, and crashed).
    func declare(on connection: AMQPConnection, unlessStopped stopped: () -> Bool = { false }) throws(AMQPError) {
        func next() throws(AMQPError) {
            if stopped() { throw AMQPError(.stopped, "stopped while declaring the topology") }
        }
        for exchange in exchanges {
            try next()
            try connection.declareExchange(exchange, type: "topic")
        }
        for queue in queues {
            try next()
            try connection.declareQueue(queue.name, arguments: queue.arguments)
            for binding in queue.bindings {
                try next()
                try connection.bindQueue(queue.name, exchange: binding.exchange, routingKey: binding.routingKey)
            }
        }
    }
}
