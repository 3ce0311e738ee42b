import AvtalDomain
import AvtalMessaging
import AvtalTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// An outage of our own database must not spend a message's retry budget: kontroll, as a real process on a
/// PostgreSQL server of the test's own, is sent contracts while that server is down for longer than the whole
/// budget takes (four attempts, each ended by the handler's time limit); every message is held, none parked, and
/// each is checked once the server is back.
@Suite("Database outage", .serialized)
struct DatabaseOutageTests {
    @Test("contracts sent while the database is down are held, not parked, and checked once it is back")
    func heldThroughOutage() async throws {
        try await ChaosDatabase.start()
        try await TestDatabase.withFreshDatabase(port: ChaosDatabase.port) { client, database in
            let sandbox = try ServiceProcess("sandbox", environment: [:])
            var environment = ServiceProcessTests.isolatedEnvironment(database: database)
            environment["POSTGRES_PORT"] = "\(ChaosDatabase.port)"
            environment["RETRY_DELAYS_MS"] = "100,200,400"
            environment["HANDLER_TIME_LIMIT_SECONDS"] = "2"
            for key in ["REGISTER_URL", "CREDIT_BUREAU_URL", "MAIL_GATEWAY_URL"] { environment[key] = "http://127.0.0.1:\(sandbox.port)" }
            let kontroll = try ServiceProcess("kontroll", environment: environment)
            let partnerAPI = try ServiceProcess("partner-api", environment: environment)
            for process in [sandbox, kontroll, partnerAPI] {
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
                #expect(ready, "\(process.name) is not ready:\n\(process.output)")
            }
            let exchange = try #require(environment["AMQP_EXCHANGE"])
            let prefix = try #require(environment["AMQP_QUEUE_PREFIX"])
            let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: Topology(exchanges: [exchange]), logger: TestEnvironment.logger)
            defer { Task { await publisher.close() } }

            let keys = try await PartnerAPITests.addPartners(client)
            try await ChaosDatabase.stop()
            let ids = (0..<4).map { _ in UUID() }
            for (index, id) in ids.enumerated() {
                let stored = ContractStored(contractId: id, snapshot: Samples.privateContract(facility: 9_000_001 + index))
                let envelope = EventEnvelope(payload: stored, contractId: id)
                try await publisher.publish(
                    OutboundMessage(
                        exchange: exchange, routingKey: stored.routingKey, body: try EnvelopeCoding.encode(envelope),
                        messageId: envelope.messageId.uuidString.lowercased(), type: envelope.type))
            }
            // Four attempts at 2 s each plus the delays: the whole budget is spent within ~9 s of a failing database.
            let notReady = await eventually(timeout: .seconds(20)) { await kontroll.admin("/ready")?.status == 503 }
            #expect(notReady, "kontroll must report the database as not answering")
            // A partner meanwhile: told the database is unavailable and when to retry, not a 500 (at the latest once
            // PostgresNIO's pool gives up waiting for a connection, after 60 s).
            let refused = try await HTTPCall.send(
                .POST, "http://127.0.0.1:\(partnerAPI.port)/v1/contracts",
                headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(keys[3])")],
                body: PartnerAPITests.json(PartnerAPITests.request(reference: "outage-1")), timeout: .seconds(90))
            #expect(refused.status == 503 && refused.headers.first(name: "Retry-After") == "5", "\(refused.status) \(refused.body)")
            #expect(refused.body.contains("https://avtalsflode.se/problems/unavailable"))
            try await Task.sleep(for: .seconds(5))
            let parkedDuringOutage = try await TestBroker.messageCount(prefix + "kontroll.parked")
            #expect(parkedDuringOutage == 0, "an outage of our own database parked messages:\n\(kontroll.output.suffix(3000))")

            try await ChaosDatabase.start()
            let back = ContinuousClock.now
            let checked = await eventually(timeout: .seconds(90), every: .milliseconds(250)) {
                (try? await TestDatabase.count(client, "SELECT count(*) FROM kontroll.inbox")) == ids.count
            }
            #expect(checked, "every contract is checked once the database is back:\n\(kontroll.output.suffix(3000))")
            print("database outage: \(ids.count) contracts checked \(ContinuousClock.now - back) after the database returned")
            #expect(try await TestBroker.messageCount(prefix + "kontroll.parked") == 0)
            let verdicts = try await TestDatabase.count(client, "SELECT count(*) FROM kontroll.outbox")
            #expect(verdicts == ids.count, "one verdict per contract, none twice")
            let metrics = await kontroll.admin("/metrics")?.body ?? ""
            #expect(metrics.contains("outcome=\"held\""), "held messages are counted")
            for process in [kontroll, sandbox, partnerAPI] {
                let stopping = ContinuousClock.now
                let status = await process.terminate()
                print(
                    "database outage: \(process.name) stopped \(ContinuousClock.now - stopping) after SIGTERM, status \(String(describing: status))")
                #expect(status == 0, "\(process.name):\n\(process.output.suffix(3000))")
            }
        }
    }
}
