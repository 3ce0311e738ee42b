public import AvtalMessaging
public import Configuration
import Foundation
public import Logging
public import PostgresNIO

/// What every service reads from its environment, with defaults that match the local stack `make up` starts.
///
/// | key (environment variable) | default | meaning |
/// | --- | --- | --- |
/// | `HTTP_HOST` | `127.0.0.1` | address the HTTP server binds |
/// | `HTTP_PORT` | the service's own (8080–8085, sandbox 8090) | its port |
/// | `ADMIN_HOST`, `ADMIN_PORT` | `127.0.0.1`, `HTTP_PORT` + 1000 | `/health`, `/ready`, `/metrics`: for probes and monitoring only |
/// | `POSTGRES_HOST`, `POSTGRES_PORT` | `127.0.0.1`, `25432` | the database server |
/// | `AVTAL_ENVIRONMENT` | production | `local` lets the demo defaults below stand in (``LocalMode``) |
/// | `POSTGRES_USER`, `POSTGRES_PASSWORD` | local only: `postgres`, empty | login (the password is a secret, never logged) |
/// | `POSTGRES_MIGRATION_USER`, `POSTGRES_MIGRATION_PASSWORD` | none: its own login | the owner role that runs migrations |
/// | `POSTGRES_DATABASE` | `avtalsflode` | the database |
/// | `AMQP_URLS` | local only: `amqp://guest:guest@127.0.0.1:25672` | comma-separated broker nodes, tried in turn |
/// | `AMQP_EXCHANGE` | `avtal.events` | the topic exchange of domain events |
/// | `AMQP_QUEUE_PREFIX` | empty | put before every queue name (isolates test runs) |
/// | `RETRY_DELAYS_MS` | `1000,10000,60000` | the delay tiers of a failed message, in milliseconds |
/// | `LOG_LEVEL` | `info` | `trace` … `critical` |
/// | `POSTGRES_KEEPALIVE_SECONDS` | `0`: none | a keep-alive query on connections idle this long (``keepAlive(_:)``) |
/// | `AVTAL_MIGRATIONS` | `atStart` | ``MigrationMode``: at start, `only` (then exit), or `skip` |
/// | `CONSUMER_CONCURRENCY` | the service's own (1; webbavtal 8; kontroll, signering 16) | messages handled at once (one contract's events always one at a time, in order) |
public struct ServiceConfiguration: Sendable {
    public var httpHost: String
    public var httpPort: Int
    public var adminHost: String
    public var adminPort: Int
    public var postgres: PostgresClient.Configuration
    /// The outbox relay's own connections (``relayPool(_:)``).
    public var relayPostgres: PostgresClient.Configuration
    /// The owner role's login, for migrations (`POSTGRES_MIGRATION_USER`, `POSTGRES_MIGRATION_PASSWORD`); nil: the
    /// service migrates with its own login (locally, the superuser).
    public var migrationPostgres: PostgresClient.Configuration?
    /// When the migrations run (`AVTAL_MIGRATIONS`).
    public var migrations: MigrationMode
    public var broker: ConnectionOptions
    public var exchange: String
    public var queuePrefix: String
    public var retry: RetryPolicy
    public var logLevel: Logger.Level

    /// A configuration problem: the service refuses to start and says which key is wrong.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Reads every key; the demo defaults (`guest:guest`, the superuser without a password) only in local mode.
    public init(reader: ConfigReader, defaultHTTPPort: Int, mode: LocalMode) throws(Invalid) {
        httpHost = reader.string(forKey: "http.host", default: "127.0.0.1")
        httpPort = reader.int(forKey: "http.port", default: defaultHTTPPort)
        guard (1...65535).contains(httpPort) else { throw Invalid(description: "HTTP_PORT must be a port number") }
        adminHost = reader.string(forKey: "admin.host", default: "127.0.0.1")
        adminPort = reader.int(forKey: "admin.port", default: httpPort + 1000)
        guard (1...65535).contains(adminPort), adminPort != httpPort else {
            throw Invalid(description: "ADMIN_PORT must be a port number other than HTTP_PORT")
        }
        var postgres = PostgresClient.Configuration(
            host: reader.string(forKey: "postgres.host", default: "127.0.0.1"),
            port: reader.int(forKey: "postgres.port", default: 25432),
            username: mode.string("postgres.user", local: "postgres"),
            password: mode.string("postgres.password", local: "", isSecret: true),
            database: reader.string(forKey: "postgres.database", default: "avtalsflode"),
            tls: .disable
        )
        postgres.options.connectTimeout = .seconds(5)
        postgres.options.keepAliveBehavior = try Self.keepAlive(reader)
        self.postgres = postgres
        relayPostgres = Self.relayPool(postgres)
        if let owner = reader.string(forKey: "postgres.migration.user") {
            var migration = postgres
            migration.username = owner
            migration.password = reader.string(forKey: "postgres.migration.password", isSecret: true)
            migrationPostgres = migration
        }
        let migrations = reader.string(forKey: "avtal.migrations", default: MigrationMode.atStart.rawValue)
        guard let migrationMode = MigrationMode(rawValue: migrations) else {
            throw Invalid(description: "AVTAL_MIGRATIONS must be one of \(MigrationMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.migrations = migrationMode
        let urls = mode.string("amqp.urls", local: "amqp://guest:guest@127.0.0.1:25672", isSecret: true)
        guard let addresses = BrokerAddress.list(urls) else {
            throw Invalid(description: "AMQP_URLS must be a comma-separated list of amqp://user:password@host:port/vhost URLs")
        }
        broker = ConnectionOptions(addresses: addresses)
        if !mode.isLocal {
            if postgres.username == "postgres" { mode.note("POSTGRES_USER must be the service's own role, not the superuser") }
            if addresses.contains(where: { $0.user == "guest" }) { mode.note("AMQP_URLS must not log in as guest") }
        }
        exchange = reader.string(forKey: "amqp.exchange", default: "avtal.events")
        queuePrefix = reader.string(forKey: "amqp.queue.prefix", default: "")
        let delays = reader.string(forKey: "retry.delays.ms", default: "1000,10000,60000").split(separator: ",")
        let milliseconds = delays.compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !milliseconds.isEmpty, milliseconds.count == delays.count, milliseconds.allSatisfy({ $0 > 0 }) else {
            throw Invalid(description: "RETRY_DELAYS_MS must be a comma-separated list of positive milliseconds")
        }
        retry = RetryPolicy(delays: milliseconds.map { .milliseconds($0) })
        logLevel = try Self.logLevel(reader)
    }

    /// `LOG_LEVEL`, read first of all: the logger is set up before the rest is read.
    public static func logLevel(_ reader: ConfigReader) throws(Invalid) -> Logger.Level {
        let level = reader.string(forKey: "log.level", default: "info")
        guard let logLevel = Logger.Level(rawValue: level) else {
            throw Invalid(description: "LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return logLevel
    }

}

extension ServiceConfiguration {
    /// The outbox relay's connections: the service's own, at most three (a round, the `LISTEN`, the age
    /// measurement), whose commits do not wait for the WAL to reach the disk (`synchronous_commit = off`). All the
    /// relay writes is a row's mark — published, or postponed — and a mark lost to a crash of the database only
    /// means the row is published again, which every consumer's inbox already deduplicates (at least once). The
    /// events themselves, and every other write of a service, are committed durably as before. Without the wait,
    /// PostgreSQL flushes the marks with whatever commits next instead of once per round (issue 19: half of a
    /// contract's WAL flushes were relay rounds).
    ///
    /// Nor do they scan a table from end to end (`enable_seqscan = off`): every statement of the relay has an index of
    /// its own (the due rows `outbox_due`, a mark or a postponement the primary key), but PostgreSQL plans a prepared
    /// statement for good on a connection's sixth run, from the statistics of that moment — those of a young outbox,
    /// whose page or two a sequential scan reads cheapest — and keeps that plan as the table grows to a week of rows
    /// until the next `ANALYZE`. Seen in `make load`: every round's mark read the whole outbox, 15 % of PostgreSQL's CPU
    /// (`OutboxIntegrationTests.relayRoundsUseIndexes`).
    static func relayPool(_ postgres: PostgresClient.Configuration) -> PostgresClient.Configuration {
        var relay = postgres
        relay.options.maximumConnections = 3
        relay.options.minimumConnections = 0
        relay.options.additionalStartupParameters.append(("synchronous_commit", "off"))
        relay.options.additionalStartupParameters.append(("enable_seqscan", "off"))
        return relay
    }
}

extension ServiceConfiguration {
    /// `POSTGRES_KEEPALIVE_SECONDS`: PostgresNIO's keep-alive query (`SELECT 1`) on a connection idle that long; none
    /// by default (issue 19).
    ///
    /// The pool starts a timer for it every time a connection goes back to it — three tasks and a sleep — and cancels
    /// it when the connection is leased again: once per statement or transaction, for a query that would run only
    /// after 30 s idle. The pool keeps no standing connections (its minimum is 0: PostgresNIO 1.33's pool stops
    /// the process on a precondition when it has a minimum and the database restarts, docs/PERFORMANCE.md), so an
    /// idle connection is closed after 60 s anyway: the query would only ever run in its last 30.
    static func keepAlive(_ reader: ConfigReader) throws(Invalid) -> PostgresClient.Configuration.Options.KeepAliveBehavior? {
        let seconds = reader.int(forKey: "postgres.keepalive.seconds", default: 0)
        guard seconds >= 0 else { throw Invalid(description: "POSTGRES_KEEPALIVE_SECONDS must be 0 (none) or more") }
        return seconds == 0 ? nil : .init(frequency: .seconds(seconds))
    }
}
