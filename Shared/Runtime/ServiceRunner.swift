import AvtalMessaging
import AvtalPersistence
import Configuration
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Starts a service from its ``ServiceDefinition`` and runs it until SIGTERM or SIGINT.
///
/// One `ServiceGroup` runs the members of its ``ServiceAssembly`` in order; on a signal they stop in reverse: the server
/// stops taking requests, the background work and the consumer finish the message in hand and stop, the relay
/// finishes its round, the publisher closes, and the database connections close last.
public enum ServiceRunner {
    public static func run(_ definition: ServiceDefinition) async throws {
        let reader = ConfigReader(provider: EnvironmentVariablesProvider())
        let level: Logger.Level
        let format: LogFormat
        do {
            level = try ServiceConfiguration.logLevel(reader)
            format = try LogFormat.read(reader)
        } catch {
            refuse(definition.name, error)
        }
        let (logger, registry) = Observability.bootstrap(service: definition.name, level: level, format: format)
        OutboxWrites.requireScopes()
        let assembly: ServiceAssembly
        let tracing: (any Service)?
        do {
            assembly = try ServiceAssembly(definition, reader: reader, logger: logger, registry: registry)
            tracing = try Observability.tracing(service: definition.name, settings: TracingSettings(reader: reader), logger: logger)
        } catch {
            refuse(definition.name, error)
        }
        let migrationsOnly = assembly.context.configuration.migrations == .only
        // The span exporter starts first and stops last: what the others recorded while stopping is still sent.
        let exporter = tracing.map { [ServiceGroupConfiguration.ServiceConfiguration(service: $0)] } ?? []
        let watch = StopWatch()
        var groupConfiguration = ServiceGroupConfiguration(
            services: watch.watching(exporter + (migrationsOnly ? assembly.migrationsOnly : assembly.services)),
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        ServiceRunner.boundShutdown(&groupConfiguration)
        let configuration = assembly.context.configuration
        logger.info(
            "starting",
            metadata: [
                "avtal.http": "http://\(configuration.httpHost):\(configuration.httpPort)",
                "avtal.brokers": "\(configuration.broker.addresses)",
            ]
        )
        await runToTheEnd(ServiceGroup(configuration: groupConfiguration), watch: watch, logger: logger)
    }

    /// A configuration the service cannot start with: one line saying why, and EX_CONFIG (sysexits.h), not a crash.
    static func refuse(_ service: String, _ error: any Error) -> Never {
        FileHandle.standardError.write(Data("\(service): invalid configuration: \(error)\n".utf8))
        exit(78)
    }

    /// Runs the group; when it ends on an error (the HTTP port taken, say) the process says why in one log line and
    /// exits with status 1, instead of a crash report. Meanwhile `watch` names the members a stop waits for, if it
    /// takes long (``StopWatch``).
    static func runToTheEnd(_ group: ServiceGroup, watch: StopWatch, logger: Logger) async {
        await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { await watch.report(after: await UnixSignalsSequence(trapping: .sigterm, .sigint), logger: logger) }
            do {
                try await group.run()
                logger.info("stopped")
            } catch {
                logger.critical("stopped on an error", metadata: ["avtal.error": "\(error)"])
                exit(1)
            }
            tasks.cancelAll()
        }
    }

    /// A stop never hangs: graceful shutdown (finishing the message in hand) may take 20 s, then the tasks are
    /// cancelled, and if they still have not ended 10 s later the process ends anyway. Seen once: a signering whose
    /// broker and database were both gone ignored SIGTERM for an hour.
    static func boundShutdown(_ configuration: inout ServiceGroupConfiguration) {
        configuration.maximumGracefulShutdownDuration = .seconds(20)
        configuration.maximumCancellationDuration = .seconds(10)
    }
}
