// avtal-bench: measures the messaging backbone on the running broker and database (a benchmark, not a test).
//
//   avtal-bench [messages] [window]
//   avtal-bench time-limit [calls]     (the handlers' watchdog alone: TimeLimitBench.swift)
//
// 1. publishes `messages` persistent messages with confirms, `window` at a time, to a fresh quorum queue;
// 2. consumes them with manual acks, prefetch `window`;
// 3. writes `messages` events to a fresh outbox and lets the relay publish them (batches of 200, confirmed, marked).
// Reads AMQP_URLS and POSTGRES_PORT / POSTGRES_DATABASE like the services. Run it with `make bench`.
import AvtalDomain
import AvtalMessaging
import AvtalPersistence
import Foundation
import Logging
import PostgresNIO
import Synchronization

struct BenchPing: DomainEvent {
    static let eventType = EventType("BenchPing", version: 1)
    var sequence: Int
    var routingKey: String { "bench.ping" }
}

if CommandLine.arguments.dropFirst().first == "time-limit" {
    try await TimeLimitBench.run(calls: CommandLine.arguments.dropFirst(2).first.flatMap { Int($0) } ?? 100_000)
    exit(0)
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let total = arguments.first ?? 20_000
let window = arguments.dropFirst().first ?? 500
let environment = ProcessInfo.processInfo.environment
var logger = Logger(label: "avtal-bench")
logger.logLevel = .warning
guard let addresses = BrokerAddress.list(environment["AMQP_URLS"] ?? "amqp://guest:guest@127.0.0.1:26672") else {
    fatalError("AMQP_URLS is not a list of amqp:// URLs")
}
let broker = ConnectionOptions(addresses: addresses)
let suffix = UUID().uuidString.prefix(8).lowercased()
let topology = ServiceTopology(service: "bench-\(suffix)", exchange: "bench-\(suffix)", routingKeys: ["bench.#"])

func rate(_ count: Int, _ elapsed: Duration) -> String {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return String(format: "%8.0f msg/s  (%d in %.2f s)", Double(count) / seconds, count, seconds)
}

func envelopeBody(_ sequence: Int) throws -> (EventEnvelope<BenchPing>, [UInt8]) {
    let envelope = EventEnvelope(payload: BenchPing(sequence: sequence), contractId: UUID())
    return (envelope, try EnvelopeCoding.encode(envelope))
}

// 1. Publish with confirms.
let publisher = AMQPPublisher(options: broker, topology: topology.topology, logger: logger)
try await publisher.connect()
// Keeps the publisher's heartbeats going while it idles (as in a service), and closes it when cancelled.
let heartbeats = Task { try await publisher.run() }
let messages = try (0..<total).map { sequence in
    let (envelope, body) = try envelopeBody(sequence)
    return OutboundMessage(
        exchange: topology.exchange, routingKey: "bench.ping", body: body, messageId: envelope.messageId.uuidString, type: envelope.type
    )
}
var failed = 0
let publishStart = ContinuousClock.now
for start in stride(from: 0, to: total, by: window) {
    let results = await publisher.publish(Array(messages[start..<min(start + window, total)]))
    failed += results.filter { if case .failure = $0 { true } else { false } }.count
}
let publishElapsed = ContinuousClock.now - publishStart
print("publish, persistent, confirmed, window \(window):  \(rate(total - failed, publishElapsed))  failed: \(failed)")

// 2. Consume with manual acks.
let expected = total - failed
let received = Atomic<Int>(0)
let consumer = AMQPConsumer(
    configuration: .init(connection: broker, queue: topology.workQueue, topology: topology.topology, prefetch: UInt16(min(window, 65_535))),
    logger: logger
)
let consumeStart = ContinuousClock.now
let consuming = Task {
    await consumer.run { _ in
        if received.add(1, ordering: .relaxed).newValue == expected { consumer.stop() }
        return .ack
    }
}
await consuming.value
print("consume, manual ack, prefetch \(window):           \(rate(received.load(ordering: .relaxed), ContinuousClock.now - consumeStart))")

// 3. Outbox relay: rows written by the application, published with confirms and marked.
let postgres = PostgresClient(
    configuration: .init(
        host: environment["POSTGRES_HOST"] ?? "127.0.0.1", port: Int(environment["POSTGRES_PORT"] ?? "") ?? 26432, username: "postgres",
        password: nil, database: environment["POSTGRES_DATABASE"] ?? "avtalsflode", tls: .disable
    ),
    backgroundLogger: logger
)
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await postgres.run() }
    let schema = SchemaName("bench_\(suffix)")!
    try await MigrationRunner.migrate(schema, migrations: MessagingMigrations.all, client: postgres, logger: logger)
    let outbox = Outbox(schema: schema)
    let writeStart = ContinuousClock.now
    for start in stride(from: 0, to: total, by: 500) {
        try await postgres.withTransaction(logger: logger) { connection in
            for sequence in start..<min(start + 500, total) {
                try await outbox.enqueue(try envelopeBody(sequence).0, on: connection, logger: logger)
            }
        }
    }
    print("outbox writes, 500 per transaction:              \(rate(total, ContinuousClock.now - writeStart))")
    let relay = OutboxRelay(schema: schema, client: postgres, publisher: publisher, configuration: .init(exchange: topology.exchange), logger: logger)
    let relayStart = ContinuousClock.now
    var relayed = 0
    while case let count = try await relay.relayOnce(), count > 0 { relayed += count }
    // (relayOnce throws if the broker cannot be reached; a benchmark run should then fail loudly.)
    print("outbox relay, batches of 200, confirmed, marked:  \(rate(relayed, ContinuousClock.now - relayStart))")
    try await postgres.query("DROP SCHEMA \(unescaped: schema.name) CASCADE", logger: logger)
    group.cancelAll()
}
heartbeats.cancel()
_ = try? await heartbeats.value
