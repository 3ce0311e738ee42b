import AvtalMessaging
import AvtalPersistence
import Configuration
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceLifecycle
import UnixSignals

/// Starts a service from its ``ServiceDefinition`` and runs it until SIGTERM or SIGINT.
///
/// One `ServiceGroup` runs, in this order, the PostgreSQL client, the publisher, the messaging workers and the HTTP
/// server; on a signal they stop in reverse: the server stops taking requests, the consumer finishes the message in
/// hand and stops, the relay finishes its round, the publisher closes, and the database connections close last.
public enum ServiceRunner {
    public static func run(_ definition: ServiceDefinition) async throws {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider())
        let configuration: ServiceConfiguration
        do {
            configuration = try ServiceConfiguration(reader: reader, defaultHTTPPort: definition.defaultHTTPPort)
        } catch {
            FileHandle.standardError.write(Data("\(definition.name): invalid configuration: \(error)\n".utf8))
            // EX_CONFIG (sysexits.h): a clean refusal with a code, not a crash.
            exit(78)
        }
        let (logger, registry) = Observability.bootstrap(service: definition.name, level: configuration.logLevel)
        let postgres = PostgresClient(configuration: configuration.postgres, backgroundLogger: logger)
        let topology = ServiceTopology(
            service: configuration.queuePrefix + definition.name,
            exchange: configuration.exchange,
            routingKeys: definition.routingKeys,
            retry: configuration.retry
        )
        let publisher = AMQPPublisher(
            options: configuration.broker,
            topology: definition.routingKeys.isEmpty ? Topology(exchanges: [configuration.exchange]) : topology.topology,
            logger: logger
        )
        let context = ServiceContext(
            configuration: configuration,
            reader: reader,
            logger: logger,
            postgres: postgres,
            publisher: publisher,
            outbox: Outbox(schema: definition.schema),
            inbox: Inbox(schema: definition.schema, client: postgres, logger: logger),
            topology: topology
        )
        let workers = MessagingWorkers(definition: definition, context: context)
        let checks = [
            ReadinessCheck(name: "database") {
                (try? await postgres.query("SELECT 1", logger: logger)) != nil
            },
            ReadinessCheck(name: "broker") {
                (try? await publisher.connect()) != nil && workers.isConsuming
            },
            ReadinessCheck(name: "migrations") { workers.isBootstrapped },
        ]
        let router = Router()
        OperationalRoutes.add(to: router, service: definition.name, checks: checks, registry: registry)
        do {
            try definition.routes(router, context)
        } catch {
            logger.critical("cannot set up the routes: \(error)")
            exit(78)
        }
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: definition.name),
            logger: logger
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: postgres), .init(service: publisher), .init(service: workers), .init(service: app)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        ServiceRunner.boundShutdown(&groupConfiguration)
        let group = ServiceGroup(configuration: groupConfiguration)
        logger.info(
            "starting",
            metadata: [
                "avtal.http": "http://\(configuration.httpHost):\(configuration.httpPort)",
                "avtal.brokers": "\(configuration.broker.addresses)",
            ]
        )
        await runToTheEnd(group, logger: logger)
    }

    /// Runs the group; when it ends on an error (the HTTP port taken, say) the process says why in one log line and
    /// exits with status 1, instead of a crash report.
    static func runToTheEnd(_ group: ServiceGroup, logger: Logger) async {
        do {
            try await group.run()
            logger.info("stopped")
        } catch {
            logger.critical("stopped on an error", metadata: ["avtal.error": "\(error)"])
            exit(1)
        }
    }

    /// A stop never hangs: graceful shutdown (finishing the message in hand) may take 20 s, then the tasks are
    /// cancelled, and if they still have not ended 10 s later the process ends anyway. Seen once: a signering whose
    /// broker and database were both gone ignored SIGTERM for an hour.
    static func boundShutdown(_ configuration: inout ServiceGroupConfiguration) {
        configuration.maximumGracefulShutdownDuration = .seconds(20)
        configuration.maximumCancellationDuration = .seconds(10)
    }
}
