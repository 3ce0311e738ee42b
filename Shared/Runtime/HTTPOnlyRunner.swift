import Configuration
import Foundation
public import Hummingbird
public import Logging
import ServiceLifecycle
import UnixSignals

/// Runs a process that only serves HTTP (the sandbox): the operational endpoints plus its own routes, until SIGTERM.
///
/// Reads `HTTP_HOST` (default `127.0.0.1`), `HTTP_PORT` (default `defaultHTTPPort`), `ADMIN_PORT` (default `HTTP_PORT` +
/// 1000, for `/health`, `/ready` and `/metrics`), `LOG_LEVEL` (default `info`) and ``HTTPEdgeConfiguration``'s limits.
public enum HTTPOnlyRunner {
    public static func run(
        name: String,
        defaultHTTPPort: Int,
        routes: @Sendable (Router<AvtalRequestContext>, Logger) throws -> Void
    ) async throws {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider())
        let host = reader.string(forKey: "http.host", default: "127.0.0.1")
        let port = reader.int(forKey: "http.port", default: defaultHTTPPort)
        let level = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
        let format = LogFormat(rawValue: reader.string(forKey: "log.format", default: "text")) ?? .text
        let (logger, registry) = Observability.bootstrap(service: name, level: level, format: format)
        let adminPort = reader.int(forKey: "admin.port", default: port + 1000)
        let edge = HTTPEdgeConfiguration(reader: reader, defaultMaximumBodyBytes: 1024 * 1024)
        let admin = Router(context: AvtalRequestContext.self)
        admin.add(middleware: EdgeMiddleware(maximumBodyBytes: 1024))
        OperationalRoutes.addAdmin(to: admin, service: name, checks: [], registry: registry)
        let router = Router(context: AvtalRequestContext.self)
        router.add(middleware: EdgeMiddleware(maximumBodyBytes: edge.maximumBodyBytes, clientAddressHeader: edge.clientAddressHeader))
        OperationalRoutes.addService(to: router, service: name)
        try routes(router, logger)
        let adminServer = Application(
            router: admin, server: edge.server,
            configuration: edge.application(host: host, port: adminPort, serverName: name + "-admin", logger: logger), logger: logger)
        let app = Application(
            router: router, server: edge.server,
            configuration: edge.application(host: host, port: port, serverName: name, logger: logger), logger: logger)
        logger.info("starting", metadata: ["avtal.http": "http://\(host):\(port)"])
        let watch = StopWatch()
        var groupConfiguration = ServiceGroupConfiguration(
            services: watch.watching([.init(service: adminServer), .init(service: app)]), gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        ServiceRunner.boundShutdown(&groupConfiguration)
        let group = ServiceGroup(
            configuration: groupConfiguration
        )
        await ServiceRunner.runToTheEnd(group, watch: watch, logger: logger)
    }
}
