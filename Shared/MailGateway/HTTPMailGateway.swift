public import AvtalThirdParty

/// The mail gateway over HTTP at `baseURL` (`MAIL_GATEWAY_URL`; the sandbox locally and in tests).
public struct HTTPMailGateway: MailGateway {
    private let http: JSONHTTPClient

    public init(baseURL: String, timeout: Duration = .seconds(5), attempts: Int = 3) {
        http = JSONHTTPClient(system: "mail gateway", baseURL: baseURL, timeout: timeout, attempts: attempts)
    }

    public func send(_ message: OutgoingMail) async throws(ThirdPartyError) {
        _ = try await http.post("/mail/messages", operation: "send mail", body: message, idempotencyKey: message.reference, as: MailReceipt.self)
    }

    public func wasSent(reference: String) async throws(ThirdPartyError) -> Bool {
        try await http.get("/mail/messages/\(reference)", operation: "mail status", as: MailReceipt.self) != nil
    }
}
