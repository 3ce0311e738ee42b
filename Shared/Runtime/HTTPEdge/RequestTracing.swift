public import Hummingbird
import Tracing

/// A server span for each request a service answers: named by its method and route template (`POST /v1/contracts`,
/// `GET /contracts/{id}`), with the method, the route and the status — never the path, the query, the client's
/// address or a header, any of which may hold personal data (a personnummer in a search, say).
///
/// Every request starts a trace of its own: a `traceparent` sent to us is not followed, since our edges face partners,
/// browsers and GetAccept, not our own services (which talk over the broker). The span is the current one while the
/// request is handled, so a contract stored by it, and every event that contract causes, belongs to its trace.
/// Added only when tracing is on (``TracingSettings``).
public struct RequestTracing: RouterMiddleware {
    public typealias Context = AvtalRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.uri.path != "/health" else { return try await next(request, context) }
        let method = request.method.rawValue
        let span = startSpan("\(method)", context: .topLevel, ofKind: .server)
        span.attributes["http.request.method"] = method
        do {
            let response = try await InstrumentationContext.$current.withValue(span.context) {
                try await next(request, context)
            }
            finish(span, context: context, method: method, status: Int(response.status.code))
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            finish(span, context: context, method: method, status: Int(status))
            throw error
        }
    }

    private func finish(_ span: any Span, context: Context, method: String, status: Int) {
        let route = context.endpointPath ?? "unmatched"
        span.operationName = "\(method) \(route)"
        span.attributes["http.route"] = route
        span.attributes["http.response.status_code"] = status
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
        span.end()
    }
}
