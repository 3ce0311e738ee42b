import AvtalMessaging
import AvtalPersistence
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// The first thing a service does: its migrations (each schema under an advisory lock) and a connection to the
/// broker, retried with backoff until the database and the broker answer. It then ends; the work that needs it
/// (the relay, the consumer, the service's own background work) waits for it through ``AfterBootstrap``.
final class Bootstrap: Service {
    private let schemas: [DatabaseSchema]
    private let postgres: PostgresClient
    private let owner: PostgresClient.Configuration?
    private let runsMigrations: Bool
    private let publisher: AMQPPublisher
    private let logger: Logger
    private let done = Atomic<Bool>(false)

    /// `owner`: the owner role's login for migrations; nil to migrate with the service's own pool. `runsMigrations`:
    /// false when they were run before the service started (`AVTAL_MIGRATIONS=skip`).
    init(
        schemas: [DatabaseSchema], postgres: PostgresClient, owner: PostgresClient.Configuration?, runsMigrations: Bool = true,
        publisher: AMQPPublisher, logger: Logger
    ) {
        self.schemas = schemas
        self.postgres = postgres
        self.owner = owner
        self.runsMigrations = runsMigrations
        self.publisher = publisher
        self.logger = logger
    }

    var isDone: Bool { done.load(ordering: .acquiring) }

    func run() async throws {
        let bootstrapped = await Self.retrying("waiting for the database and the broker", logger: logger) {
            if runsMigrations { try await Self.migrate(schemas, postgres: postgres, owner: owner, logger: logger) }
            try await publisher.connect()
        }
        guard bootstrapped else { return }
        done.store(true, ordering: .releasing)
        logger.debug("bootstrapped", metadata: ["avtal.schemas": "\(schemas.map(\.name))"])
    }

    /// Runs `step` until it succeeds (true) or the service stops (false), waiting 0.2 s after the first failure and
    /// twice as long after each next one, at most 5 s; each failure is logged as `waiting`.
    static func retrying(_ waiting: String, logger: Logger, _ step: () async throws -> Void) async -> Bool {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await step()
                return true
            } catch {
                logger.warning(
                    "\(waiting)", metadata: ["avtal.error": "\(String(reflecting: error))", "avtal.retry.in": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
        return false
    }

    /// Every schema's migrations and grants: as the owner role on a pool of its own for the purpose, when one is
    /// configured (production: the service's own role may not change a schema), else on the service's pool.
    static func migrate(_ schemas: [DatabaseSchema], postgres: PostgresClient, owner: PostgresClient.Configuration?, logger: Logger) async throws {
        guard let owner else {
            for schema in schemas { try await MigrationRunner.migrate(schema, client: postgres, logger: logger) }
            return
        }
        let client = PostgresClient(configuration: owner, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            for schema in schemas { try await MigrationRunner.migrate(schema, client: client, logger: logger) }
        }
    }

    /// Returns once the bootstrap is done (true), or false when the service is stopped first.
    func wait() async -> Bool {
        while !isDone {
            if Task.isCancelled || Task.isShuttingDownGracefully { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}

/// A member of the service group that starts only after the ``Bootstrap``: the outbox relay, the consumer, a sweep.
/// Its errors end the group (and the process, which its supervisor restarts), never vanish.
struct AfterBootstrap: Service, CustomStringConvertible {
    let bootstrap: Bootstrap
    let service: any Service

    /// Its name only: swift-service-lifecycle logs every member at debug level, and a member's own description would
    /// list its stored properties — settings, a webhook URL and its secret among them.
    var description: String { "\(type(of: service)) after the bootstrap" }

    func run() async throws {
        guard await bootstrap.wait() else { return }
        try await service.run()
    }
}
