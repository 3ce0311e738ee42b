import Foundation

/// One numbered, named step of a schema's evolution, applied at most once, in its own part of a transaction.
///
/// Statements are listed one by one (PostgreSQL's extended protocol runs one statement per query) and may use
/// `{schema}` where the schema's name belongs.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let statements: [String]

    public init(version: Int, name: String, statements: [String]) {
        self.version = version
        self.name = name
        self.statements = statements
    }

    func sql(for schema: SchemaName) -> [String] {
        statements.map { $0.replacingOccurrences(of: "{schema}", with: schema.name) }
    }
}
