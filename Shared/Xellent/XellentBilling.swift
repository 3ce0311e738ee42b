public import AvtalThirdParty

/// Xellent, the billing system, behind our own interface: a special contract becomes an agreement there under our
/// reference (the contract id), created at most once however often it is asked, and Xellent can be asked what it
/// holds under a reference — after a crash, instead of creating again.
public protocol XellentBilling: Sendable {
    /// Creates the agreement; an agreement already under the same reference is answered as it is.
    func create(_ agreement: XellentAgreement) async throws(ThirdPartyError) -> XellentReceipt
    /// The agreement under our `reference`, or nil.
    func agreement(reference: String) async throws(ThirdPartyError) -> XellentReceipt?
}

/// Xellent over HTTP at `baseURL` (the sandbox locally and in tests).
public struct HTTPXellent: XellentBilling {
    private let http: JSONHTTPClient

    public init(baseURL: String, timeout: Duration = .seconds(10), attempts: Int = 3) {
        http = JSONHTTPClient(system: "xellent", baseURL: baseURL, timeout: timeout, attempts: attempts)
    }

    public func create(_ agreement: XellentAgreement) async throws(ThirdPartyError) -> XellentReceipt {
        guard
            let receipt = try await http.post(
                "/xellent/agreements", operation: "create agreement", body: agreement, idempotencyKey: agreement.reference, as: XellentReceipt.self)
        else { throw ThirdPartyError(.invalidResponse, system: "xellent", "no receipt for a created agreement") }
        return receipt
    }

    public func agreement(reference: String) async throws(ThirdPartyError) -> XellentReceipt? {
        try await http.get("/xellent/agreements/\(reference)", operation: "agreement status", as: XellentReceipt.self)
    }
}
