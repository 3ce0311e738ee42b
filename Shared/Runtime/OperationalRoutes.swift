public import Hummingbird
import NIOCore
public import Prometheus

/// The endpoints every process serves for operations:
///
/// - `GET /health` — 200 while the process runs;
/// - `GET /ready` — 200 `{"status":"ready"}` when every ``ReadinessCheck`` passes, else 503
///   `{"status":"unavailable","failing":["broker"]}`;
/// - `GET /metrics` — Prometheus text format, including every route's request counts and durations.
public enum OperationalRoutes {
    public static func add(
        to router: Router<some RequestContext>,
        service: String,
        checks: [ReadinessCheck],
        registry: PrometheusCollectorRegistry
    ) {
        router.add(middleware: MetricsMiddleware())
        router.get("health") { _, _ in
            json(.ok, #"{"service":"\#(service)","status":"alive"}"#)
        }
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

    private static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
