/// A schema and the full list of its migrations, for a service that migrates a schema it shares with others (the
/// contract store's), whichever service starts first.
public struct SchemaMigrations: Sendable {
    public let schema: SchemaName
    public let migrations: [Migration]

    public init(schema: SchemaName, migrations: [Migration]) {
        self.schema = schema
        self.migrations = migrations
    }
}
