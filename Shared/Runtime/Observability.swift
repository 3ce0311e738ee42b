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
}
