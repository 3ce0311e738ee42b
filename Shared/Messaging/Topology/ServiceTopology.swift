/// The queues one consuming service owns, named after it:
///
/// - `<service>.work` — a quorum queue bound to the routing keys the service handles, with a delivery limit as the
///   last defence against a poison message, dead-lettering to the parking queue;
/// - `<service>.retry.<n>` — one delay tier per retry, whose message TTL dead-letters back to the work queue;
/// - `<service>.parked` — where messages that cannot be handled wait for an operator (`avtalctl parked`).
///
/// Every queue is a quorum queue and every dead-letter route is at-least-once, so no message is lost on the way.
public struct ServiceTopology: Sendable, Equatable {
    public var service: String
    public var exchange: String
    public var routingKeys: [String]
    public var retry: RetryPolicy
    /// How many deliveries of one message the broker allows before dead-lettering it to the parking queue.
    public var deliveryLimit: Int

    public init(service: String, exchange: String, routingKeys: [String], retry: RetryPolicy = .standard, deliveryLimit: Int = 20) {
        self.service = service
        self.exchange = exchange
        self.routingKeys = routingKeys
        self.retry = retry
        self.deliveryLimit = deliveryLimit
    }

    public var workQueue: String { "\(service).work" }
    public var parkingQueue: String { "\(service).parked" }

    public func delayQueue(tier: Int) -> String { "\(service).retry.\(tier + 1)" }

    public var queues: [QueueSpec] {
        let work = QueueSpec.quorum(
            workQueue,
            deliveryLimit: deliveryLimit,
            deadLetterTo: parkingQueue,
            bindings: routingKeys.map { QueueSpec.Binding(exchange: exchange, routingKey: $0) }
        )
        let delays = retry.delays.indices.map { tier in
            QueueSpec.quorum(delayQueue(tier: tier), messageTTL: retry.delays[tier], deadLetterTo: workQueue)
        }
        return [QueueSpec.quorum(parkingQueue), work] + delays
    }

    /// Everything to declare: the exchange, the parking queue first (dead-letter targets before their sources),
    /// the work queue and its delay tiers.
    public var topology: Topology {
        Topology(exchanges: [exchange], queues: queues)
    }
}
