import AvtalPersistence
import AvtalRuntime
import Configuration
import Hummingbird
import HummingbirdTesting
import Prometheus

/// A service's HTTP routes run in the test process from its own ``ServiceDefinition`` (the same router
/// `ServiceRunner` serves), driven by HummingbirdTesting's router framework: no socket, no process, no broker — only
/// its database connections run. For the edges of the pages and the partner API; what only a process proves
/// (signals, crashes, ports, slow clients) stays with ``ServiceProcess``.
enum InProcessRoutes {
    static func test<Value: Sendable>(
        _ definition: ServiceDefinition, database: String, settings: [String: ConfigValue] = [:],
        _ body: @escaping @Sendable (any TestClientProtocol, CapturedLog) async throws -> Value
    ) async throws -> Value {
        let base: [AbsoluteConfigKey: ConfigValue] = [
            "postgres.port": .init(.int(TestEnvironment.postgresPort), isSecret: false),
            "postgres.database": .init(.string(database), isSecret: false),
            "avtal.environment": "local",
            "amqp.urls": .init(.string("amqp://guest:guest@127.0.0.1:\(TestEnvironment.amqpPort)"), isSecret: false),
        ]
        let values = TestConfiguration.entries(settings, over: base)
        let log = CapturedLog()
        // Debug: the tests that look for personal data in the log see everything the service says.
        let logger = log.logger(label: definition.name)
        let assembly = try ServiceAssembly(
            definition, reader: ConfigReader(provider: InMemoryProvider(values: values)), logger: logger, registry: PrometheusCollectorRegistry())
        let postgres = assembly.context.postgres
        let app = Application(router: assembly.router, services: [postgres], logger: logger)
        return try await app.test(.router) { client in
            for schema in definition.alsoMigrates + [definition.schema] {
                try await MigrationRunner.migrate(schema, client: postgres, logger: TestEnvironment.logger)
            }
            return try await body(client, log)
        }
    }
}
