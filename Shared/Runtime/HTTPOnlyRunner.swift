import Configuration
import Foundation
public import Hummingbird
public import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a process that only serves HTTP (the sandbox): the operational endpoints plus its own routes, until SIGTERM.
///
/// Reads `HTTP_HOST` (default `127.0.0.1`), `HTTP_PORT` (default `defaultHTTPPort`) and `LOG_LEVEL` (default `info`).
public enum HTTPOnlyRunner {
    public static func run(
        name: String,
        defaultHTTPPort: Int,
        routes: @Sendable (Router<BasicRequestContext>, Logger) throws -> Void
    ) async throws {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider())
        let host = reader.string(forKey: "http.host", default: "127.0.0.1")
        let port = reader.int(forKey: "http.port", default: defaultHTTPPort)
        let level = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
        let (logger, registry) = Observability.bootstrap(service: name, level: level)
        let router = Router()
        OperationalRoutes.add(to: router, service: name, checks: [], registry: registry)
        try routes(router, logger)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(host, port: port), serverName: name),
            logger: logger
        )
        logger.info("starting", metadata: ["avtal.http": "http://\(host):\(port)"])
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ServiceRunner.boundShutdown(&groupConfiguration)
        let group = ServiceGroup(
            configuration: groupConfiguration
        )
        await ServiceRunner.runToTheEnd(group, logger: logger)
    }
}
