import AvtalPersistence
import Logging
import PostgresNIO
import ServiceLifecycle

/// `AVTAL_MIGRATIONS=only`: every schema's migrations and grants, retried with backoff until the database answers,
/// then the end of the service group (and the process, with status 0). Nothing else of the service starts.
struct MigrationsOnly: Service {
    let schemas: [DatabaseSchema]
    let postgres: PostgresClient
    let owner: PostgresClient.Configuration?
    let logger: Logger

    func run() async throws {
        var delay = Duration.milliseconds(200)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await Bootstrap.migrate(schemas, postgres: postgres, owner: owner, logger: logger)
                logger.info("migrated; exiting", metadata: ["avtal.schemas": "\(schemas.map(\.name))"])
                return
            } catch {
                logger.warning(
                    "waiting for the database", metadata: ["avtal.error": "\(String(reflecting: error))", "avtal.retry.in": "\(delay)"])
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
