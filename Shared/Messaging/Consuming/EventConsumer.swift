import AvtalDomain
import AvtalTracing
import Foundation
import Instrumentation
public import Logging
import Metrics
public import ServiceLifecycle
import Synchronization
import Tracing

/// A service's consumer of domain events: takes messages from its work queue, hands each to its handler, and makes
/// sure every message ends in exactly one place.
///
/// - handled → acknowledged;
/// - failed → re-published to the next delay tier with the attempt count raised, then acknowledged;
/// - failed on the last tier, not an envelope, of an unknown type or version, or unprocessable → re-published to the
///   parking queue with the reason, then acknowledged.
///
/// A handler that has not finished after `handlerTimeLimit` counts as failed (its message takes the retry path) and
/// is left to end by itself.
///
/// A failure while our own infrastructure does not answer (the ``InfrastructureWatch``: the database) spends no
/// attempt: the message is held — and the consumer takes nothing new into its hands — until the database answers
/// again, then handled anew. One held longer than ``outageHoldLimit`` is given back to its queue, unspent, so the
/// broker's delivery time-out (30 minutes) never closes the channel; a stopping consumer gives its held messages back.
///
/// A message is acknowledged only after its copy was confirmed by the broker; if re-publishing fails, the original is
/// rejected and the broker's own dead-letter route (to the parking queue) or a redelivery takes over. Nothing is
/// dropped, and a crash at any point leads at worst to a redelivery, which the handlers' inbox makes harmless.
public final class EventConsumer: Service {
    public static let parkedReasonHeader = "x-avtal-parked-reason"
    public static let parkedFromHeader = "x-avtal-parked-from"
    public static let parkedAtHeader = "x-avtal-parked-at"
    /// How long one message's handler may run unless the service says otherwise (`HANDLER_TIME_LIMIT_SECONDS`).
    public static let defaultHandlerTimeLimit = Duration.seconds(120)
    /// How long a message is held during an outage before it is given back to its queue (and taken again).
    public static let outageHoldLimit = Duration.seconds(600)
    /// How often a held message looks at the watch again.
    static let outageCheckInterval = Duration.milliseconds(500)

    private let topology: ServiceTopology
    private let handlers: EventHandlers
    private let publisher: AMQPPublisher
    private let consumer: AMQPConsumer
    private let handlerTimeLimit: Duration
    private let infrastructure: (any InfrastructureWatch)?
    private let logger: Logger
    private let stopping = Atomic(false)

    public init(
        topology: ServiceTopology,
        handlers: EventHandlers,
        connection: ConnectionOptions,
        publisher: AMQPPublisher,
        prefetch: UInt16 = 50,
        concurrency: Int = 1,
        handlerTimeLimit: Duration = EventConsumer.defaultHandlerTimeLimit,
        infrastructure: (any InfrastructureWatch)? = nil,
        logger: Logger
    ) {
        self.handlerTimeLimit = handlerTimeLimit
        self.infrastructure = infrastructure
        self.topology = topology
        self.handlers = handlers
        self.publisher = publisher
        self.logger = logger
        consumer = AMQPConsumer(
            configuration: .init(
                connection: connection, queue: topology.workQueue, topology: topology.topology, prefetch: prefetch,
                concurrency: concurrency),
            logger: logger
        )
    }

    public var isConsuming: Bool { consumer.isConsuming }

    /// A message's envelope header, read once as it arrives (or why it is not an envelope): its contract orders the
    /// message, and its type picks the handler.
    typealias HeaderReading = Result<EnvelopeHeader, EnvelopeCoding.DecodingFailure>

    @Sendable static func readHeader(_ message: InboundMessage) -> HeaderReading {
        do {
            return .success(try EnvelopeCoding.decodeHeader(message.body))
        } catch {
            return .failure(error)
        }
    }

    /// Events about one contract are handled in the order they arrived, one at a time, whatever the concurrency:
    /// handlers never race each other on a contract.
    @Sendable static func contractOf(_ header: HeaderReading) -> String? {
        try? header.get().contractId?.uuidString
    }

    /// Consumes until graceful shutdown or cancellation, finishing the message in hand.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await consumer.run(reading: Self.readHeader, orderedBy: Self.contractOf) { [self] message, header in
                await process(message, header: header)
            }
        } onGracefulShutdown: { [self] in
            stop()
        }
    }

    /// Stops consuming; ``run()`` returns once the message in hand is settled (a held one is given back).
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        consumer.stop()
    }

    // MARK: One message

    private enum Outcome {
        case handled
        case failed(String)
        case unprocessable(String)
    }

    func process(_ message: InboundMessage, header: HeaderReading) async -> Disposition {
        var logger = logger
        logger[metadataKey: "avtal.message.id"] = "\(message.messageId ?? "-")"
        let held = ContinuousClock.now
        // Whether this message was counted as held (`outcome="held"`): once, whether it waited before its first
        // attempt (the watch already knew) or after a failed one.
        var countedHeld = false
        var outcome: Outcome
        while true {
            guard await infrastructureAnswers(heldSince: held, countedHeld: &countedHeld) else {
                logger.warning("the database still does not answer; the message goes back to its queue, no attempt spent")
                count("givenBack")
                return .reject(requeue: true)
            }
            outcome = await handle(message, header: header, logger: &logger)
            guard case .failed(let reason) = outcome, let infrastructure else { break }
            // Stopping (the handler was cancelled with it): the message goes back unspent, never round again.
            if Task.isCancelled || stopping.load(ordering: .relaxed) {
                count("givenBack")
                return .reject(requeue: true)
            }
            guard await !infrastructure.answersNow() else { break }
            logger.warning(
                "handler failed while the database does not answer; holding the message, no attempt spent",
                metadata: ["avtal.error": "\(reason.prefix(300))"])
            countHeld(&countedHeld)
        }
        switch outcome {
        case .handled:
            count("handled")
            return .ack
        case .unprocessable(let reason):
            return await park(message, reason: reason, logger: logger)
        case .failed(let reason):
            switch topology.retry.decision(previousFailures: RetryPolicy.previousFailures(in: message.headers)) {
            case .retry(let tier, let attempt):
                return await delay(message, tier: tier, attempt: attempt, reason: reason, logger: logger)
            case .park:
                return await park(message, reason: "gave up after \(topology.retry.delays.count + 1) attempts: \(reason)", logger: logger)
            }
        }
    }

    /// Counts the message as held (`avtal_messages_consumed_total{outcome="held"}`), once per message.
    private func countHeld(_ counted: inout Bool) {
        guard !counted else { return }
        counted = true
        count("held")
    }

    /// Waits while the infrastructure does not answer — the message held, counted once — true once it does, false
    /// when the consumer stops or the message was held past ``outageHoldLimit``.
    private func infrastructureAnswers(heldSince: ContinuousClock.Instant, countedHeld: inout Bool) async -> Bool {
        guard let infrastructure else { return true }
        while !infrastructure.isAnswering {
            countHeld(&countedHeld)
            if stopping.load(ordering: .relaxed) || ContinuousClock.now - heldSince > Self.outageHoldLimit { return false }
            try? await Task.sleep(for: Self.outageCheckInterval)
        }
        return true
    }

    private func handle(_ message: InboundMessage, header reading: HeaderReading, logger: inout Logger) async -> Outcome {
        let header: EnvelopeHeader
        switch reading {
        case .success(let read): header = read
        case .failure(let error): return .unprocessable(error.description)
        }
        logger[metadataKey: "avtal.event.type"] = "\(header.eventType)"
        if let contractId = header.contractId { logger[metadataKey: "avtal.contract.id"] = "\(contractId)" }
        logger[metadataKey: "avtal.correlation.id"] = "\(header.correlationId)"
        guard let handler = handlers.handler(for: header.eventType) else {
            return .unprocessable("no handler for event type \(header.eventType) in \(topology.service)")
        }
        let event = IncomingEvent(header: header, message: message)
        // The handler runs in a consumer span, a child of the span that wrote the event to its outbox (the message's
        // `traceparent`): whatever it stores or publishes stays in the contract's trace.
        let span = startSpan(
            "\(header.eventType.name) process", context: TraceParent.context(from: message.headers[TraceParent.header]?.stringValue),
            ofKind: .consumer)
        span.attributes["messaging.system"] = "rabbitmq"
        span.attributes["messaging.operation.type"] = "process"
        span.attributes["messaging.destination.name"] = topology.workQueue
        span.attributes["messaging.message.id"] = message.messageId
        span.attributes["avtal.event.type"] = header.eventType.description
        span.attributes["avtal.contract.id"] = header.contractId?.uuidString.lowercased()
        let outcome = await InstrumentationContext.$current.withValue(span.context) { [logger] in
            await run(handler, event, logger: logger)
        }
        switch outcome {
        case .handled: break
        case .failed(let reason), .unprocessable(let reason):
            span.setStatus(SpanStatus(code: .error, message: String(reason.prefix(200))))
        }
        span.end()
        return outcome
    }

    private func run(_ handler: @escaping EventHandlers.Handler, _ event: IncomingEvent, logger: Logger) async -> Outcome {
        do {
            guard try await withTimeLimit(handlerTimeLimit, { try await handler(event) }) != nil else {
                logger.error("handler did not finish in time; it counts as failed", metadata: ["avtal.limit": "\(handlerTimeLimit)"])
                count("timedOut")
                return .failed("the handler did not finish within \(handlerTimeLimit)")
            }
            logger.debug("handled")
            return .handled
        } catch let error as UnprocessableMessage {
            return .unprocessable(error.reason)
        } catch {
            return .failed(String(describing: error))
        }
    }

    private func delay(_ message: InboundMessage, tier: Int, attempt: Int, reason: String, logger: Logger) async -> Disposition {
        var headers = message.headers
        headers[RetryPolicy.attemptHeader] = .int(Int64(attempt))
        headers[RetryPolicy.lastErrorHeader] = .string(String(reason.prefix(500)))
        let queue = topology.delayQueue(tier: tier)
        do {
            try await publisher.publish(message.republished(exchange: "", routingKey: queue, headers: headers))
            logger.warning(
                "handler failed, retrying later",
                metadata: ["avtal.attempt": "\(attempt)", "avtal.retry.queue": "\(queue)", "avtal.error": "\(reason)"]
            )
            count("retried")
            return .ack
        } catch {
            logger.error("could not delay a failed message, giving it back", metadata: ["avtal.error": "\(error)"])
            count("requeued")
            return .reject(requeue: true)
        }
    }

    private func park(_ message: InboundMessage, reason: String, logger: Logger) async -> Disposition {
        var headers = message.headers
        headers[Self.parkedReasonHeader] = .string(String(reason.prefix(1000)))
        headers[Self.parkedFromHeader] = .string(topology.workQueue)
        headers[Self.parkedAtHeader] = .string(Date().formatted(.iso8601))
        count("parked")
        do {
            try await publisher.publish(message.republished(exchange: "", routingKey: topology.parkingQueue, headers: headers))
            logger.error("message parked", metadata: ["avtal.reason": "\(reason)", "avtal.queue": "\(topology.parkingQueue)"])
            return .ack
        } catch {
            // The work queue dead-letters to the parking queue, at least once: let the broker move it.
            logger.error("message parked by dead-lettering", metadata: ["avtal.reason": "\(reason)", "avtal.error": "\(error)"])
            return .reject(requeue: false)
        }
    }

    private func count(_ outcome: String) {
        Counter(label: "avtal_messages_consumed_total", dimensions: [("queue", topology.workQueue), ("outcome", outcome)]).increment()
    }
}
