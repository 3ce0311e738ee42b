import AvtalMessaging
import AvtalPersistence
import Configuration
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The background work of a service: first its bootstrap (migrations under an advisory lock, the broker topology),
/// retried until the database and the broker answer; then its outbox relay and, if it has handlers, its consumer,
/// until graceful shutdown.
final class MessagingWorkers: Service {
    private let definition: ServiceDefinition
    private let context: ServiceContext
    private let relay: OutboxRelay
    private let consumer: EventConsumer?
    private let background: [any Service]
    private let bootstrapped = Atomic<Bool>(false)

    init(definition: ServiceDefinition, context: ServiceContext) {
        self.definition = definition
        self.context = context
        relay = OutboxRelay(
            schema: definition.schema,
            client: context.postgres,
            publisher: context.publisher,
            configuration: .init(exchange: context.configuration.exchange),
            logger: context.logger
        )
        background = definition.background(context)
        let handlers = definition.handlers(context)
        let concurrency = context.reader.int(forKey: "consumer.concurrency", default: definition.defaultConsumerConcurrency)
        consumer =
            handlers.eventTypes.isEmpty
            ? nil
            : EventConsumer(
                topology: context.topology,
                handlers: handlers,
                connection: context.configuration.broker,
                publisher: context.publisher,
                prefetch: UInt16(clamping: max(50, concurrency * 2)),
                concurrency: concurrency,
                // HANDLER_TIME_LIMIT_SECONDS: how long one message's handler may take before it counts as failed.
                handlerTimeLimit: .seconds(
                    max(
                        1,
                        context.reader.int(
                            forKey: "handler.time.limit.seconds", default: Int(EventConsumer.defaultHandlerTimeLimit.components.seconds)))
                ),
                logger: context.logger
            )
    }

    var isBootstrapped: Bool { bootstrapped.load(ordering: .acquiring) }

    /// Whether the consumer (if the service has one) is connected and consuming.
    var isConsuming: Bool { consumer?.isConsuming ?? true }

    func run() async throws {
        guard await bootstrap() else { return }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await self.relay.run() }
            if let consumer {
                group.addTask { try? await consumer.run() }
            }
            for service in background {
                group.addTask {
                    do {
                        try await service.run()
                    } catch {
                        self.context.logger.error("background work stopped", metadata: ["avtal.error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Returns false when shut down before the bootstrap succeeded.
    private func bootstrap() async -> Bool {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                for shared in definition.alsoMigrates {
                    try await MigrationRunner.migrate(shared.schema, migrations: shared.migrations, client: context.postgres, logger: context.logger)
                }
                try await MigrationRunner.migrate(
                    definition.schema, migrations: definition.allMigrations, client: context.postgres, logger: context.logger
                )
                try await context.publisher.connect()
                bootstrapped.store(true, ordering: .releasing)
                context.logger.info("bootstrapped", metadata: ["avtal.schema": "\(definition.schema)"])
                return true
            } catch {
                context.logger.warning(
                    "waiting for the database and the broker",
                    metadata: ["avtal.error": "\(String(reflecting: error))", "avtal.retry.in": "\(delay)"]
                )
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        return false
    }
}
