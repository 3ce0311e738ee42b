import AvtalDomain
import Foundation
import Logging
import PostgresNIO
import Synchronization
import Testing

@testable import AvtalMessaging
@testable import AvtalPersistence
@testable import AvtalRuntime

/// The transactional outbox and the inbox, against the real PostgreSQL and RabbitMQ.
@Suite("Outbox and inbox")
struct OutboxIntegrationTests {
    let logger = TestEnvironment.logger
    let producer: SchemaName = "producer"
    let consumerSchema: SchemaName = "consumer"

    /// The consumer's own table: one row per applied effect.
    let appliedTable = Migration(
        version: 2, name: "applied", statements: ["CREATE TABLE {schema}.applied (message_id uuid NOT NULL, sequence int NOT NULL)"]
    )

    func makeTopology() -> ServiceTopology {
        ServiceTopology(
            service: TestEnvironment.uniqueName("svc"), exchange: TestEnvironment.uniqueName("ex"), routingKeys: ["test.#"],
            retry: RetryPolicy(delays: [.milliseconds(100)])
        )
    }

    func prepare(_ client: PostgresClient) async throws {
        try await MigrationRunner.migrate(producer, migrations: MessagingMigrations.all, client: client, logger: logger)
        try await MigrationRunner.migrate(consumerSchema, migrations: MessagingMigrations.all + [appliedTable], client: client, logger: logger)
    }

    /// Writes pings `range` to the producer's (or `schema`'s) outbox in one transaction, as a service's unit of work
    /// does: its relay in this process is rung after the commit.
    func enqueue(_ range: Range<Int>, client: PostgresClient, schema: SchemaName? = nil) async throws {
        let outbox = Outbox(schema: schema ?? producer)
        try await OutboxWrites.announcing {
            try await client.withTransaction(logger: logger) { connection in
                for sequence in range {
                    let envelope = EventEnvelope(payload: TestPing(sequence: sequence), contractId: UUID())
                    try await outbox.enqueue(
                        envelope, traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", on: connection, logger: logger)
                }
            }
        }
    }

    /// A producer schema of a test's own, for a test that counts its relay's wake-ups: the tests running beside it in
    /// this process ring `producer`'s signal (one per schema and process).
    func prepareOwn(_ schema: SchemaName, _ client: PostgresClient) async throws {
        try await MigrationRunner.migrate(schema, migrations: MessagingMigrations.all, client: client, logger: logger)
    }

    /// A relay running with a 60 s polling interval, started and waited for until it listens and has made its first
    /// round (which finds nothing).
    func startListeningRelay(
        topology: ServiceTopology, client: PostgresClient, gather: Duration, schema: SchemaName
    ) async throws -> (AMQPPublisher, OutboxRelay, Task<Void, any Error>) {
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        try await publisher.connect()
        let relay = OutboxRelay(
            schema: schema, client: client, publisher: publisher,
            configuration: .init(exchange: topology.exchange, pollInterval: .seconds(60), gather: gather), logger: logger
        )
        let relaying = Task { try await relay.run() }
        #expect(
            await eventually {
                (try? await TestDatabase.count(
                    client, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'")) == 1
            })
        try await Task.sleep(for: .milliseconds(200))
        return (publisher, relay, relaying)
    }

    /// A consumer that applies each ping through the consumer schema's inbox, counting deliveries and applications.
    func startConsumer(
        topology: ServiceTopology,
        client: PostgresClient,
        publisher: AMQPPublisher,
        deliveries: Received<Int>
    ) -> (EventConsumer, Task<Void, any Error>) {
        let inbox = Inbox(schema: consumerSchema, client: client, logger: logger)
        let apply = inbox.handler(for: TestPing.self) { envelope, connection in
            try await connection.query(
                "INSERT INTO consumer.applied (message_id, sequence) VALUES (\(envelope.messageId), \(envelope.payload.sequence))",
                logger: logger
            )
        }
        var handlers = EventHandlers()
        handlers.on(TestPing.eventType) { event in
            deliveries.append(try event.envelope(as: TestPing.self).payload.sequence)
            try await apply(event)
        }
        let consumer = EventConsumer(
            topology: topology, handlers: handlers, connection: TestEnvironment.broker, publisher: publisher, logger: logger
        )
        return (consumer, Task { try await consumer.run() })
    }

    @Test("prepared statements of two schemas on one connection each write to their own schema, and each has its own name")
    func preparedStatementsPerSchema() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            try await prepare(client)
            let producerInbox = Inbox(schema: producer, client: client, logger: logger)
            let consumerInbox = Inbox(schema: consumerSchema, client: client, logger: logger)
            // One connection for both schemas: each statement was prepared on it under its schema's name.
            try await client.withConnection { connection in
                for sequence in 0..<3 {
                    let envelope = EventEnvelope(payload: TestPing(sequence: sequence), contractId: UUID())
                    try await Outbox(schema: producer).enqueue(envelope, on: connection, logger: logger)
                    if sequence == 0 { try await Outbox(schema: consumerSchema).enqueue(envelope, on: connection, logger: logger) }
                }
            }
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM producer.outbox") == 3)
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM consumer.outbox") == 1)
            let header = EventEnvelope(payload: TestPing(sequence: 9), contractId: UUID()).header
            #expect(try await producerInbox.apply(header) { _ in })
            #expect(try await !producerInbox.apply(header) { _ in }, "the same message twice in one schema is applied once")
            #expect(try await consumerInbox.hasApplied(header) == false, "another schema's inbox does not see it")
            #expect(try await producerInbox.hasApplied(header))
            #expect(ObjectIdentifier(SchemaSlots.slot(for: producer)) == ObjectIdentifier(SchemaSlots.slot(for: producer)))
            #expect(ObjectIdentifier(SchemaSlots.slot(for: producer)) != ObjectIdentifier(SchemaSlots.slot(for: consumerSchema)))
            #expect(Self.names(of: SchemaSlots.slot(for: producer)).allSatisfy { $0.hasSuffix(".producer") })
            #expect(Self.names(of: SchemaSlots.slot(for: consumerSchema)).allSatisfy { $0.hasSuffix(".consumer") })
        }
    }

    @Test("a message's whole record in one statement: written once; a redelivery, and a second replica racing past the look, write nothing")
    func recordInOneStatement() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            try await prepare(client)
            let inbox = Inbox(schema: producer, client: client, logger: logger)
            let outbox = Outbox(schema: producer)
            func record(_ header: EnvelopeHeader) throws -> PingRecordWrite {
                PingRecordWrite(
                    message: header, event: try outbox.row(EventEnvelope(payload: TestPing(sequence: 1), causedBy: header, contractId: UUID())))
            }
            let header = EventEnvelope(payload: TestPing(sequence: 0), contractId: UUID()).header
            var calls = 0
            #expect(try await inbox.once(header, call: { calls += 1 }, recordingInOneStatement: { _ in try record(header) }))
            #expect(try await !inbox.once(header, call: { calls += 1 }, recordingInOneStatement: { _ in try record(header) }))
            #expect(calls == 1, "the redelivery was skipped before its call")
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM producer.outbox") == 1)
            #expect(try await inbox.hasApplied(header))

            // Two replicas past the look at once: the statement itself lets one of them write.
            let racing = EventEnvelope(payload: TestPing(sequence: 2), contractId: UUID()).header
            let statements = [try record(racing), try record(racing)]
            let answered = try await withThrowingTaskGroup(of: Int.self) { group in
                for statement in statements {
                    group.addTask {
                        var rows = 0
                        for try await _ in try await client.execute(statement, logger: logger) { rows += 1 }
                        return rows
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(answered.sorted() == [0, 1])
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM producer.outbox") == 2, "one event for the racing message, not two")
        }
    }

    static func names<Slot: SchemaSlot>(of _: Slot.Type) -> [String] {
        [InboxInsert<Slot>.name, InboxLookup<Slot>.name, OutboxInsert<Slot>.name, OutboxDueRows<Slot>.name, OutboxMarkPublished<Slot>.name]
    }

    @Test("a relay that crashes after publishing and before marking re-sends, and the inbox applies each event once")
    func crashBetweenPublishAndMark() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        try await TestDatabase.withFreshDatabase { client, _ in
            try await prepare(client)
            let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
            let deliveries = Received<Int>()
            let (consumer, run) = startConsumer(topology: topology, client: client, publisher: publisher, deliveries: deliveries)
            try await enqueue(0..<20, client: client)

            let crashing = OutboxRelay(
                schema: producer, client: client, publisher: CrashAfterPublish(publisher: publisher),
                configuration: .init(exchange: topology.exchange), logger: logger
            )
            await #expect(throws: (any Error).self) { try await crashing.relayOnce() }
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM producer.outbox WHERE published_at IS NULL") == 20)

            let restarted = OutboxRelay(
                schema: producer, client: client, publisher: publisher, configuration: .init(exchange: topology.exchange), logger: logger
            )
            #expect(try await restarted.relayOnce() == 20)
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM producer.outbox WHERE published_at IS NULL") == 0)

            // Every event arrived twice (once per publish) and was applied once.
            #expect(await eventually { deliveries.count == 40 })
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM consumer.applied") == 20)
            #expect(try await TestDatabase.count(client, "SELECT count(DISTINCT sequence) FROM consumer.applied") == 20)
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM consumer.inbox") == 20)
            consumer.stop()
            try await run.value
            await publisher.close()
        }
    }

    @Test("the relay's rounds find their rows through the outbox's indexes, whatever the statistics were when its connection planned them")
    func relayRoundsUseIndexes() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        try await TestDatabase.withFreshDatabase { client, database in
            try await prepare(client)
            let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
            let pool = ServiceConfiguration.relayPool(TestDatabase.configuration(database: database))
            try await TestDatabase.withClient(pool) { relayClient in
                let relay = OutboxRelay(
                    schema: producer, client: relayClient, publisher: publisher, configuration: .init(exchange: topology.exchange), logger: logger)
                func rounds(_ sequences: Range<Int>) async throws {
                    for sequence in sequences {
                        try await enqueue(sequence..<sequence + 1, client: client)
                        #expect(try await relay.relayOnce() == 1)
                    }
                }
                // A young outbox with statistics, as autovacuum leaves it; then more rounds than PostgreSQL plans
                // anew before it keeps a generic plan per connection — made from those statistics.
                try await enqueue(0..<3, client: client)
                #expect(try await relay.relayOnce() == 3)
                try await client.query("VACUUM ANALYZE producer.outbox")
                try await rounds(3..<12)
                // Then the rows of a busy week, and more rounds on the plans made while the table was young.
                try await client.query(
                    """
                    INSERT INTO producer.outbox (message_id, message_type, routing_key, body, published_at)
                    SELECT gen_random_uuid(), 'TestPing', 'test.ping', '\\x00', now() FROM generate_series(1, 20000)
                    """)
                try await rounds(12..<18)
            }
            // The relay's connections are closed, so their statistics have reached the server (at most a second
            // after each transaction while busy, at once on exit).
            let counted = await eventually {
                (try? await TestDatabase.count(client, "SELECT n_tup_upd FROM pg_stat_user_tables WHERE relid = 'producer.outbox'::regclass")) == 18
            }
            #expect(counted, "every mark counted")
            let read = try await TestDatabase.count(client, "SELECT seq_tup_read FROM pg_stat_user_tables WHERE relid = 'producer.outbox'::regclass")
            #expect(read < 20_000, "a round read the whole outbox: \(read) rows read by sequential scans")
            await publisher.close()
        }
    }

    @Test("the relay wakes when a writer of its process commits, and on a NOTIFY from another process; an insert alone wakes nobody")
    func wakesOnCommit() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let schema: SchemaName = "waking_producer"
        try await TestDatabase.withFreshDatabase { client, _ in
            try await prepareOwn(schema, client)
            #expect(
                try await TestDatabase.count(client, "SELECT count(*) FROM pg_trigger WHERE tgrelid = 'waking_producer.outbox'::regclass") == 0,
                "the outbox has no trigger: a write sends no NOTIFY")
            let (publisher, _, relaying) = try await startListeningRelay(topology: topology, client: client, gather: .zero, schema: schema)
            let started = ContinuousClock.now
            try await enqueue(0..<1, client: client, schema: schema)
            // Well before the 60 s polling interval (a quiet machine: well under a second; 30 s bounds a busy CI one).
            #expect(await eventually(timeout: .seconds(30)) { (try? await TestBroker.messageCount(topology.workQueue)) == 1 })
            #expect(ContinuousClock.now - started < .seconds(30))

            // Another process's row (a tool's): not seen until that process wakes the relays through the channel.
            try await client.query(
                """
                INSERT INTO waking_producer.outbox (message_id, message_type, routing_key, body)
                SELECT gen_random_uuid(), message_type, routing_key, body FROM waking_producer.outbox LIMIT 1
                """)
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await TestBroker.messageCount(topology.workQueue) == 1, "an insert alone woke the relay")
            try await Outbox(schema: schema).wakeRelays(client: client, logger: logger)
            #expect(await eventually(timeout: .seconds(30)) { (try? await TestBroker.messageCount(topology.workQueue)) == 2 })
            relaying.cancel()
            _ = try? await relaying.value
            await publisher.close()
        }
    }

    @Test("a ring the relay's latest round covered starts no round of its own; work that wrote no row rings nothing")
    func noRoundForCoveredRings() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let schema: SchemaName = "quiet_producer"
        try await TestDatabase.withFreshDatabase { client, _ in
            try await prepareOwn(schema, client)
            let (publisher, relay, relaying) = try await startListeningRelay(
                topology: topology, client: client, gather: .milliseconds(500), schema: schema)
            let emptyBefore = relay.emptyRounds.load(ordering: .relaxed)

            // The first event wakes the relay, which lets rows gather for 500 ms; two more committed meanwhile are
            // taken by the same round, and their rings, counted before it looked, need no round of their own.
            try await enqueue(0..<1, client: client, schema: schema)
            try await Task.sleep(for: .milliseconds(100))
            try await enqueue(1..<2, client: client, schema: schema)
            try await enqueue(2..<3, client: client, schema: schema)
            #expect(await eventually { (try? await TestBroker.messageCount(topology.workQueue)) == 3 })
            try await OutboxWrites.announcing { try await client.query("SELECT 1") }
            try await Task.sleep(for: .milliseconds(500))
            #expect(relay.emptyRounds.load(ordering: .relaxed) == emptyBefore, "every round after the writes found rows")
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM quiet_producer.outbox WHERE published_at IS NULL") == 0)
            relaying.cancel()
            _ = try? await relaying.value
            await publisher.close()
        }
    }

    @Test("two relays on one outbox share the rows without sending any twice")
    func competingRelays() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        try await TestDatabase.withFreshDatabase { client, _ in
            try await prepare(client)
            let publishers = (0..<2).map { _ in AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger) }
            try await enqueue(0..<600, client: client)
            let relays = publishers.map {
                OutboxRelay(
                    schema: producer, client: client, publisher: $0,
                    configuration: .init(exchange: topology.exchange, batchSize: 50), logger: logger
                )
            }
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for relay in relays {
                    group.addTask {
                        var total = 0
                        while case let count = try await relay.relayOnce(), count > 0 { total += count }
                        return total
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(sent.reduce(0, +) == 600)
            #expect(try await TestBroker.messageCount(topology.workQueue) == 600)
            for publisher in publishers { await publisher.close() }
        }
    }

    @Test("a row the broker refuses waits with a delay and does not hold up the rows behind it")
    func refusedRowDoesNotBlock() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        try await TestDatabase.withFreshDatabase { client, _ in
            try await prepare(client)
            let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
            try await enqueue(0..<3, client: client)
            // Make the middle row unroutable: nothing is bound to this key.
            try await client.query("UPDATE producer.outbox SET routing_key = 'nobody.listens' WHERE id = 2")
            let relay = OutboxRelay(
                schema: producer, client: client, publisher: publisher, configuration: .init(exchange: topology.exchange), logger: logger
            )
            #expect(try await relay.relayOnce() == 2)
            #expect(try await relay.relayOnce() == 0)
            #expect(try await TestBroker.messageCount(topology.workQueue) == 2)
            #expect(
                try await TestDatabase.count(
                    client,
                    "SELECT count(*) FROM producer.outbox WHERE id = 2 AND published_at IS NULL AND attempts >= 1 AND last_error LIKE '%unroutable%' AND next_attempt_at >= created_at + interval '1 second'"
                ) == 1
            )
            await publisher.close()
        }
    }

    @Test("a row the broker keeps refusing is given up on after the bounded attempts: marked failed, never sent again")
    func refusedRowStops() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        try await TestDatabase.withFreshDatabase { client, database in
            try await prepare(client)
            let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
            try await enqueue(0..<1, client: client)
            try await client.query("UPDATE producer.outbox SET routing_key = 'nobody.listens'")
            let relay = OutboxRelay(
                schema: producer, client: client, publisher: publisher,
                configuration: .init(exchange: topology.exchange, maximumAttempts: 3), logger: logger)
            for _ in 0..<3 {
                try await client.query("UPDATE producer.outbox SET next_attempt_at = now()")  // no waiting out the delays
                #expect(try await relay.relayOnce() == 0)
            }
            let failed = try await TestDatabase.count(
                client, "SELECT count(*) FROM producer.outbox WHERE failed_at IS NOT NULL AND attempts = 3 AND last_error LIKE '%unroutable%'")
            #expect(failed == 1, "given up on after 3 refusals")
            try await client.query("UPDATE producer.outbox SET next_attempt_at = now()")
            #expect(try await relay.relayOnce() == 0)
            let attempts = try await TestDatabase.count(client, "SELECT attempts FROM producer.outbox")
            #expect(attempts == 3, "a failed row is not tried again")

            // What operations sees, and does once the cause is fixed.
            let bin = try #require(TestEnvironment.binDirectory, "AVTAL_BIN_DIR is not set: run the tests with `make test`")
            let avtalctl =
                "POSTGRES_PORT=\(TestEnvironment.postgresPort) POSTGRES_DATABASE=\(database) \(bin.appendingPathComponent("avtalctl").path)"
            let listed = try await runCommand("\(avtalctl) outbox failed --schema producer")
            #expect(listed.status == 0 && listed.output.contains("1 failed") && listed.output.contains("unroutable"), "\(listed.output)")
            let retried = try await runCommand("\(avtalctl) outbox retry --schema producer")
            #expect(retried.output.contains("1 handed back"), "\(retried.output)")
            let handedBack = try await TestDatabase.count(client, "SELECT count(*) FROM producer.outbox WHERE failed_at IS NULL AND attempts = 0")
            #expect(handedBack == 1)
            await publisher.close()
        }
    }

    @Test("the inbox applies a message id once, however often it is handed in")
    func inboxDeduplicates() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            try await prepare(client)
            let inbox = Inbox(schema: consumerSchema, client: client, logger: logger)
            let header = EventEnvelope(payload: TestPing(sequence: 1), contractId: nil).header
            var results: [Bool] = []
            for _ in 0..<3 {
                results.append(
                    try await inbox.apply(header) { connection in
                        try await connection.query("INSERT INTO consumer.applied VALUES (\(header.messageId), 1)", logger: logger)
                    }
                )
            }
            #expect(results == [true, false, false])
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM consumer.applied") == 1)
        }
    }
}

/// Publishes for real, then fails as if the process died before it could mark the rows published.
struct CrashAfterPublish: MessagePublishing {
    let publisher: AMQPPublisher

    func publish(_ messages: [OutboundMessage]) async throws -> [Result<Void, AMQPError>] {
        let results = await publisher.publish(messages)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        throw TestFailure.crashAfterPublish
    }
}

/// The record of a `TestPing` in one statement: the message in the producer's inbox and an event in its outbox.
struct PingRecordWrite: PostgresPreparedStatement {
    static let name = "test.ping.record"
    static let sql = """
        WITH \(InboxRow.withPart(schema: "producer", messageId: "$1", messageType: "$2")),
        event AS (\(OutboxRow.insertSQL(schema: "producer", selecting: "$3, $4, $5, $6, $7 FROM message")))
        SELECT message_id FROM message
        """
    static let bindingDataTypes: [PostgresDataType] = [.uuid, .text, .uuid, .text, .text, .bytea, .text]

    var message: EnvelopeHeader
    var event: OutboxRow

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(message.messageId)
        bindings.append(message.type)
        bindings.append(event)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> UUID { try row.decode(UUID.self) }
}
