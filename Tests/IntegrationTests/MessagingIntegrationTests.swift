import AvtalDomain
import Foundation
import Logging
import Synchronization
import Testing

@testable import AvtalMessaging

/// The messaging backbone against the real test RabbitMQ: confirms, routing, consuming, retry tiers, parking, replay.
@Suite("Messaging against RabbitMQ")
struct MessagingIntegrationTests {
    let logger = TestEnvironment.logger

    /// A fresh service topology (its own exchange and queues) with short retry delays.
    func makeTopology(delays: [Duration] = [.milliseconds(100), .milliseconds(200)]) -> ServiceTopology {
        ServiceTopology(
            service: TestEnvironment.uniqueName("svc"),
            exchange: TestEnvironment.uniqueName("ex"),
            routingKeys: ["test.#"],
            retry: RetryPolicy(delays: delays)
        )
    }

    @Test("published messages are confirmed, consumed once each and acknowledged")
    func roundTrip() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        let messages = try (0..<200).map { try TestPing.message($0, exchange: topology.exchange).1 }
        let results = await publisher.publish(messages)
        #expect(results.allSatisfy { (try? $0.get()) != nil })

        let received = Received<String>()
        let consumer = AMQPConsumer(
            configuration: .init(connection: TestEnvironment.broker, queue: topology.workQueue, topology: topology.topology, prefetch: 20),
            logger: logger
        )
        let run = Task {
            await consumer.run { message in
                received.append(message.messageId ?? ""); return .ack
            }
        }
        #expect(await eventually { received.count >= messages.count })
        consumer.stop()
        await run.value
        #expect(Set(received.all) == Set(messages.map(\.messageId)))
        #expect(received.count == messages.count)
        #expect(try await TestBroker.messageCount(topology.workQueue) == 0)
        await publisher.close()
    }

    @Test("with concurrency 8, messages with one ordering key are handled one at a time in order, while other keys pass")
    func orderedByKey() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        let messages = try (0..<240).map { try TestPing.message($0, exchange: topology.exchange).1 }
        // Six keys; key 0 is slow, so without the order the others would overtake its messages.
        let keys = Dictionary(uniqueKeysWithValues: messages.enumerated().map { ($1.messageId, (key: $0 % 6, index: $0)) })
        #expect(await publisher.publish(messages).allSatisfy { (try? $0.get()) != nil })

        struct Log {
            var inFlight: [Int: Int] = [:]
            var order: [Int: [Int]] = [:]
            var overlapsOfOneKey = 0
            var running = 0
            var mostRunning = 0
        }
        let log = Mutex(Log())
        let consumer = AMQPConsumer(
            configuration: .init(
                connection: TestEnvironment.broker, queue: topology.workQueue, topology: topology.topology, prefetch: 40, concurrency: 8,
                orderingKey: { message in keys[message.messageId ?? ""].map { "key-\($0.key)" } }),
            logger: logger)
        let run = Task {
            await consumer.run { message in
                guard let (key, index) = keys[message.messageId ?? ""] else { return .ack }
                log.withLock {
                    if $0.inFlight[key, default: 0] > 0 { $0.overlapsOfOneKey += 1 }
                    $0.inFlight[key, default: 0] += 1
                    $0.running += 1
                    $0.mostRunning = max($0.mostRunning, $0.running)
                }
                try? await Task.sleep(for: .milliseconds(key == 0 ? 6 : 1))
                log.withLock {
                    $0.inFlight[key, default: 0] -= 1
                    $0.running -= 1
                    $0.order[key, default: []].append(index)
                }
                return .ack
            }
        }
        #expect(await eventually(timeout: .seconds(30)) { log.withLock { $0.order.values.map(\.count).reduce(0, +) } == messages.count })
        consumer.stop()
        await run.value
        let result = log.withLock { $0 }
        #expect(result.overlapsOfOneKey == 0, "two messages of one key were handled at once")
        for (key, indices) in result.order {
            #expect(indices == indices.sorted() && indices.count == 40, "key \(key) out of order: \(indices.prefix(10))")
        }
        #expect(result.mostRunning > 1, "different keys are handled at once")
        #expect(try await TestBroker.messageCount(topology.workQueue) == 0)
        await publisher.close()
    }

    @Test("the declared queues are quorum queues with at-least-once dead-lettering")
    func queuesAreQuorum() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        try await publisher.connect()
        // Re-declaring the work queue as a classic queue must be refused by the broker if it really is a quorum queue.
        await #expect(throws: AMQPError.self) {
            _ = try await TestBroker.withConnection(TestEnvironment.broker) { connection in
                try connection.declareQueue(topology.workQueue, arguments: ["x-queue-type": "classic"])
            }
        }
        // …and accepted with exactly the arguments it was declared with.
        let work = try #require(topology.queues.first { $0.name == topology.workQueue })
        _ = try await TestBroker.withConnection(TestEnvironment.broker) { connection in
            try connection.declareQueue(work.name, arguments: work.arguments)
        }
        #expect(work.arguments["x-queue-type"] == "quorum")
        #expect(work.arguments["x-dead-letter-strategy"] == "at-least-once")
        await publisher.close()
    }

    @Test("a topology's declaration stops at the next request once asked to: nothing after it is declared")
    func declarationStops() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        #expect(topology.topology.queues.first?.name == topology.parkingQueue, "the parking queue is declared before the work queue")
        let asked = Atomic(0)
        // The exchange, then the parking queue; asked a third time, before the work queue, it is stopped.
        await #expect(throws: AMQPError(.stopped, "stopped while declaring the topology")) {
            _ = try await TestBroker.withConnection(TestEnvironment.broker) { connection in
                try topology.topology.declare(on: connection) { asked.add(1, ordering: .relaxed).newValue > 2 }
            }
        }
        #expect(asked.load(ordering: .relaxed) == 3)
        #expect(try await TestBroker.messageCount(topology.parkingQueue) == 0)
        await #expect(throws: AMQPError.self, "the work queue was never declared") { try await TestBroker.messageCount(topology.workQueue) }
    }

    @Test("a publisher's connect cancelled while it declares its topology stops at the next request (a service stopped in its bootstrap)")
    func cancelledConnectStops() async throws {
        // Enough quorum queues that declaring them all takes a while: the cancel comes once the first exists.
        let names = (0..<400).map { _ in TestEnvironment.uniqueName("q") }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: Topology(queues: names.map { QueueSpec.quorum($0) }), logger: logger)
        defer {
            Task {
                _ = try? await TestBroker.withConnection(TestEnvironment.broker) { connection in
                    for name in names { try? connection.deleteQueue(name) }
                }
            }
        }
        let connecting = Task { try await publisher.connect() }
        #expect(await eventually { (try? await TestBroker.messageCount(names[0])) != nil }, "the declaration began")
        connecting.cancel()
        await #expect(throws: AMQPError(.stopped, "stopped while declaring the topology")) { try await connecting.value }
        await #expect(throws: AMQPError.self, "the last queue was never declared") { try await TestBroker.messageCount(names[names.count - 1]) }
        await publisher.close()
    }

    @Test("a message no queue is bound for fails as unroutable instead of succeeding silently")
    func unroutableFails() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        let (_, routed) = try TestPing.message(1, exchange: topology.exchange)
        let (_, unroutable) = try TestPing.message(2, exchange: topology.exchange, routingKey: "nobody.listens")
        let results = await publisher.publish([routed, unroutable, routed])
        #expect((try? results[0].get()) != nil)
        #expect(throws: AMQPError.self) { try results[1].get() }
        if case .failure(let error) = results[1] { #expect(error.code == .unroutable) }
        #expect((try? results[2].get()) != nil)
        await publisher.close()
    }

    @Test("publishing to a missing exchange fails, and the publisher recovers for the next message")
    func missingExchangeFailsThenRecovers() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        let (_, lost) = try TestPing.message(1, exchange: TestEnvironment.uniqueName("missing"))
        await #expect(throws: AMQPError.self) { try await publisher.publish(lost) }
        let (_, good) = try TestPing.message(2, exchange: topology.exchange)
        try await publisher.publish(good)
        #expect(try await TestBroker.messageCount(topology.workQueue) == 1)
        await publisher.close()
    }

    @Test("a failing handler is retried through every delay tier, then parked, and replay brings it back")
    func retryThenParkThenReplay() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        let attempts = Received<Int>()
        let fixed = Received<Bool>()
        var handlers = EventHandlers()
        handlers.on(TestPing.eventType) { event in
            attempts.append(RetryPolicy.previousFailures(in: event.message.headers))
            if fixed.count == 0 { throw TestFailure.transient }
        }
        let consumer = EventConsumer(
            topology: topology, handlers: handlers, connection: TestEnvironment.broker, publisher: publisher, logger: logger
        )
        let run = Task { try await consumer.run() }
        let (envelope, message) = try TestPing.message(7, exchange: topology.exchange)
        try await publisher.publish(message)

        let parking = ParkingLot(connection: TestEnvironment.broker, topology: topology)
        #expect(await eventually { (try? await parking.list().count) == 1 })
        // First delivery, then one per delay tier: attempts 0, 1, 2.
        #expect(attempts.all == [0, 1, 2])
        let parked = try await parking.list()
        #expect(parked.first?.messageId == envelope.messageId.uuidString.lowercased())
        #expect(parked.first?.reason.contains("gave up after 3 attempts") == true)
        #expect(try await TestBroker.messageCount(topology.workQueue) == 0)
        for tier in topology.retry.delays.indices {
            #expect(try await TestBroker.messageCount(topology.delayQueue(tier: tier)) == 0)
        }

        fixed.append(true)
        let replayed = try await parking.replay()
        #expect(replayed.map(\.messageId) == [envelope.messageId.uuidString.lowercased()])
        #expect(await eventually { attempts.count == 4 })
        #expect(attempts.all.last == 0)
        #expect(try await parking.list().isEmpty)
        consumer.stop()
        try await run.value
        await publisher.close()
    }

    @Test("a handler that never returns is given up after the time limit: its message is retried, and the contract's next event is not held up")
    func hangingHandlerIsGivenUp() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        let hanging = Hanging()
        let attempts = Received<Int>()
        let handled = Received<Int>()
        var handlers = EventHandlers()
        handlers.on(TestPing.eventType) { event in
            let envelope = try event.envelope(as: TestPing.self)
            attempts.append(envelope.payload.sequence)
            // The first delivery of the first event waits for an answer that never comes, as a query sent into a
            // database restart did; cancelling it does not end it either.
            if envelope.payload.sequence == 1 && RetryPolicy.previousFailures(in: event.message.headers) == 0 { await hanging.forever() }
            handled.append(envelope.payload.sequence)
        }
        let consumer = EventConsumer(
            topology: topology, handlers: handlers, connection: TestEnvironment.broker, publisher: publisher, concurrency: 4,
            handlerTimeLimit: .seconds(1), logger: logger
        )
        let run = Task { try await consumer.run() }
        let contract = UUID()
        for sequence in [1, 2] {
            let (_, message) = try TestPing.message(sequence, exchange: topology.exchange, contractId: contract)
            try await publisher.publish(message)
        }
        // Given up after 1 s, retried from the first delay tier; the same contract's second event waited its turn.
        #expect(await eventually { handled.count == 2 })
        #expect(handled.all == [2, 1], "the second event went on once the first was given up; the first came back later")
        #expect(attempts.all.filter { $0 == 1 }.count == 2, "the first event once hanging, once handled: \(attempts.all)")
        #expect(hanging.waiting == 1)
        #expect(try await TestBroker.messageCount(topology.workQueue) == 0)
        #expect(try await ParkingLot(connection: TestEnvironment.broker, topology: topology).list().isEmpty)
        hanging.release()
        consumer.stop()
        try await run.value
        await publisher.close()
    }

    @Test("bodies that are not our envelope, and unknown types or versions, are parked; the consumer keeps going")
    func unknownMessagesAreParked() async throws {
        let topology = makeTopology()
        defer { Task { await TestBroker.delete(topology) } }
        let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: topology.topology, logger: logger)
        let handled = Received<Int>()
        var handlers = EventHandlers()
        handlers.on(TestPing.eventType) { event in
            handled.append(try event.envelope(as: TestPing.self).payload.sequence)
        }
        let consumer = EventConsumer(
            topology: topology, handlers: handlers, connection: TestEnvironment.broker, publisher: publisher, logger: logger
        )
        let run = Task { try await consumer.run() }

        let (ping, good) = try TestPing.message(1, exchange: topology.exchange)
        var notJSON = good
        notJSON.body = Array("this is not json".utf8)
        notJSON.messageId = "not-json"
        var unknownType = good
        unknownType.body = Array(String(decoding: good.body, as: UTF8.self).replacingOccurrences(of: "\"TestPing\"", with: "\"Nonsense\"").utf8)
        unknownType.messageId = "unknown-type"
        var unknownVersion = good
        unknownVersion.body = Array(String(decoding: good.body, as: UTF8.self).replacingOccurrences(of: "\"version\":1", with: "\"version\":9").utf8)
        unknownVersion.messageId = "unknown-version"
        var badPayload = good
        badPayload.body = Array(
            String(decoding: good.body, as: UTF8.self).replacingOccurrences(of: "\"sequence\":1", with: "\"sequence\":\"one\"").utf8)
        badPayload.messageId = "bad-payload"
        for message in [notJSON, unknownType, unknownVersion, badPayload, good] {
            try await publisher.publish(message)
        }

        let parking = ParkingLot(connection: TestEnvironment.broker, topology: topology)
        #expect(await eventually { (try? await parking.list().count) == 4 })
        #expect(await eventually { handled.all == [1] })
        let reasons = Dictionary(uniqueKeysWithValues: try await parking.list().map { ($0.messageId, $0.reason) })
        #expect(reasons["not-json"]?.contains("not an event envelope") == true)
        #expect(reasons["unknown-type"]?.contains("no handler for event type Nonsense@v1") == true)
        #expect(reasons["unknown-version"]?.contains("TestPing@v9") == true)
        #expect(reasons["bad-payload"]?.contains("sequence") == true)
        #expect(ping.payload.sequence == 1)
        consumer.stop()
        try await run.value
        await publisher.close()
    }
}

enum TestFailure: Error {
    case transient
    case crashAfterPublish
}

/// Calls that never return until the test lets them go, whatever cancels them.
final class Hanging: Sendable {
    private let continuations = Mutex<[CheckedContinuation<Void, Never>]>([])

    func forever() async {
        await withCheckedContinuation { continuation in continuations.withLock { $0.append(continuation) } }
    }

    var waiting: Int { continuations.withLock { $0.count } }

    func release() {
        let all = continuations.withLock { continuations in
            defer { continuations = [] }
            return continuations
        }
        for continuation in all { continuation.resume() }
    }
}
