import Glibc
public import Logging
import Synchronization

/// Consumes one queue with manual acknowledgements and a bounded prefetch, over its own connection.
///
/// A dedicated thread runs the rabbitmq-c loop: it connects (going round the broker addresses with backoff),
/// declares the ``Topology``, consumes, hands each delivery to the async handler and sends back the handler's
/// ``Disposition``. After a lost connection it reconnects by itself; deliveries of the old connection that were not
/// settled are redelivered by the broker, so handlers must be idempotent. Dispositions for a connection that no
/// longer exists are dropped.
public final class AMQPConsumer: Sendable {
    public struct Configuration: Sendable {
        public var connection: ConnectionOptions
        public var queue: String
        public var topology: Topology
        /// The most unacknowledged deliveries the broker sends ahead.
        public var prefetch: UInt16
        /// How many deliveries the handler works on at once (1: strictly one after another, in queue order). More
        /// than one suits handlers that wait on other systems; the order between messages is then kept only among
        /// those with the same ``orderingKey``.
        public var concurrency: Int
        /// Deliveries with the same key are handled one after another, in the order they arrived, while others pass
        /// them; nil, or a delivery without a key: no order is kept.
        public var orderingKey: (@Sendable (InboundMessage) -> String?)?
        /// How long the thread blocks waiting for the broker before it looks again at what was asked of it. A handler's
        /// acknowledgement, and a stop, wake it at once (``WakePipe``).
        public var pollInterval: Duration

        public init(
            connection: ConnectionOptions, queue: String, topology: Topology, prefetch: UInt16 = 50, concurrency: Int = 1,
            orderingKey: (@Sendable (InboundMessage) -> String?)? = nil, pollInterval: Duration = .milliseconds(50)
        ) {
            self.orderingKey = orderingKey
            self.connection = connection
            self.queue = queue
            self.topology = topology
            self.prefetch = max(prefetch, UInt16(clamping: concurrency))
            self.concurrency = max(1, concurrency)
            self.pollInterval = pollInterval
        }
    }

    private struct Delivery: Sendable {
        var message: InboundMessage
        var generation: Int
    }

    private struct Shared {
        var dispositions: [(generation: Int, tag: UInt64, disposition: Disposition)] = []
        var stopRequested = false
        var closeRequested = false
        var isConsuming = false
        /// The thread was rung and has not taken what was asked since: settling more need not ring again.
        var isRung = false
    }

    /// How long the thread waits for the rest of a frame once the broker has begun sending it; and, only if the
    /// ``WakePipe`` could not be made, for the next delivery while others are in the handler's hands — short, so their
    /// acks go out soon. Not 1 ms: rabbitmq-c rounds the time left down to whole milliseconds for poll(2), so 1 ms
    /// became poll(…, 0) and the thread spun a whole core for as long as any delivery was in hand (seen with strace:
    /// ~4 000 recvfrom/poll pairs a second); 2 ms becomes poll(…, 1). That timed wait still woke the thread 500 times
    /// a second under load; the pipe wakes it once per batch of settled deliveries.
    static let settlingWait = Duration.milliseconds(2)

    private let configuration: Configuration
    private let logger: Logger
    private let shared = Mutex(Shared())
    private let thread = ConnectionThread()
    private let wake = WakePipe()

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Whether the consumer is connected and consuming right now.
    public var isConsuming: Bool { shared.withLock { $0.isConsuming } }

    /// Consumes until ``stop()`` (or task cancellation), calling `handler` for up to `concurrency` deliveries at a
    /// time and settling each as the handler says. Deliveries already in the handler's hands when the consumer stops
    /// are finished first.
    public func run(handler: @escaping @Sendable (InboundMessage) async -> Disposition) async {
        let key = configuration.concurrency > 1 ? configuration.orderingKey : nil
        await run(reading: { message in key?(message) }, orderedBy: { $0 }, handler: { message, _ in await handler(message) })
    }

    /// Consumes as ``run(handler:)`` does, reading each delivery once, as it arrives, with `read`: its ordering key
    /// comes from that reading (`orderedBy`, instead of the configuration's ``Configuration/orderingKey``), and the
    /// handler gets the reading with the message — what a message says of itself is worked out once, not again for
    /// the key, the dispatch behind a busy key and the handler (issue 19: each envelope's header was decoded three times).
    public func run<Reading: Sendable>(
        reading read: @escaping @Sendable (InboundMessage) -> Reading,
        orderedBy key: @escaping @Sendable (Reading) -> String?,
        handler: @escaping @Sendable (InboundMessage, Reading) async -> Disposition
    ) async {
        let (deliveries, continuation) = AsyncStream.makeStream(of: Delivery.self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                _ = try? await thread.run { [self] in loop(continuation) }
                continuation.finish()
            }
            await withTaskCancellationHandler {
                await dispatch(deliveries, reading: read, orderedBy: key, handler: handler)
            } onCancel: {
                stop()
            }
            ask { $0.closeRequested = true }
        }
        await thread.shutdown()
    }

    /// A delivery as the handler will get it: read, and with its ordering key.
    private struct ReadDelivery<Reading: Sendable>: Sendable {
        var delivery: Delivery
        var reading: Reading
        var key: String?
    }

    /// Up to `concurrency` deliveries at once. A delivery whose key is already in the handler's hands waits behind
    /// it: the task handling that key takes the deliveries waiting behind it one after another before it ends, so
    /// deliveries with one key keep their order while the others pass. The prefetch bounds how many wait.
    private func dispatch<Reading: Sendable>(
        _ deliveries: AsyncStream<Delivery>, reading read: @Sendable (InboundMessage) -> Reading, orderedBy key: @Sendable (Reading) -> String?,
        handler: @escaping @Sendable (InboundMessage, Reading) async -> Disposition
    ) async {
        let ordered = configuration.concurrency > 1
        let waiting = WaitingByKey<ReadDelivery<Reading>>()
        await withTaskGroup(of: Void.self) { group in
            var running = 0
            for await delivery in deliveries {
                if shared.withLock({ $0.stopRequested }) { break }
                let reading = read(delivery.message)
                let item = ReadDelivery(delivery: delivery, reading: reading, key: ordered ? key(reading) : nil)
                if let itemKey = item.key, waiting.queueIfBusy(item, key: itemKey) { continue }
                if running >= configuration.concurrency {
                    await group.next()
                    running -= 1
                }
                group.addTask { [self] in
                    var next: ReadDelivery<Reading>? = item
                    while let current = next {
                        await settle(current.delivery) { await handler($0, current.reading) }
                        guard let currentKey = current.key else { break }
                        next = waiting.next(after: currentKey)
                    }
                }
                running += 1
            }
            await group.waitForAll()
        }
    }

    private func settle(_ delivery: Delivery, handler: @Sendable (InboundMessage) async -> Disposition) async {
        let disposition = await handler(delivery.message)
        ask { $0.dispositions.append((delivery.generation, delivery.message.deliveryTag, disposition)) }
    }

    /// Stops taking new deliveries; ``run(handler:)`` returns once the delivery in hand is settled.
    public func stop() {
        ask { $0.stopRequested = true }
    }

    /// Changes what the thread is asked to do and wakes it, unless it was woken already and has not looked since.
    private func ask(_ change: (inout Shared) -> Void) {
        let ring = shared.withLock { shared in
            change(&shared)
            defer { shared.isRung = true }
            return !shared.isRung
        }
        if ring { wake?.ring() }
    }

    // MARK: On the connection's thread

    private func loop(_ deliveries: AsyncStream<Delivery>.Continuation) {
        var connection: AMQPConnection?
        var consumerTag: String?
        var generation = 0
        var preferredAddress = 0
        var backoff = configuration.connection.initialBackoff
        /// Deliveries of the current connection handed to the handler and not yet settled.
        var inFlight = 0

        func drop(_ error: AMQPError) {
            logger.warning(
                "consumer lost its connection, reconnecting",
                metadata: ["avtal.queue": "\(configuration.queue)", "avtal.error": "\(error)"]
            )
            connection?.close()
            connection = nil
            consumerTag = nil
            shared.withLock { $0.isConsuming = false }
        }

        while true {
            // Drained before what was asked is taken: a ring after this is for something not taken yet, and stays.
            wake?.drain()
            let (dispositions, stopRequested, closeRequested) = shared.withLock { shared in
                defer {
                    shared.dispositions.removeAll()
                    shared.isRung = false
                }
                return (shared.dispositions, shared.stopRequested, shared.closeRequested)
            }
            if let current = connection {
                do {
                    for item in dispositions where item.generation == generation {
                        inFlight -= 1
                        switch item.disposition {
                        case .ack: try current.ack(item.tag)
                        case .reject(let requeue): try current.reject(item.tag, requeue: requeue)
                        }
                    }
                } catch {
                    drop(error)
                }
            }
            if closeRequested {
                connection?.close()
                shared.withLock { $0.isConsuming = false }
                return
            }
            if stopRequested {
                if let current = connection, let tag = consumerTag {
                    try? current.cancel(consumerTag: tag)
                    consumerTag = nil
                }
                deliveries.finish()
                // A plain pause: `sleep(for:)` returns at once after a stop, and this loop spun a core while the
                // handlers finished.
                nap(.milliseconds(5))
                continue
            }
            guard let current = connection else {
                do {
                    connection = try connect(preferred: &preferredAddress, consumerTag: &consumerTag)
                    generation += 1
                    inFlight = 0
                    backoff = configuration.connection.initialBackoff
                    shared.withLock { $0.isConsuming = true }
                } catch  where error.code == .stopped {
                    continue  // asked to stop while it declared: the loop's next turn stops
                } catch {
                    logger.warning(
                        "consumer cannot connect, retrying",
                        metadata: ["avtal.queue": "\(configuration.queue)", "avtal.error": "\(error)", "avtal.backoff": "\(backoff)"]
                    )
                    sleep(for: backoff)
                    backoff = min(backoff * 2, configuration.connection.maximumBackoff)
                }
                continue
            }
            let patience = wake == nil && inFlight > 0 ? Self.settlingWait : configuration.pollInterval
            switch current.waitForInput(orReadable: wake?.readDescriptor ?? -1, timeout: patience) {
            case .woken: continue
            case .input, .timeout: break  // on a timeout too: rabbitmq-c sends a heartbeat that is due
            }
            do {
                switch try current.nextDelivery(timeout: Self.settlingWait) {
                case .delivery(let message):
                    inFlight += 1
                    deliveries.yield(Delivery(message: message, generation: generation))
                case .timeout:
                    continue
                case .cancelledByServer:
                    drop(AMQPError(.serverClosedChannel, "the broker cancelled the consumer of '\(configuration.queue)'"))
                }
            } catch {
                drop(error)
            }
        }
    }

    private func connect(preferred: inout Int, consumerTag: inout String?) throws(AMQPError) -> AMQPConnection {
        let connection = try configuration.connection.connect(preferred: &preferred)
        do {
            try configuration.topology.declare(on: connection) { shared.withLock { $0.stopRequested || $0.closeRequested } }
            try connection.setPrefetch(configuration.prefetch)
            consumerTag = try connection.consume(queue: configuration.queue)
        } catch {
            connection.close()
            throw error
        }
        logger.debug(
            "consuming",
            metadata: ["avtal.queue": "\(configuration.queue)", "avtal.broker": "\(connection.address)"]
        )
        return connection
    }

    /// Sleeps the consumer's own thread, waking early when a stop is requested.
    private func sleep(for duration: Duration) {
        let deadline = ContinuousClock.now.advanced(by: duration)
        while ContinuousClock.now < deadline, !shared.withLock({ $0.stopRequested || $0.closeRequested }) {
            nap(min(ContinuousClock.now.duration(to: deadline), .milliseconds(20)))
        }
    }

    /// Sleeps the consumer's own thread for `duration`, whatever is requested meanwhile.
    private func nap(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
        nanosleep(&request, nil)
    }
}

/// The keys in a consumer's hands, each with the deliveries that arrived for it meanwhile, in order.
private final class WaitingByKey<Item: Sendable>: Sendable {
    private let waiting = Mutex<[String: [Item]]>([:])

    /// Queues `item` behind its key if the key is in hand (true); else marks the key in hand (false).
    func queueIfBusy(_ item: Item, key: String) -> Bool {
        waiting.withLock { waiting in
            if waiting[key] != nil {
                waiting[key]?.append(item)
                return true
            }
            waiting[key] = []
            return false
        }
    }

    /// The next item waiting behind `key`, or nil, and then the key is no longer in hand.
    func next(after key: String) -> Item? {
        waiting.withLock { waiting in
            guard let following = waiting[key]?.first else {
                waiting[key] = nil
                return nil
            }
            waiting[key]?.removeFirst()
            return following
        }
    }
}
