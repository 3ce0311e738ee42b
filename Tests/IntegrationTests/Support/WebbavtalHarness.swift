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
}
