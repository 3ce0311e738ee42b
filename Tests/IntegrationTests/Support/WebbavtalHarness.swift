import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import AvtalTestSupport
import Foundation
import PostgresNIO

@testable import AvtalMessaging

/// webbavtal's moving parts running inside a test — the store on a fresh database, its consumer and its relay on a
/// fresh exchange — so other services (as processes or stand-ins) can talk to it over the real broker.
struct WebbavtalHarness {
    let client: PostgresClient
    let database: String
    let exchange: String
    let webbavtal: ServiceTopology
    let publisher: AMQPPublisher

    static func run(_ body: (WebbavtalHarness) async throws -> Void) async throws {
        let logger = TestEnvironment.logger
        let exchange = TestEnvironment.uniqueName("ex")
        let webbavtal = ServiceTopology(
            service: TestEnvironment.uniqueName("webbavtal"), exchange: exchange, routingKeys: ContractEventHandlers.routingKeys,
            retry: RetryPolicy(delays: [.milliseconds(100)])
        )
        defer { Task { await TestBroker.delete(webbavtal) } }
        try await TestDatabase.withFreshDatabase { client, database in
            try await MigrationRunner.migrate(
                ContractStore.schema, migrations: ContractStore.schemaMigrations.migrations, client: client, logger: logger
            )
            let store = ContractStore(logger: logger)
            let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: webbavtal.topology, logger: logger)
            let handlers = ContractEventHandlers.make(
                store: store, inbox: Inbox(schema: ContractStore.schema, client: client, logger: logger), now: { Samples.now }
            )
            let consumer = EventConsumer(
                topology: webbavtal, handlers: handlers, connection: TestEnvironment.broker, publisher: publisher, logger: logger
            )
            let relay = OutboxRelay(
                schema: ContractStore.schema, client: client, publisher: publisher,
                configuration: .init(exchange: exchange, pollInterval: .milliseconds(200)), logger: logger
            )
            let running = Task { try await consumer.run() }
            let relaying = Task { try await relay.run() }
            try await body(WebbavtalHarness(client: client, database: database, exchange: exchange, webbavtal: webbavtal, publisher: publisher))
            consumer.stop()
            relaying.cancel()
            try await running.value
            _ = try? await relaying.value
            await publisher.close()
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
