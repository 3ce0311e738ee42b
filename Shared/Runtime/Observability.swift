public import Logging
import Metrics
public import Prometheus

/// Process-wide logging and metrics, set up once at start.
public enum Observability {
    /// Logs to standard error at `level`, and collects metrics in the returned Prometheus registry.
    public static func bootstrap(service: String, level: Logger.Level) -> (Logger, PrometheusCollectorRegistry) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        var logger = Logger(label: service)
        logger.logLevel = level
        return (logger, registry)
    }
}
