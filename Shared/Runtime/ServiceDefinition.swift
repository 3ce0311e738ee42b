public import AvtalMessaging
public import AvtalPersistence
public import Hummingbird
public import ServiceLifecycle

/// What makes one service itself, given to ``ServiceRunner``: its name and port, its schema, the events it consumes
/// and how it handles them, its own long-running work and the HTTP routes it adds. Each service's library exposes
/// one (`WebbavtalService.definition`, …); its `main.swift` only runs it.
public struct ServiceDefinition: Sendable {
    public var name: String
    public var defaultHTTPPort: Int
    /// The service's own schema (its outbox and inbox, then its own tables).
    public var schema: DatabaseSchema
    /// Schemas the service shares with others and migrates too (the contract store, for the intake services).
    public var alsoMigrates: [DatabaseSchema]
    /// The routing keys its work queue is bound to. The queue is declared even before the service has handlers for
    /// them, so events wait there rather than go missing.
    public var routingKeys: [String]
    /// Builds the event handlers once the service's resources exist; no handlers means no consumer runs.
    public var handlers: @Sendable (ServiceContext) -> EventHandlers
    /// How many messages its consumer handles at once unless `CONSUMER_CONCURRENCY` says otherwise. Events about one
    /// contract are always handled one at a time, in the order they arrived; more than one lets different
    /// contracts' events pass each other (kontroll and signering wait on other systems; webbavtal on fsyncs).
    public var defaultConsumerConcurrency: Int
    /// Long-running work of the service's own (a sweeper, a scheduler), started after the bootstrap.
    public var background: @Sendable (ServiceContext) -> [any Service]
    /// The largest request body it reads unless `HTTP_MAX_BODY_BYTES` says otherwise (``HTTPEdgeConfiguration``).
    public var defaultMaximumBodyBytes: Int
    /// Adds the service's own HTTP routes next to the operational ones.
    public var routes: @Sendable (Router<AvtalRequestContext>, ServiceContext) throws -> Void

    public init(
        name: String,
        defaultHTTPPort: Int,
        schema: DatabaseSchema,
        alsoMigrates: [DatabaseSchema] = [],
        routingKeys: [String] = [],
        handlers: @escaping @Sendable (ServiceContext) -> EventHandlers = { _ in EventHandlers() },
        defaultConsumerConcurrency: Int = 1,
        background: @escaping @Sendable (ServiceContext) -> [any Service] = { _ in [] },
        defaultMaximumBodyBytes: Int = 256 * 1024,
        routes: @escaping @Sendable (Router<AvtalRequestContext>, ServiceContext) throws -> Void = { _, _ in }
    ) {
        self.name = name
        self.defaultHTTPPort = defaultHTTPPort
        self.schema = schema
        self.alsoMigrates = alsoMigrates
        self.routingKeys = routingKeys
        self.handlers = handlers
        self.defaultConsumerConcurrency = defaultConsumerConcurrency
        self.background = background
        self.defaultMaximumBodyBytes = defaultMaximumBodyBytes
        self.routes = routes
    }
}
