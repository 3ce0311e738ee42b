public import Logging
public import PostgresNIO

/// A PostgreSQL schema that one target owns: its name and its own migrations, which start at version 2 (version 1 is
/// the outbox and inbox every schema starts with, ``MessagingMigrations``).
///
/// The convention: a target that owns tables declares its schema in `<Target>Schema.swift` as a static property of
/// this type (`DatabaseSchema.kontroll`, `DatabaseSchema.contractStore`), its migrations beside it.
public struct DatabaseSchema: Sendable {
    public let name: SchemaName
    /// The target's own migrations, after the messaging tables.
    public let ownMigrations: [Migration]
    /// Which roles may do what in it (``SchemaGrant``), granted after every migration run.
    public let grants: [SchemaGrant]
    /// How long its rows are kept: the messaging tables' ``Retention/messaging`` and the target's own.
    public let retention: [Retention]

    public init(name: SchemaName, migrations: [Migration], grants: [SchemaGrant], retention: [Retention] = []) {
        self.name = name
        self.ownMigrations = migrations
        self.grants = grants
        self.retention = Retention.messaging + retention
    }

    /// Every migration of the schema: the outbox and inbox first, then the target's own.
    public var migrations: [Migration] { MessagingMigrations.all + ownMigrations }
}

extension MigrationRunner {
    /// Brings `schema` up to date; returns the versions it applied.
    @discardableResult
    public static func migrate(_ schema: DatabaseSchema, client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await migrate(schema.name, migrations: schema.migrations, grants: schema.grants, client: client, logger: logger)
    }
}
