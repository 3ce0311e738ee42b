import AvtalMessaging
import AvtalPersistence
public import Configuration
public import Hummingbird
public import Logging
import PostgresNIO
public import Prometheus
public import ServiceLifecycle

/// One service wired from its ``ServiceDefinition`` and a configuration, without starting anything: its context,
/// its HTTP router and the members of its service group, in the order they start (they stop in reverse):
///
/// 1. the `PostgresClient`s (PostgresNIO's connection pools: the service's, and the outbox relay's own —
///    ``ServiceConfiguration/relayPool(_:)``);
/// 2. the `AMQPPublisher` (its own connection; keeps heartbeats going);
/// 3. the ``Bootstrap`` (migrations, then the broker), which ends when done;
/// 4. after it, the outbox relay, the consumer (if the service has handlers) and the service's own background work;
/// 5. the admin HTTP server (`/health`, `/ready`, `/metrics` on `ADMIN_PORT`), then the service's own, behind the
///    ``EdgeMiddleware`` (canonical paths, the body limit) and the ``ConnectionGuard`` (header and body deadlines).
///
/// ``ServiceRunner`` runs it from the environment until a signal; tests run the same assembly in-process, or only
/// its router, so that no test rebuilds a service's wiring by hand.
public struct ServiceAssembly {
    public let definition: ServiceDefinition
    public let context: ServiceContext
    public let router: Router<AvtalRequestContext>
    /// The members of the service group, in start order.
    public let services: [ServiceGroupConfiguration.ServiceConfiguration]
    /// The group of `AVTAL_MIGRATIONS=only`: the connection pool and the migrations, which end the group when done.
    public let migrationsOnly: [ServiceGroupConfiguration.ServiceConfiguration]
    private let bootstrap: Bootstrap
    private let consumer: EventConsumer?

    /// Throws ``ServiceConfiguration/Invalid`` for a bad configuration and whatever the service's routes throw.
    public init(_ definition: ServiceDefinition, reader: ConfigReader, logger: Logger, registry: PrometheusCollectorRegistry) throws {
        self.definition = definition
        let mode = LocalMode(reader: reader)
        let configuration = try ServiceConfiguration(reader: reader, defaultHTTPPort: definition.defaultHTTPPort, mode: mode)
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
            mode: mode,
            logger: logger,
            postgres: postgres,
            publisher: publisher,
            outbox: Outbox(schema: definition.schema.name),
            inbox: Inbox(schema: definition.schema.name, client: postgres, logger: logger),
            topology: topology
        )
        self.context = context
        let schemas = definition.alsoMigrates + [definition.schema]
        let bootstrap = Bootstrap(
            schemas: schemas, postgres: postgres, owner: configuration.migrationPostgres,
            runsMigrations: configuration.migrations == .atStart, publisher: publisher, logger: logger)
        self.bootstrap = bootstrap
        migrationsOnly = [
            .init(service: postgres),
            .init(
                service: MigrationsOnly(schemas: schemas, postgres: postgres, owner: configuration.migrationPostgres, logger: logger),
                successTerminationBehavior: .gracefullyShutdownGroup),
        ]
        let relayPostgres = PostgresClient(configuration: configuration.relayPostgres, backgroundLogger: logger)
        let relay = OutboxRelay(
            schema: definition.schema.name, client: relayPostgres, publisher: publisher,
            configuration: .init(
                exchange: configuration.exchange, gather: .milliseconds(max(0, reader.int(forKey: "outbox.gather.ms", default: 10)))),
            logger: logger)
        let database = DatabaseWatch(postgres: postgres, logger: logger)
        let consumer = Self.consumer(for: definition, context: context, database: database)
        self.consumer = consumer
        let edge = HTTPEdgeConfiguration(reader: reader, defaultMaximumBodyBytes: definition.defaultMaximumBodyBytes)
        let admin = Router(context: AvtalRequestContext.self)
        admin.add(middleware: EdgeMiddleware(maximumBodyBytes: 1024))
        OperationalRoutes.addAdmin(
            to: admin, service: definition.name, checks: Self.readiness(context, database, bootstrap, consumer), registry: registry)
        let adminServer = Application(
            router: admin, server: edge.server,
            configuration: edge.application(
                host: configuration.adminHost, port: configuration.adminPort, serverName: definition.name + "-admin", logger: logger),
            logger: logger)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: postgres), .init(service: relayPostgres), .init(service: publisher), .init(service: database),
            .init(service: adminServer),
            .init(service: bootstrap, successTerminationBehavior: .ignore),
            .init(service: AfterBootstrap(bootstrap: bootstrap, service: relay)),
        ]
        if let consumer { services.append(.init(service: AfterBootstrap(bootstrap: bootstrap, service: consumer))) }
        // PRUNE_INTERVAL_SECONDS: how often the service deletes what its schema's retention no longer keeps.
        let pruner = Pruner(
            schema: definition.schema, client: postgres, interval: .seconds(max(1, reader.int(forKey: "prune.interval.seconds", default: 3600))),
            logger: logger)
        services.append(.init(service: AfterBootstrap(bootstrap: bootstrap, service: pruner)))
        for work in definition.background(context) {
            services.append(.init(service: AfterBootstrap(bootstrap: bootstrap, service: work)))
        }
        let router = Router(context: AvtalRequestContext.self)
        router.add(middleware: EdgeMiddleware(maximumBodyBytes: edge.maximumBodyBytes, clientAddressHeader: edge.clientAddressHeader))
        router.add(middleware: InFlightLimit(maximum: edge.maximumInFlight, service: definition.name))
        router.add(middleware: AnnouncingOutboxWrites())
        if TracingSettings(reader: reader).isOn { router.add(middleware: RequestTracing()) }
        OperationalRoutes.addService(to: router, service: definition.name)
        try definition.routes(router, context)
        self.router = router
        let app = Application(
            router: router, server: edge.server,
            configuration: edge.application(
                host: configuration.httpHost, port: configuration.httpPort, serverName: definition.name, logger: logger),
            logger: logger
        )
        services.append(.init(service: app))
        self.services = services
        if let refusal = mode.refusal { throw ServiceConfiguration.Invalid(description: refusal) }
    }

    /// Whether the bootstrap is done and the consumer (if the service has one) is consuming.
    public var isRunning: Bool { bootstrap.isDone && (consumer?.isConsuming ?? true) }

    private static func consumer(for definition: ServiceDefinition, context: ServiceContext, database: DatabaseWatch) -> EventConsumer? {
        let handlers = definition.handlers(context)
        guard !handlers.eventTypes.isEmpty else { return nil }
        let reader = context.reader
        let concurrency = reader.int(forKey: "consumer.concurrency", default: definition.defaultConsumerConcurrency)
        // HANDLER_TIME_LIMIT_SECONDS: how long one message's handler may take before it counts as failed.
        let limit = reader.int(forKey: "handler.time.limit.seconds", default: Int(EventConsumer.defaultHandlerTimeLimit.components.seconds))
        return EventConsumer(
            topology: context.topology,
            handlers: handlers,
            connection: context.configuration.broker,
            publisher: context.publisher,
            prefetch: UInt16(clamping: max(50, concurrency * 2)),
            concurrency: concurrency,
            handlerTimeLimit: .seconds(max(1, limit)),
            infrastructure: database,
            logger: context.logger
        )
    }

    /// What `/ready` reads: state the pieces keep, never a query or a connect of its own.
    private static func readiness(
        _ context: ServiceContext, _ database: DatabaseWatch, _ bootstrap: Bootstrap, _ consumer: EventConsumer?
    ) -> [ReadinessCheck] {
        let publisher = context.publisher
        return [
            ReadinessCheck(name: "database") { database.isAnswering },
            ReadinessCheck(name: "broker") { publisher.isConnected && (consumer?.isConsuming ?? true) },
            ReadinessCheck(name: "migrations") { bootstrap.isDone },
        ]
    }
}
