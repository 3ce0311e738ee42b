import AvtalThirdParty
import AvtalTracing
import Foundation
import HTTPTypes
import OpenAPIRuntime
import Tracing

/// Counts, times and traces every call to GetAccept like the other third parties' (``ThirdPartyMetrics``, system
/// `getaccept`; the status read by ``ThirdPartyMetrics/Outcome/init(status:)``, no answer an error): a client span
/// named by the operation (`getaccept createDocument`), its `traceparent` on the request; no path, no body.
struct ThirdPartyCallMiddleware: ClientMiddleware {
    let system: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let span = startSpan("\(system) \(operationID)", ofKind: .client)
        span.attributes["avtal.system"] = system
        span.attributes["http.request.method"] = request.method.rawValue
        defer { span.end() }
        var request = request
        if let traceparent = TraceParent.of(span.context), let name = HTTPField.Name(TraceParent.header) {
            request.headerFields[name] = traceparent
        }
        let started = ContinuousClock.now
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            ThirdPartyMetrics.record(system: system, outcome: .init(status: response.status.code), since: started)
            span.attributes["http.response.status_code"] = response.status.code
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
            return (response, responseBody)
        } catch {
            ThirdPartyMetrics.record(system: system, outcome: .error, since: started)
            span.setStatus(SpanStatus(code: .error, message: "no answer (\(type(of: error)))"))
            throw error
        }
    }
}
