import Configuration
import Foundation
import PostgresNIO
import Testing

@testable import AvtalRuntime

/// The services' connection pools: no keep-alive query unless asked for (issue 19, `ServiceConfiguration.keepAlive`),
/// and no standing connections (PostgresNIO 1.33's pool stops the process when it has a minimum and the database
/// restarts).
@Suite("Database pool")
struct DatabasePoolTests {
    static func configuration(_ values: [String: ConfigValue]) throws -> ServiceConfiguration {
        let reader = ConfigReader(provider: InMemoryProvider(values: TestConfiguration.entries(values, over: ["avtal.environment": "local"])))
        return try ServiceConfiguration(reader: reader, defaultHTTPPort: 8080, mode: LocalMode(reader: reader))
    }

    @Test("by default neither pool runs a keep-alive query nor keeps a connection standing")
    func defaults() throws {
        let configuration = try Self.configuration([:])
        for options in [configuration.postgres.options, configuration.relayPostgres.options] {
            #expect(options.keepAliveBehavior == nil)
            #expect(options.minimumConnections == 0)
        }
        #expect(configuration.relayPostgres.options.maximumConnections == 3)
    }

    @Test("POSTGRES_KEEPALIVE_SECONDS brings the query back for both pools; below zero refuses to start and names the key")
    func keepAliveSetting() throws {
        let queried = try Self.configuration(["postgres.keepalive.seconds": .init(.int(45), isSecret: false)])
        #expect(queried.postgres.options.keepAliveBehavior?.frequency == .seconds(45))
        #expect(queried.relayPostgres.options.keepAliveBehavior?.frequency == .seconds(45))
        #expect {
            try Self.configuration(["postgres.keepalive.seconds": .init(.int(-5), isSecret: false)])
        } throws: { ($0 as? ServiceConfiguration.Invalid)?.description.contains("POSTGRES_KEEPALIVE_SECONDS") == true }
    }

    /// The server's view of the connections named `name`: state, what they wait on, their last statement, how long
    /// since their state changed.
    static func activity(of name: String, on observer: PostgresClient) async throws -> String {
        let rows = try await observer.query(
            """
            SELECT concat_ws(' ', state, wait_event_type, wait_event, left(query, 60), now() - state_change)
            FROM pg_stat_activity WHERE application_name = \(name)
            """
        )
        var found: [String] = []
        for try await line in rows.decode(String.self) { found.append(line) }
        return found.joined(separator: "; ")
    }

    @Test("a pool without the keep-alive query still closes a connection that sat idle past its timeout, and opens another on demand")
    func idleConnectionsClose() async throws {
        var postgres = try Self.configuration([
            "postgres.port": .init(.int(TestEnvironment.postgresPort), isSecret: false),
            "postgres.database": .init(.string("postgres"), isSecret: false),
        ]).postgres
        let name = TestEnvironment.uniqueName("pool")
        postgres.options.additionalStartupParameters.append(("application_name", name))
        postgres.options.connectionIdleTimeout = .seconds(1)
        try await TestDatabase.withClient(TestDatabase.configuration(database: "postgres")) { observer in
            let count = "SELECT count(*)::int FROM pg_stat_activity WHERE application_name = '\(name)'"
            // The pool's own account (lease, release, close), shown only if the connection lingers.
            let poolLog = CapturedLog()
            try await TestDatabase.withClient(postgres, logger: poolLog.logger(label: "pool")) { client in
                let first = try await TestDatabase.count(client, "SELECT 1")
                let open = try await TestDatabase.count(observer, count)
                let idleSince = ContinuousClock.now
                var looks = 0
                #expect(first == 1)
                #expect(open == 1, "the one connection the query took")
                let closed = try await eventually(timeout: .seconds(20)) {
                    looks += 1
                    return try await TestDatabase.count(observer, count) == 0
                }
                // Seen failing on 2026-12-07, when a deploy script's server had inherited the socket (docs/testing.md).
                // If it happens again: how long it waited, how often it looked, the server's view and the pool's log.
                let waited = idleSince.duration(to: .now)
                let lingering = closed ? "" : try await Self.activity(of: name, on: observer)
                #expect(closed, "still open after \(waited) and \(looks) looks: \(lingering)\npool: \(poolLog.text)")
                let second = try await TestDatabase.count(client, "SELECT 2")
                #expect(second == 2)
            }
        }
    }
}
