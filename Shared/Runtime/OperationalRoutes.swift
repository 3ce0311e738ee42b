public import Hummingbird
import NIOCore
public import Prometheus

/// The endpoints every process serves for operations, on its admin port (`ADMIN_PORT`), which only the cluster's
/// probes and monitoring reach:
///
/// - `GET /health` — 200 while the process runs (also on the service's own port);
/// - `GET /ready` — 200 `{"status":"ready"}` when every ``ReadinessCheck`` passes, else 503
///   `{"status":"unavailable","failing":["broker"]}`; each check reads state, none does work;
/// - `GET /metrics` — Prometheus text format, including every route's request counts and durations.
public enum OperationalRoutes {
    /// The admin port's routes.
    public static func addAdmin(
        to router: Router<some RequestContext>,
        service: String,
        checks: [ReadinessCheck],
        registry: PrometheusCollectorRegistry
    ) {
        addHealth(to: router, service: service)
        router.get("ready") { _, _ in
            let failing = await ReadinessCheck.failing(checks, timeout: .seconds(3))
            guard failing.isEmpty else {
                let names = failing.map { "\"\($0)\"" }.joined(separator: ",")
                return json(.serviceUnavailable, #"{"service":"\#(service)","status":"unavailable","failing":[\#(names)]}"#)
            }
            return json(.ok, #"{"service":"\#(service)","status":"ready"}"#)
        }
        router.get("metrics") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
            )
        }
    }

    /// The service port's: its request metrics, and `/health` for a check that the port answers.
    public static func addService(to router: Router<some RequestContext>, service: String) {
        router.add(middleware: MetricsMiddleware())
        addHealth(to: router, service: service)
    }

    private static func addHealth(to router: Router<some RequestContext>, service: String) {
        router.get("health") { _, _ in
            json(.ok, #"{"service":"\#(service)","status":"alive"}"#)
        }
    }

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
