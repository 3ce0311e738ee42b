// avtal-table-soak: weeks of a service's messaging traffic in minutes — events written to an outbox at a steady rate,
// relayed to the broker, consumed into an inbox, and both tables pruned on a short schedule — with the tables' row
// counts and sizes and the relay's rate printed every interval (a benchmark, not a test; `make bench` runs it).
//
//   avtal-table-soak [seconds] [events per second] [keep seconds]     (default 300, 400, 30)
//
// Rows are kept `keep` seconds (instead of 7 and 30 days), so the run goes through hundreds of retention periods:
// what shows is whether the tables, and with them the relay's speed, stay flat. A schema and queues of its own,
// dropped at the end. Reads POSTGRES_PORT and AMQP_URLS like the services.
import AvtalDomain
import AvtalMessaging
import AvtalPersistence
import Foundation
import Logging
import PostgresNIO

struct SoakTick: DomainEvent {
    static let eventType = EventType("SoakTick", version: 1)
    var sequence: Int
    var routingKey: String { "soak.tick" }
}

/// Writes a line at once (print's stdout is buffered when it goes to a file).
func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let seconds = arguments.first ?? 300
let rate = arguments.dropFirst().first ?? 400
let keep = arguments.dropFirst(2).first ?? 30
let environment = ProcessInfo.processInfo.environment
var logger = Logger(label: "avtal-table-soak")
logger.logLevel = .warning
guard let addresses = BrokerAddress.list(environment["AMQP_URLS"] ?? "amqp://guest:guest@127.0.0.1:26672") else {
    fatalError("AMQP_URLS is not a list of amqp:// URLs")
}
let id = UUID().uuidString.prefix(8).lowercased()
guard let schemaName = SchemaName("soak_\(id)") else { fatalError("no schema name") }
let schema = DatabaseSchema(
    name: schemaName, migrations: [], grants: [],
    retention: [
        Retention(table: "outbox", prunable: "published_at IS NOT NULL", age: "published_at", keep: .seconds(keep)),
        Retention(table: "inbox", age: "received_at", keep: .seconds(keep)),
    ])
let postgres = PostgresClient(
    configuration: .init(
        host: "127.0.0.1", port: Int(environment["POSTGRES_PORT"] ?? "") ?? 26432, username: "postgres", password: nil,
        database: "avtalsflode", tls: .disable),
    backgroundLogger: logger)
let topology = ServiceTopology(service: "soak-\(id)", exchange: "soak-\(id)", routingKeys: ["soak.#"], retry: .standard)
let broker = ConnectionOptions(addresses: addresses)
let publisher = AMQPPublisher(options: broker, topology: topology.topology, logger: logger)
let inbox = Inbox(schema: schemaName, client: postgres, logger: logger)
var handlers = EventHandlers()
handlers.on(SoakTick.eventType) { event in try await inbox.apply(event.header) { _ in } }
let consumer = EventConsumer(
    topology: topology, handlers: handlers, connection: broker, publisher: publisher, prefetch: 200, concurrency: 8, logger: logger)
let relay = OutboxRelay(schema: schemaName, client: postgres, publisher: publisher, configuration: .init(exchange: topology.exchange), logger: logger)
let pruner = Pruner(schema: schema, client: postgres, interval: .seconds(5), logger: logger)

func number(_ sql: String) async throws -> Double {
    for try await value in try await postgres.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Double?.self) { return value ?? 0 }
    return 0
}

/// Writes `rate` events a second, a tenth of a second's worth per transaction, until `until`.
func write(until deadline: ContinuousClock.Instant) async throws {
    let outbox = Outbox(schema: schemaName)
    var sequence = 0
    let perTick = max(1, rate / 10)
    var next = ContinuousClock.now
    while ContinuousClock.now < deadline {
        try await OutboxWrites.announcing {
            try await postgres.withTransaction(logger: logger) { connection in
                for _ in 0..<perTick {
                    sequence += 1
                    try await outbox.enqueue(EventEnvelope(payload: SoakTick(sequence: sequence), contractId: UUID()), on: connection, logger: logger)
                }
            }
        }
        next = next.advanced(by: .milliseconds(100))
        try await Task.sleep(until: next)
    }
}

let table = schemaName.name
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await postgres.run() }
    try await MigrationRunner.migrate(schema, client: postgres, logger: logger)
    try await publisher.connect()
    group.addTask { try await relay.run() }
    group.addTask { try await consumer.run() }
    group.addTask { try await pruner.run() }
    let started = ContinuousClock.now
    let deadline = started.advanced(by: .seconds(seconds))
    group.addTask { try await write(until: deadline) }
    say("  after   outbox rows  outbox MiB   inbox rows  inbox MiB  relayed/s  oldest unpublished")
    var lastPublished = 0.0
    var lastReport = started
    let interval = max(10, seconds / 10)
    while ContinuousClock.now < deadline {
        try await Task.sleep(for: .seconds(interval))
        // Published rows since the last report: those still kept plus those pruned meanwhile.
        let published =
            try await number("SELECT last_value::float8 FROM \(table).outbox_id_seq")
            - (try await number("SELECT count(*)::float8 FROM \(table).outbox WHERE published_at IS NULL"))
        let now = ContinuousClock.now
        let span = Double((now - lastReport).components.seconds)
        say(
            String(
                format: "%6d s  %11.0f  %10.1f  %11.0f  %9.1f  %9.0f  %6.1f s", (now - started).components.seconds,
                try await number("SELECT count(*)::float8 FROM \(table).outbox"),
                try await number("SELECT pg_total_relation_size('\(table).outbox')::float8 / 1048576"),
                try await number("SELECT count(*)::float8 FROM \(table).inbox"),
                try await number("SELECT pg_total_relation_size('\(table).inbox')::float8 / 1048576"),
                (published - lastPublished) / max(span, 1),
                try await number("SELECT EXTRACT(EPOCH FROM now() - min(created_at))::float8 FROM \(table).outbox WHERE published_at IS NULL")))
        lastPublished = published
        lastReport = now
    }
    consumer.stop()
    try await postgres.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \(table) CASCADE"), logger: logger)
    group.cancelAll()
}
await publisher.close()
