import AvtalMessaging
import AvtalTracing
import Foundation
public import Logging
import Metrics
import NIOCore
public import PostgresNIO
public import ServiceLifecycle
import Synchronization
import Tracing

/// Publishes a schema's outbox to the broker and marks rows published only after the broker confirmed them.
///
/// It wakes when a writer of its process rings the schema's ``OutboxSignal`` after a commit, or on a
/// `NOTIFY <schema>_outbox` from elsewhere, and polls every second as a fallback (the rows of another replica, when
/// that replica's relay is down); a ring its latest round already covered (the commit came before the round looked)
/// starts no round. Each round locks a batch of due rows with
/// `FOR UPDATE SKIP LOCKED`, so relays in several replicas share the work without sending a row twice under normal
/// operation; a crash between publishing and marking leaves the rows unmarked, and they are sent again after the
/// restart (at least once — consumers deduplicate with their inbox). A row the broker refuses waits with a growing
/// delay and does not hold up the rows behind it.
public final class OutboxRelay: Service {
    public struct Configuration: Sendable {
        /// The topic exchange events are published to.
        public var exchange: String
        public var batchSize: Int
        /// How long to wait for a notification before looking anyway.
        public var pollInterval: Duration
        /// The longest a refused row waits before its next try.
        public var maximumRetryDelay: Duration
        /// How often the broker may refuse a row (no route, a nack) before the relay gives up on it: it is then kept
        /// as failed, counted in `avtal_outbox_failed_total`, and listed by `avtalctl outbox failed`.
        public var maximumAttempts: Int
        /// How long the relay lets rows gather after a notification before it takes them (`OUTBOX_GATHER_MS`): under
        /// load one round then publishes and marks many rows instead of one transaction per event; idle, an event
        /// waits this much longer.
        public var gather: Duration

        public init(
            exchange: String, batchSize: Int = 200, pollInterval: Duration = .seconds(1), maximumRetryDelay: Duration = .seconds(60),
            maximumAttempts: Int = 10, gather: Duration = .zero
        ) {
            self.exchange = exchange
            self.batchSize = batchSize
            self.pollInterval = pollInterval
            self.maximumRetryDelay = maximumRetryDelay
            self.maximumAttempts = max(1, maximumAttempts)
            self.gather = gather
        }
    }

    private let schema: SchemaName
    private let slot: any SchemaSlot.Type
    private let client: PostgresClient
    private let publisher: any MessagePublishing
    private let configuration: Configuration
    private let logger: Logger
    private let doorbell = Doorbell()
    private let signal: OutboxSignal
    /// The signal's count when the latest round looked: rings up to it followed commits that round saw.
    private let coveredRings = Atomic<UInt64>(0)
    /// A `NOTIFY` came since the latest round looked.
    private let notified = Atomic<Bool>(false)
    /// Rounds that found no due row, for the tests.
    let emptyRounds = Atomic<Int>(0)

    public init(schema: SchemaName, client: PostgresClient, publisher: any MessagePublishing, configuration: Configuration, logger: Logger) {
        self.schema = schema
        self.slot = SchemaSlots.slot(for: schema)
        self.signal = OutboxSignal.signal(for: schema)
        self.client = client
        self.publisher = publisher
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        signal.attach(doorbell)
        defer { signal.detach(doorbell) }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.listenForNotifications() }
                await self.relayUntilCancelled()
                group.cancelAll()
            }
        }
    }

    /// Publishes one batch of due rows and returns how many were confirmed and marked. Throws, after marking what
    /// was confirmed, when the broker could not be reached, so the caller backs off.
    @discardableResult
    public func relayOnce() async throws -> Int {
        let (count, unreachable) = try await client.withTransaction(logger: logger) { connection -> (Int, AMQPError?) in
            notified.store(false, ordering: .relaxed)
            coveredRings.store(signal.count, ordering: .relaxed)
            var rows = try await dueRows(on: connection)
            guard !rows.isEmpty else {
                emptyRounds.add(1, ordering: .relaxed)
                return (0, nil)
            }
            let spans = rows.indices.map { startPublishSpan(&rows[$0]) }
            let outcomes = try await publisher.publish(rows.map(\.message))
            var published: [Int64] = []
            var unreachable: AMQPError?
            for (index, (row, outcome)) in zip(rows, outcomes).enumerated() {
                if case .failure = outcome { spans[index]?.setStatus(SpanStatus(code: .error)) }
                spans[index]?.end()
                switch outcome {
                case .success:
                    published.append(row.id)
                case .failure(let error) where error.isRefusalOfMessage:
                    try await postpone(row, error: error, on: connection)
                case .failure(let error):
                    unreachable = error
                }
            }
            if !published.isEmpty {
                try await Self.markPublished(published, in: slot, on: connection, logger: logger)
            }
            Counter(label: "avtal_outbox_published_total", dimensions: [("schema", schema.name)]).increment(by: published.count)
            return (published.count, unreachable)
        }
        if let unreachable { throw unreachable }
        return count
    }

    // MARK: Loop

    private func relayUntilCancelled() async {
        var failureDelay = Duration.milliseconds(100)
        var measured = ContinuousClock.now - Self.measureEvery
        while !Task.isCancelled {
            if ContinuousClock.now - measured >= Self.measureEvery {
                measured = .now
                await measureOldest()
            }
            do {
                let published = try await relayOnce()
                failureDelay = .milliseconds(100)
                if published >= configuration.batchSize { continue }
                await waitForWork()
                if configuration.gather > .zero { try? await Task.sleep(for: configuration.gather) }
            } catch {
                logger.warning("outbox relay round failed", metadata: ["avtal.schema": "\(schema)", "avtal.error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: failureDelay)
                failureDelay = min(failureDelay * 2, .seconds(5))
            }
        }
    }

    static let measureEvery: Duration = .seconds(15)

    /// Waits until a ring the latest round did not cover, or a `NOTIFY`, or the polling interval has passed.
    private func waitForWork() async {
        let deadline = ContinuousClock.now + configuration.pollInterval
        while !Task.isCancelled {
            guard await doorbell.wait(upTo: deadline - .now) else { return }
            if signal.count > coveredRings.load(ordering: .relaxed) || notified.load(ordering: .relaxed) { return }
        }
    }

    /// How long the oldest row still to be published has waited (`avtal_outbox_oldest_seconds`; 0 when none does):
    /// rows given up on are left out, they have their own counter. One query on the due-rows index every 15 s.
    private func measureOldest() async {
        do {
            let rows = try await client.query(
                """
                SELECT coalesce(extract(epoch FROM now() - min(created_at)), 0)::float8 FROM \(unescaped: schema.name).outbox
                WHERE published_at IS NULL AND failed_at IS NULL
                """, logger: logger)
            for try await oldest in rows.decode(Double.self) {
                Gauge(label: "avtal_outbox_oldest_seconds", dimensions: [("schema", schema.name)]).record(oldest)
            }
        } catch {
            logger.debug("outbox age not measured", metadata: ["avtal.error": "\(String(reflecting: error))"])
        }
    }

    /// Rings the doorbell on every `NOTIFY <schema>_outbox` (another process's writes: `avtalctl outbox retry`);
    /// re-listens after a lost connection.
    private func listenForNotifications() async {
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: schema.outboxChannel) { notifications in
                        for try await _ in notifications {
                            notified.store(true, ordering: .relaxed)
                            doorbell.ring()
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                logger.debug("outbox listener lost its connection", metadata: ["avtal.error": "\(error)"])
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }

    // MARK: Rows

    private struct Row {
        var id: Int64
        var attempts: Int
        var message: OutboundMessage
        /// The span that wrote the row, when tracing was on there.
        var traceparent: String?
    }

    /// A producer span for a traced row, a child of the span that wrote it; the message carries the new span's
    /// `traceparent` (or the stored one, when this relay does not trace), so the consumer's span follows it.
    private func startPublishSpan(_ row: inout Row) -> (any Span)? {
        guard let stored = row.traceparent else { return nil }
        let span = startSpan("\(row.message.routingKey) publish", context: TraceParent.context(from: stored), ofKind: .producer)
        span.attributes["messaging.system"] = "rabbitmq"
        span.attributes["messaging.operation.type"] = "send"
        span.attributes["messaging.destination.name"] = row.message.exchange
        span.attributes["messaging.rabbitmq.destination.routing_key"] = row.message.routingKey
        span.attributes["messaging.message.id"] = row.message.messageId
        row.message.headers[TraceParent.header] = .string(TraceParent.of(span.context) ?? stored)
        return span
    }

    private func dueRows(on connection: PostgresConnection) async throws -> [Row] {
        let result = try await Self.dueRows(in: slot, limit: configuration.batchSize, on: connection, logger: logger)
        var rows: [Row] = []
        for (id, messageId, type, routingKey, body, traceparent, attempts) in result {
            let message = OutboundMessage(
                exchange: configuration.exchange,
                routingKey: routingKey,
                body: Array(buffer: body),
                messageId: messageId.uuidString.lowercased(),
                type: type,
                headers: [:]
            )
            rows.append(Row(id: id, attempts: attempts, message: message, traceparent: traceparent))
        }
        return rows
    }

    private static func dueRows<Slot: SchemaSlot>(
        in _: Slot.Type, limit: Int, on connection: PostgresConnection, logger: Logger
    ) async throws -> [OutboxDueRow] {
        var rows: [OutboxDueRow] = []
        for try await row in try await connection.execute(OutboxDueRows<Slot>(limit: limit), logger: logger) { rows.append(row) }
        return rows
    }

    private static func markPublished<Slot: SchemaSlot>(
        _ ids: [Int64], in _: Slot.Type, on connection: PostgresConnection, logger: Logger
    ) async throws {
        try await connection.run(OutboxMarkPublished<Slot>(ids: ids), logger: logger)
    }

    private func postpone(_ row: Row, error: AMQPError, on connection: PostgresConnection) async throws {
        guard row.attempts + 1 < configuration.maximumAttempts else {
            logger.error(
                "broker refused an outbox message too often; given up on until an operator retries it",
                metadata: ["avtal.message.id": "\(row.message.messageId)", "avtal.error": "\(error)", "avtal.attempts": "\(row.attempts + 1)"])
            try await connection.query(
                """
                UPDATE \(unescaped: schema.name).outbox SET attempts = attempts + 1, last_error = \(error.description), failed_at = now()
                WHERE id = \(row.id)
                """,
                logger: logger)
            Counter(label: "avtal_outbox_failed_total", dimensions: [("schema", schema.name)]).increment()
            return
        }
        let delay = min(Duration.seconds(1) * (1 << min(row.attempts, 10)), configuration.maximumRetryDelay)
        let milliseconds = Int(delay.components.seconds * 1000 + delay.components.attoseconds / 1_000_000_000_000_000)
        logger.error(
            "broker refused an outbox message, will retry",
            metadata: ["avtal.message.id": "\(row.message.messageId)", "avtal.error": "\(error)", "avtal.retry.in": "\(delay)"]
        )
        try await connection.query(
            """
            UPDATE \(unescaped: schema.name).outbox
            SET attempts = attempts + 1, last_error = \(error.description),
                next_attempt_at = now() + \(milliseconds) * interval '1 millisecond'
            WHERE id = \(row.id)
            """,
            logger: logger
        )
    }
}
