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
        let migrated = await Bootstrap.retrying("waiting for the database", logger: logger) {
            try await Bootstrap.migrate(schemas, postgres: postgres, owner: owner, logger: logger)
        }
        if migrated { logger.info("migrated; exiting", metadata: ["avtal.schemas": "\(schemas.map(\.name))"]) }
    }
}
