import Foundation
import Logging
import PostgresNIO

/// Fresh databases on the test PostgreSQL: each test gets its own, dropped afterwards, so tests never see each
/// other's rows and can run in parallel.
enum TestDatabase {
    /// A login to `database` as `user` (the superuser unless a test says otherwise).
    static func configuration(database: String, user: String = "postgres", port: Int = TestEnvironment.postgresPort) -> PostgresClient.Configuration {
        PostgresClient.Configuration(
            host: "127.0.0.1", port: port, username: user, password: nil, database: database, tls: .disable
        )
    }

    /// Runs `body` with a running client (the superuser's) on a new, empty database owned by `owner`.
    static func withFreshDatabase<T: Sendable>(
        owner: String = "postgres", port: Int = TestEnvironment.postgresPort, _ body: (PostgresClient, String) async throws -> T
    ) async throws -> T {
        let name = TestEnvironment.uniqueName("db")
        try await withClient(configuration(database: "postgres", port: port)) { admin in
            try await admin.query("CREATE DATABASE \(unescaped: name) OWNER \(unescaped: owner)")
        }
        do {
            let result = try await withClient(configuration(database: name, port: port)) { try await body($0, name) }
            try await drop(name, port: port)
            return result
        } catch {
            try? await drop(name, port: port)
            throw error
        }
    }

    /// Runs `body` with a client whose connection pool runs for exactly that long.
    @discardableResult
    static func withClient<T: Sendable>(
        _ configuration: PostgresClient.Configuration,
        logger: Logger = TestEnvironment.logger,
        _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// The first column of the first row (0 when there is none). The rows are read to the end: leaving a row stream
    /// early cancels the query, and the connection then goes back to the pool while it still drains the rest.
    static func count(_ client: PostgresClient, _ sql: String) async throws -> Int {
        let rows = try await client.query(PostgresQuery(unsafeSQL: sql))
        var first: Int?
        for try await count in rows.decode(Int.self) where first == nil { first = count }
        return first ?? 0
    }

    private static func drop(_ name: String, port: Int) async throws {
        try await withClient(configuration(database: "postgres", port: port)) { admin in
            try await admin.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)")
        }
    }
}
