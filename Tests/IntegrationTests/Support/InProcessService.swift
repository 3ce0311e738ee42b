import AvtalRuntime
import Configuration
import Foundation
import Logging
import Prometheus
import ServiceLifecycle

/// One of our services running inside the test process from its own ``ServiceDefinition`` — the same wiring
/// `ServiceRunner` gives the executable — against the test stack, on a database and an exchange of the test's own.
final class InProcessService {
    let assembly: ServiceAssembly
    private let group: ServiceGroup
    private let running: Task<Void, any Error>

    /// Starts `definition` with the test stack's addresses and `settings` (configuration keys such as
    /// `postgres.database`), and waits until it has migrated and, if it consumes, is consuming.
    init(_ definition: ServiceDefinition, settings: [String: ConfigValue]) async throws {
        let base: [AbsoluteConfigKey: ConfigValue] = [
            "http.port": .init(.int(try freePort()), isSecret: false),
            "admin.port": .init(.int(try freePort()), isSecret: false),
            "postgres.port": .init(.int(TestEnvironment.postgresPort), isSecret: false),
            "amqp.urls": .init(.string("amqp://guest:guest@127.0.0.1:\(TestEnvironment.amqpPort)"), isSecret: false),
            "log.level": "critical",
            "avtal.environment": "local",
        ]
        let values = TestConfiguration.entries(settings, over: base)
        let reader = ConfigReader(provider: InMemoryProvider(values: values))
        assembly = try ServiceAssembly(definition, reader: reader, logger: TestEnvironment.logger, registry: PrometheusCollectorRegistry())
        group = ServiceGroup(configuration: ServiceGroupConfiguration(services: assembly.services, logger: TestEnvironment.logger))
        running = Task { [group] in try await group.run() }
        let assembly = assembly
        // Alone it starts in about a second; a full parallel run on a slow day (2026-12-01) took more than 30 s.
        guard await eventually(timeout: .seconds(90), { assembly.isRunning }) else {
            await stop()
            throw SetupError("\(definition.name) did not start in-process within 90 s")
        }
    }

    var context: ServiceContext { assembly.context }

    /// Stops it as a signal would: in reverse order, each member finishing what it has in hand.
    func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await running.value
    }
}
