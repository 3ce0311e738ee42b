import AvtalContractStore
import AvtalDomain
import AvtalMessaging
import AvtalRuntime
import AvtalTestSupport
import Configuration
import Foundation
import PostgresNIO
import Webbavtal

/// webbavtal running inside a test from its own definition (`WebbavtalService.definition`: the store, its consumer,
/// its relay, its sweep and its pages) on a fresh database and a fresh exchange, so other services (as processes or
/// stand-ins) can talk to it over the real broker.
struct WebbavtalHarness {
    let client: PostgresClient
    let database: String
    let exchange: String
    let webbavtal: ServiceTopology
    let publisher: AMQPPublisher

    static func run(_ body: (WebbavtalHarness) async throws -> Void) async throws {
        let exchange = TestEnvironment.uniqueName("ex")
        let prefix = TestEnvironment.uniqueName("q") + "_"
        try await TestDatabase.withFreshDatabase { _, database in
            let service = try await InProcessService(
                WebbavtalService.definition,
                settings: [
                    "postgres.database": .init(.string(database), isSecret: false), "amqp.exchange": .init(.string(exchange), isSecret: false),
                    "amqp.queue.prefix": .init(.string(prefix), isSecret: false), "retry.delays.ms": "100",
                ])
            let context = service.context
            defer { Task { await TestBroker.delete(context.topology) } }
            do {
                try await body(
                    WebbavtalHarness(
                        client: context.postgres, database: database, exchange: exchange, webbavtal: context.topology, publisher: context.publisher))
            } catch {
                await service.stop()
                throw error
            }
            await service.stop()
        }
    }

    /// Publishes `envelope` on the harness's exchange, as another service would.
    func publish<Event: DomainEvent>(_ envelope: EventEnvelope<Event>) async throws {
        try await publisher.publish(
            OutboundMessage(
                exchange: exchange, routingKey: envelope.routingKey, body: try EnvelopeCoding.encode(envelope),
                messageId: envelope.messageId.uuidString.lowercased(), type: envelope.type
            )
        )
    }

    /// partner-api as a process on the harness's database and exchange, ready, with PartnerAPITests' four partners:
    /// its address and their keys (alpha, beta, limited, unlimited). Terminate the process at the end.
    func partnerAPI(environment extra: [String: String] = [:]) async throws -> (process: ServiceProcess, base: String, keys: [String]) {
        var environment = ServiceProcessTests.isolatedEnvironment(database: database).merging(extra) { $1 }
        environment["AMQP_EXCHANGE"] = exchange
        let process = try ServiceProcess("partner-api", environment: environment)
        let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
        guard ready else { throw SetupError("partner-api is not ready:\n\(process.output)") }
        return (process, "http://127.0.0.1:\(process.port)", try await PartnerAPITests.addPartners(client))
    }
}
