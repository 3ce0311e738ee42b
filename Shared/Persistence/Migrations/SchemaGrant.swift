import Foundation

/// Who may do what in a schema, granted again (idempotently) after every migration run, so tables a migration adds are
/// covered at once. Each service logs in to PostgreSQL as its own role, `avtal_<service>`; migrations run as the owner
/// role (`POSTGRES_MIGRATION_USER`), which owns every schema. The roles are created outside the services: by
/// `deploy/postgres.sh` locally, by the cluster's operator in production (docs/deploy.md).
public struct SchemaGrant: Sendable, Equatable {
    public let role: String
    /// The statements, with `{schema}` where the schema's name belongs and `{role}` for the role.
    public let statements: [String]

    /// Everything a service does in its own schema: read and write its tables (never change them), use its sequences.
    public static func owner(_ role: String) -> SchemaGrant {
        SchemaGrant(
            role: role,
            statements: [
                "GRANT USAGE ON SCHEMA {schema} TO {role}",
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
                "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
            ])
    }

    public init(role: String, statements: [String]) {
        precondition(SchemaName(role) != nil, "'\(role)' is not a plain role name")
        self.role = role
        self.statements = statements
    }

    func sql(for schema: SchemaName) -> [String] {
        statements.map { $0.replacingOccurrences(of: "{schema}", with: schema.name).replacingOccurrences(of: "{role}", with: role) }
    }
}
