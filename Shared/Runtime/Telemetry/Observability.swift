import Instrumentation
public import Logging
import Metrics
import OTel
public import Prometheus
public import ServiceLifecycle

/// Process-wide logging, metrics and tracing, set up once at start.
public enum Observability {
    /// Logs to standard error at `level` in `format`, every line with the current span's ids when there is one, and
    /// collects metrics in the returned Prometheus registry.
    public static func bootstrap(service: String, level: Logger.Level, format: LogFormat = .text) -> (Logger, PrometheusCollectorRegistry) {
        let spanIds = OTel.makeLoggingMetadataProvider()
        switch format {
        case .text:
            LoggingSystem.bootstrap(
                { label, provider in
                    var handler = TextLogHandler(label: label, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                }, metadataProvider: spanIds)
        case .json:
            LoggingSystem.bootstrap(
                { _, provider in
                    var handler = JSONLogHandler(service: service, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                }, metadataProvider: spanIds)
        }
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // A lifecycle step takes from milliseconds (a check) to days (a signature, MKA's review).
        factory.durationHistogramBuckets["avtal_lifecycle_step_seconds"] = [
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
            .seconds(60), .seconds(300), .seconds(900), .seconds(3600), .seconds(4 * 3600), .seconds(86_400), .seconds(3 * 86_400),
        ]
        MetricsSystem.bootstrap(factory)
        var logger = Logger(label: service)
        logger.logLevel = level
        return (logger, registry)
    }

    /// With `settings` on: swift-otel's tracer, exporting over OTLP/HTTP as `service`, made the process's instrument;
    /// returns the service that batches and sends the spans (run it first in the group, so it stops last and sends
    /// what is left). Off: nothing — the no-op tracer stays, and every span costs next to nothing.
    public static func tracing(service: String, settings: TracingSettings, logger: Logger) throws -> (any Service)? {
        guard settings.isOn else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = service
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.enabled = true
        configuration.traces.exporter = .otlp
        configuration.propagators = [.traceContext]
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }
}
