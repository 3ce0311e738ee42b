import AvtalThirdParty
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Counts and times every call to GetAccept like the other third parties' (``ThirdPartyMetrics``, system `getaccept`;
/// the status read by ``ThirdPartyMetrics/Outcome/init(status:)``, no answer an error).
struct ThirdPartyMetricsMiddleware: ClientMiddleware {
    let system: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let started = ContinuousClock.now
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            ThirdPartyMetrics.record(system: system, outcome: .init(status: response.status.code), since: started)
            return (response, responseBody)
        } catch {
            ThirdPartyMetrics.record(system: system, outcome: .error, since: started)
            throw error
        }
    }
}
