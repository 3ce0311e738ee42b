import AvtalDomain
import Foundation
import Testing

@testable import AvtalMessaging

/// The broker goes away and comes back in the middle of a stream: publishers and consumers reconnect and
/// re-declare by themselves, every confirmed message is consumed, and nothing unconfirmed was reported as sent.
@Suite("Broker restart", .serialized)
struct BrokerRestartTests {
    @Test("every confirmed message is consumed across a broker stop and start")
    func streamSurvivesRestart() async throws {
        try await ChaosBroker.reset()
        let topology = ServiceTopology(service: "restart", exchange: "restart.events", routingKeys: ["test.#"])
        let publisher = AMQPPublisher(
            options: ChaosBroker.options, topology: topology.topology, confirmTimeout: .seconds(3), logger: TestEnvironment.logger)
        let consumer = AMQPConsumer(
            configuration: .init(connection: ChaosBroker.options, queue: topology.workQueue, topology: topology.topology, prefetch: 50),
            logger: TestEnvironment.logger
        )
        let received = Received<String>()
        let consuming = Task {
            await consumer.run { message in
                received.append(message.messageId ?? ""); return .ack
            }
        }

        let confirmed = Received<String>()
        let failures = Received<String>()
        let keepPublishing = Received<Bool>()
        let publishing = Task {
            var sequence = 0
            while keepPublishing.count == 0 {
                let (_, message) = try TestPing.message(sequence, exchange: topology.exchange)
                // Retry the same message (same id) until it is confirmed: at least once, never reported sent unconfirmed.
                while true {
                    if case .failure(let error) = await publisher.publish([message])[0] {
                        failures.append(error.description)
                        try await Task.sleep(for: .milliseconds(50))
                        continue
                    }
                    confirmed.append(message.messageId)
                    break
                }
                sequence += 1
            }
        }

        #expect(await eventually { received.count >= 200 })
        try await ChaosBroker.stop()
        let confirmedWhileStopping = confirmed.count
        try await ChaosBroker.start()
        #expect(await eventually(timeout: .seconds(30)) { confirmed.count >= confirmedWhileStopping + 200 })
        keepPublishing.append(true)
        try await publishing.value

        let sent = Set(confirmed.all)
        #expect(await eventually(timeout: .seconds(30)) { sent.isSubset(of: Set(received.all)) })
        let lost = sent.subtracting(received.all)
        #expect(lost.isEmpty, "\(lost.count) confirmed messages were never consumed")
        #expect(!failures.all.isEmpty, "the broker restart should have made some publishes fail")
        consumer.stop()
        await consuming.value
        await publisher.close()
        try await ChaosBroker.stop()
    }
}
