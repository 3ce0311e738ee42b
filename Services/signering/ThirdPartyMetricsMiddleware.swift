import AvtalThirdParty
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Counts and times every call to GetAccept like the other third parties' (``ThirdPartyMetrics``, system `getaccept`):
/// a 2xx or 404 is an answer, another 4xx a refusal, a 5xx, 429 or no answer an error.
struct ThirdPartyMetricsMiddleware: ClientMiddleware {
    let system: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let started = ContinuousClock.now
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            let outcome: ThirdPartyMetrics.Outcome =
                switch response.status.code {
                case 200..<300, 404: .ok
                case 429, 500..<600: .error
                default: .rejected
                }
            ThirdPartyMetrics.record(system: system, outcome: outcome, since: started)
            return (response, responseBody)
        } catch {
            ThirdPartyMetrics.record(system: system, outcome: .error, since: started)
            throw error
        }
    }
}
