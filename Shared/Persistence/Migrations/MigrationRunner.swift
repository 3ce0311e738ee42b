public import Logging
public import PostgresNIO

/// Brings a schema up to date: creates it if needed and applies, in order, every migration not yet recorded in its
/// `schema_migrations` table, then grants each role what the schema's ``SchemaGrant``s say.
///
/// Everything happens in one transaction holding a transaction-level advisory lock on the schema's name, so several
/// processes starting at once apply each migration exactly once (the others wait, then find nothing to do), and a
/// failing migration leaves the schema as it was.
public enum MigrationRunner {
    /// Returns the versions it applied (empty when the schema was already up to date).
    @discardableResult
    public static func migrate(
        _ schema: SchemaName,
        migrations: [Migration],
        grants: [SchemaGrant] = [],
        client: PostgresClient,
        logger: Logger
    ) async throws -> [Int] {
        let ordered = migrations.sorted { $0.version < $1.version }
        precondition(Set(ordered.map(\.version)).count == ordered.count, "migration versions of \(schema) must be unique")
        let applied = try await client.withTransaction(logger: logger) { connection -> [Int] in
            let lockKey = "avtal.migrate.\(schema.name)"
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lockKey)))", logger: logger)
            try await connection.query("CREATE SCHEMA IF NOT EXISTS \(unescaped: schema.name)", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS \(unescaped: schema.name).schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """,
                logger: logger
            )
            var done = Set<Int>()
            for try await version in try await connection.query(
                "SELECT version FROM \(unescaped: schema.name).schema_migrations", logger: logger
            ).decode(Int.self) {
                done.insert(version)
            }
            var applied: [Int] = []
            for migration in ordered where !done.contains(migration.version) {
                for statement in migration.sql(for: schema) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO \(unescaped: schema.name).schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger
                )
                applied.append(migration.version)
            }
            for grant in grants {
                for statement in grant.sql(for: schema) {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
            }
            return applied
        }
        if !applied.isEmpty {
            logger.debug("migrated", metadata: ["avtal.schema": "\(schema)", "avtal.migrations": "\(applied)"])
        }
        return applied
    }
}
