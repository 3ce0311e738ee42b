public import Hummingbird
import Metrics
import Synchronization

/// Load shedding: at most `maximum` requests of a server in progress at once. One more is answered at once with `503`,
/// `Retry-After: 1` and a problem of type `overloaded`, before it does any work — so under overload answers stay fast,
/// a partner's retry logic sees a clear "not now", and nothing is left half done by a client that gave up waiting.
/// `/health` is never shed. Each shed request is counted (`avtal_http_shed_total`).
public struct InFlightLimit: RouterMiddleware {
    public typealias Context = AvtalRequestContext

    private final class Count: Sendable {
        let value = Atomic(0)
    }

    private let maximum: Int
    private let inFlight = Count()
    private let shed: Counter

    public init(maximum: Int, service: String) {
        self.maximum = max(1, maximum)
        shed = Counter(label: "avtal_http_shed_total", dimensions: [("service", service)])
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path != "/health" else { return try await next(request, context) }
        let before = inFlight.value.add(1, ordering: .relaxed).oldValue
        defer { inFlight.value.subtract(1, ordering: .relaxed) }
        guard before < maximum else {
            shed.increment()
            return EdgeProblem.response(
                .serviceUnavailable, type: "overloaded", detail: "more requests in progress than this server takes; retry after 1 s",
                headers: [.retryAfter: "1"])
        }
        return try await next(request, context)
    }
}
