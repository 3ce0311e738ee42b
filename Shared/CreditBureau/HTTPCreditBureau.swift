public import AvtalThirdParty

/// The credit bureau over HTTP at `baseURL` (`CREDIT_BUREAU_URL`; the sandbox locally and in tests).
public struct HTTPCreditBureau: CreditBureau {
    private let http: JSONHTTPClient

    public init(baseURL: String, timeout: Duration = .seconds(5), attempts: Int = 3) {
        http = JSONHTTPClient(system: "credit bureau", baseURL: baseURL, timeout: timeout, attempts: attempts)
    }

    public func check(_ request: CreditCheckRequest) async throws(ThirdPartyError) -> CreditReport {
        guard
            let report = try await http.post(
                "/bureau/credit-checks", operation: "credit check", body: request, idempotencyKey: request.reference, as: CreditReport.self)
        else {
            throw ThirdPartyError(.invalidResponse, system: "credit bureau", "no report for a credit check")
        }
        return report
    }

    public func report(reference: String) async throws(ThirdPartyError) -> CreditReport? {
        try await http.get("/bureau/credit-checks/\(reference)", operation: "credit check status", as: CreditReport.self)
    }
}
