import ArgumentParser
import AvtalDomain
import AvtalPersistence
import AvtalRuntime
import Configuration
import Logging
import PartnerAPI
import PostgresNIO

/// `avtalctl partner create|revoke|webhook`: partners, their API keys and webhooks in the database the services use
/// (POSTGRES_*).
struct PartnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "partner",
        abstract: "Create partners and issue or revoke their API keys.",
        subcommands: [Create.self, Revoke.self, WebhookCommand.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a partner (or update it) and print a new API key, once. The key itself is never stored.")

        @Option(help: "The partner id: lower-case letters, digits and dashes, e.g. elpriskollen.") var id: String
        @Option(help: "The partner's name.") var name: String
        @Option(help: "partner (a partner site) or ownWeb (our own web, app, Mina sidor).") var channel = "partner"
        @Option(help: "Requests a minute before 429.") var perMinute = 600
        @Option(help: "Use this key instead of a new random one (local demo only; it must start with avtal_ and be 30+ characters).")
        var key: String?

        func validate() throws {
            guard ["partner", "ownWeb"].contains(channel) else { throw ValidationError("--channel must be partner or ownWeb") }
            guard perMinute > 0 else { throw ValidationError("--per-minute must be positive") }
            if let key, !(key.hasPrefix(APIKey.scheme) && key.count >= 30) {
                throw ValidationError("--key must start with \(APIKey.scheme) and be at least 30 characters")
            }
        }

        func run() async throws {
            let partner = Partner(id: id, name: name, channel: SalesChannel(rawValue: channel)!, requestsPerMinute: perMinute)
            let issued = key.map(APIKey.init(value:)) ?? APIKey.generate()
            try await withDatabase { client, logger in
                try await client.withTransaction(logger: logger) { connection in
                    try await PartnerDirectory.upsert(partner, on: connection, logger: logger)
                    try await PartnerDirectory.add(issued, to: partner.id, on: connection, logger: logger)
                }
            }
            print(issued.value)
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a partner's keys that start with a prefix (as listed when issued).")

        @Option(help: "The partner id.") var id: String
        @Option(help: "The key's first characters (avtal_ and six more).") var prefix: String

        func run() async throws {
            let count = try await withDatabase { client, logger in
                try await client.withTransaction(logger: logger) { connection in
                    try await PartnerDirectory.revoke(prefix: prefix, of: id, on: connection, logger: logger)
                }
            }
            print("revoked \(count) key(s)")
        }
    }
}

/// Runs `body` with a client for the services' database, after bringing `schema` (partner-api's by default) up to date.
func withDatabase<T: Sendable>(
    schema: DatabaseSchema? = .partnerAPI,
    _ body: @escaping @Sendable (PostgresClient, Logger) async throws -> T
) async throws -> T {
    let reader = ConfigReader(provider: EnvironmentVariablesProvider())
    let configuration = try ServiceConfiguration(reader: reader, defaultHTTPPort: 8080, mode: LocalMode(reader: reader))
    var logger = Logger(label: "avtalctl")
    logger.logLevel = .warning
    // The client's own chatter (a lease asked for before `run()` is scheduled) is not the operator's concern;
    // failures reach the command as errors.
    var background = logger
    background.logLevel = .error
    let client = PostgresClient(configuration: configuration.postgres, backgroundLogger: background)
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask {
            await client.run()
            return nil
        }
        defer { group.cancelAll() }
        if let schema { try await MigrationRunner.migrate(schema, client: client, logger: logger) }
        return try await body(client, logger)
    }
}
