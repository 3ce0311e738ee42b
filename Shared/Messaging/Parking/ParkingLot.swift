/// What an operator does with a service's parked messages: look at them, and send them back to the work queue once
/// the cause is fixed. Used by `avtalctl parked`.
public struct ParkingLot: Sendable {
    /// A parked message as an operator sees it: never its body, which may hold personal data.
    public struct Entry: Sendable, Equatable {
        public var messageId: String
        public var type: String?
        public var reason: String
        public var parkedAt: String?
        public var attempts: Int

        public init(messageId: String, type: String?, reason: String, parkedAt: String?, attempts: Int) {
            self.messageId = messageId
            self.type = type
            self.reason = reason
            self.parkedAt = parkedAt
            self.attempts = attempts
        }
    }

    private let connection: ConnectionOptions
    private let topology: ServiceTopology

    public init(connection: ConnectionOptions, topology: ServiceTopology) {
        self.connection = connection
        self.topology = topology
    }

    /// Up to `limit` parked messages, oldest first. Nothing is taken off the queue.
    public func list(limit: Int = 100) async throws(AMQPError) -> [Entry] {
        try await withConnection { connection throws(AMQPError) in
            var entries: [Entry] = []
            while entries.count < limit, let message = try connection.get(queue: topology.parkingQueue) {
                entries.append(Self.entry(message))
            }
            // Closing the channel without acknowledging gives every message back to the queue, in order.
            return entries
        }
    }

    /// Moves parked messages back to the work queue with a fresh attempt count: all of them, or those whose message
    /// id is in `messageIds`. Each is removed from the parking queue only after the broker confirmed its copy.
    /// Only what was parked when the replay began is looked at, each once: a message that fails again at once is
    /// parked behind them and left there, never fetched again in the same pass. Returns the replayed entries.
    public func replay(messageIds: Set<String>? = nil) async throws(AMQPError) -> [Entry] {
        try await withConnection { connection throws(AMQPError) in
            try connection.enableConfirms()
            let parkedAtStart = try connection.declareQueue(topology.parkingQueue, arguments: [:], passive: true)
            var replayed: [Entry] = []
            for _ in 0..<parkedAtStart {
                guard let message = try connection.get(queue: topology.parkingQueue) else { break }
                guard messageIds.map({ $0.contains(message.messageId ?? "") }) ?? true else { continue }
                var headers = message.headers
                for header in [
                    RetryPolicy.attemptHeader, RetryPolicy.lastErrorHeader, EventConsumer.parkedReasonHeader,
                    EventConsumer.parkedFromHeader, EventConsumer.parkedAtHeader, "x-death",
                ] {
                    headers[header] = nil
                }
                let copy = message.republished(exchange: "", routingKey: topology.workQueue, headers: headers)
                try connection.publish(copy)
                try Self.awaitConfirm(on: connection)
                try connection.ack(message.deliveryTag)
                replayed.append(Self.entry(message))
            }
            return replayed
        }
    }

    private static func awaitConfirm(on connection: AMQPConnection) throws(AMQPError) {
        while true {
            switch try connection.nextConfirmEvent(timeout: .seconds(10)) {
            case .ack: return
            case .nack: throw AMQPError(.nacked, "the broker refused a replayed message")
            case .returned(_, let text): throw AMQPError(.unroutable, "replayed message returned: \(text)")
            case nil: throw AMQPError(.confirmTimeout, "no confirm for a replayed message")
            }
        }
    }

    private static func entry(_ message: InboundMessage) -> Entry {
        let reason =
            message.headers[EventConsumer.parkedReasonHeader]?.stringValue
            ?? deathReason(message.headers) ?? "unknown"
        return Entry(
            messageId: message.messageId ?? "-",
            type: message.type,
            reason: reason,
            parkedAt: message.headers[EventConsumer.parkedAtHeader]?.stringValue,
            attempts: RetryPolicy.previousFailures(in: message.headers)
        )
    }

    /// The broker's reason for a message it dead-lettered itself (`x-death`), such as `delivery_limit` or `rejected`.
    private static func deathReason(_ headers: FieldTable) -> String? {
        guard case .array(let deaths)? = headers["x-death"], case .table(let first)? = deaths.first else { return nil }
        return first["reason"]?.stringValue.map { "dead-lettered by the broker: \($0)" }
    }

    private func withConnection<T: Sendable>(_ body: @escaping @Sendable (AMQPConnection) throws(AMQPError) -> T) async throws(AMQPError) -> T {
        let thread = ConnectionThread()
        let result: Result<T, AMQPError>
        do {
            result = try await thread.run { [connection, topology] in
                Result { () throws(AMQPError) -> T in
                    var preferred = 0
                    let amqp = try connection.connect(preferred: &preferred)
                    defer { amqp.close() }
                    // Only look: declaring would need the service's exact queue arguments.
                    try amqp.declareQueue(topology.parkingQueue, arguments: [:], passive: true)
                    return try body(amqp)
                }
            }
        } catch {
            result = .failure(AMQPError(.stopped, "connection thread stopped"))
        }
        await thread.shutdown()
        return try result.get()
    }
}
