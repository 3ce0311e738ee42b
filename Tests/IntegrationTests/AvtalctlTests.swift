import AvtalDomain
import AvtalMessaging
import Foundation
import Testing

/// The operator's command, run as the real executable against the test broker.
@Suite("avtalctl")
struct AvtalctlTests {
    /// A kontroll topology of the test's own: the queue prefix `avtalctl` is told, and the queues under it.
    static func kontrollTopology() -> (prefix: String, topology: ServiceTopology) {
        let prefix = TestEnvironment.uniqueName("ops") + "."
        let topology = ServiceTopology(
            service: prefix + "kontroll", exchange: TestEnvironment.uniqueName("ex"), routingKeys: ["test.#"],
            retry: RetryPolicy(delays: [.milliseconds(100)]))
        return (prefix, topology)
    }

    @Test("`avtalctl parked list` shows parked messages without their bodies, and `replay` sends them back")
    func listAndReplay() async throws {
        let bin = try #require(TestEnvironment.binDirectory, "AVTAL_BIN_DIR is not set: run the tests with `make test`")
        let (prefix, topology) = Self.kontrollTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: TestEnvironment.logger)
        let (envelope, message) = try TestPing.message(1, exchange: topology.exchange)
        // Park it the way a consumer does when it has no handler for the type.
        let consumer = EventConsumer(
            topology: topology, handlers: EventHandlers(), connection: TestEnvironment.broker, publisher: publisher,
            logger: TestEnvironment.logger
        )
        let running = Task { try await consumer.run() }
        try await publisher.publish(message)
        #expect(await eventually { (try? await TestBroker.messageCount(topology.parkingQueue)) == 1 })
        consumer.stop()
        try await running.value

        let id = envelope.messageId.uuidString.lowercased()
        let common = "--service kontroll --queue-prefix \(prefix) --amqp-urls amqp://guest:guest@127.0.0.1:\(TestEnvironment.amqpPort)"
        let avtalctl = bin.appendingPathComponent("avtalctl").path
        let list = try await runCommand("\(avtalctl) parked list \(common)")
        #expect(list.status == 0, "\(list.output)")
        #expect(list.output.contains(id))
        #expect(list.output.contains("no handler for event type TestPing@v1"))
        #expect(list.output.contains("1 parked"))
        #expect(!list.output.contains("sequence"), "a listing must never show a message body")
        #expect(try await TestBroker.messageCount(topology.parkingQueue) == 1, "listing must leave the messages parked")

        let replay = try await runCommand("\(avtalctl) parked replay \(common) --message-id \(id)")
        #expect(replay.status == 0, "\(replay.output)")
        #expect(replay.output.contains("1 replayed"))
        #expect(try await TestBroker.messageCount(topology.parkingQueue) == 0)
        #expect(try await TestBroker.messageCount(topology.workQueue) == 1)
        await publisher.close()
    }

    @Test("`avtalctl parked replay` replays what was parked when it began, once: a message that fails again at once does not loop")
    func replayOnce() async throws {
        let bin = try #require(TestEnvironment.binDirectory, "AVTAL_BIN_DIR is not set: run the tests with `make test`")
        let (prefix, topology) = Self.kontrollTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: TestEnvironment.logger)
        // A consumer with no handler for the type: every copy it gets is parked again at once.
        let consumer = EventConsumer(
            topology: topology, handlers: EventHandlers(), connection: TestEnvironment.broker, publisher: publisher,
            logger: TestEnvironment.logger
        )
        let running = Task { try await consumer.run() }
        for sequence in 1...2 { try await publisher.publish(try TestPing.message(sequence, exchange: topology.exchange).1) }
        #expect(await eventually { (try? await TestBroker.messageCount(topology.parkingQueue)) == 2 })

        let common = "--service kontroll --queue-prefix \(prefix) --amqp-urls amqp://guest:guest@127.0.0.1:\(TestEnvironment.amqpPort)"
        // Bounded, so a replay that loops fails the test instead of hanging it.
        let replay = try await runCommand("timeout 60 \(bin.appendingPathComponent("avtalctl").path) parked replay \(common)")
        #expect(replay.status == 0, "\(replay.output)")
        #expect(replay.output.contains("2 replayed"), "\(replay.output)")
        #expect(await eventually { (try? await TestBroker.messageCount(topology.parkingQueue)) == 2 }, "each parked again, once")
        consumer.stop()
        try await running.value
        await publisher.close()
    }

    @Test("`avtalctl` refuses a malformed broker URL with a clear message")
    func refusesBadURL() async throws {
        let bin = try #require(TestEnvironment.binDirectory, "AVTAL_BIN_DIR is not set: run the tests with `make test`")
        let result = try await runCommand("\(bin.appendingPathComponent("avtalctl").path) parked list --service kontroll --amqp-urls http://x")
        #expect(result.status != 0)
        #expect(result.output.contains("--amqp-urls must be a comma-separated list"))
    }
}
