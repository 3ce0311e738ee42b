import AvtalPersistence
import Foundation
import PostgresNIO
import Testing

@Suite("Migrations against PostgreSQL")
struct MigrationIntegrationTests {
    let logger = TestEnvironment.logger
    let extra = Migration(version: 2, name: "a table of its own", statements: ["CREATE TABLE {schema}.things (id int PRIMARY KEY)"])

    @Test("two processes migrating at once apply each migration exactly once; a second run does nothing")
    func concurrentAndIdempotent() async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            let schema: SchemaName = "concurrent"
            let migrations = MessagingMigrations.all + [extra]
            // A second, independent client: its own connections, as a second process would have.
            let applied = try await TestDatabase.withClient(TestDatabase.configuration(database: database)) { other in
                async let first = MigrationRunner.migrate(schema, migrations: migrations, client: client, logger: logger)
                async let second = MigrationRunner.migrate(schema, migrations: migrations, client: other, logger: logger)
                return try await [first, second]
            }
            #expect(applied.flatMap { $0 }.sorted() == (MessagingMigrations.all.map(\.version) + [2]).sorted())
            #expect(applied.contains([]))
            #expect(try await MigrationRunner.migrate(schema, migrations: migrations, client: client, logger: logger) == [])
            let recorded = try await TestDatabase.count(client, "SELECT count(*) FROM concurrent.schema_migrations")
            #expect(recorded == MessagingMigrations.all.count + 1)
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM concurrent.things") == 0)
        }
    }

    @Test("a failing migration leaves the schema exactly as it was")
    func failingMigrationRollsBack() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            let schema: SchemaName = "failing"
            try await MigrationRunner.migrate(schema, migrations: MessagingMigrations.all, client: client, logger: logger)
            let broken = Migration(
                version: 2, name: "half broken",
                statements: ["CREATE TABLE {schema}.half (id int)", "THIS IS NOT SQL"]
            )
            await #expect(throws: (any Error).self) {
                try await MigrationRunner.migrate(schema, migrations: MessagingMigrations.all + [broken], client: client, logger: logger)
            }
            let recorded = try await TestDatabase.count(client, "SELECT count(*) FROM failing.schema_migrations")
            #expect(recorded == MessagingMigrations.all.count, "the messaging migrations, and not the broken one")
            #expect(
                try await TestDatabase.count(
                    client, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'failing' AND table_name = 'half'"
                ) == 0
            )
        }
    }
}
