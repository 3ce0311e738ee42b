/// A durable queue to declare, with its arguments and the bindings that feed it.
public struct QueueSpec: Sendable, Equatable {
    public struct Binding: Sendable, Equatable {
        public var exchange: String
        public var routingKey: String

        public init(exchange: String, routingKey: String) {
            self.exchange = exchange
            self.routingKey = routingKey
        }
    }

    public var name: String
    public var arguments: FieldTable
    public var bindings: [Binding]

    public init(name: String, arguments: FieldTable, bindings: [Binding] = []) {
        self.name = name
        self.arguments = arguments
        self.bindings = bindings
    }

    /// A quorum queue (replicated, durable); `deadLetterTo` routes rejected and expired messages to another queue
    /// through the default exchange, at least once.
    public static func quorum(
        _ name: String,
        deliveryLimit: Int? = nil,
        messageTTL: Duration? = nil,
        deadLetterTo target: String? = nil,
        bindings: [Binding] = []
    ) -> QueueSpec {
        var arguments: FieldTable = ["x-queue-type": "quorum"]
        if let deliveryLimit { arguments["x-delivery-limit"] = .int(Int64(deliveryLimit)) }
        if let messageTTL {
            let (seconds, attoseconds) = messageTTL.components
            arguments["x-message-ttl"] = .int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
        }
        if let target {
            arguments["x-dead-letter-exchange"] = ""
            arguments["x-dead-letter-routing-key"] = .string(target)
            // At-least-once dead-lettering keeps a message until the target confirms it; it needs reject-publish.
            arguments["x-dead-letter-strategy"] = "at-least-once"
            arguments["x-overflow"] = "reject-publish"
        }
        return QueueSpec(name: name, arguments: arguments, bindings: bindings)
    }
}
