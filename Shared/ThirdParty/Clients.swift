/// The customer register (Xellent): who is already our customer, by personnummer (12 digits) or organisationsnummer.
public protocol CustomerRegister: Sendable {
    func customer(identity: String) async throws(ThirdPartyError) -> RegisteredCustomerRecord?
}

/// The facility register: what is known of a metering point.
public protocol FacilityRegister: Sendable {
    func facility(meteringPointId: String) async throws(ThirdPartyError) -> FacilityRecord?
}

/// The credit bureau, behind our own interface: a check is made under our reference, at most once per reference,
/// and the bureau can be asked what happened to a reference (after a crash, instead of checking again).
public protocol CreditBureau: Sendable {
    func check(_ request: CreditCheckRequest) async throws(ThirdPartyError) -> CreditReport
    func report(reference: String) async throws(ThirdPartyError) -> CreditReport?
}

/// The e-mail gateway: one message per reference, however often it is asked to send it.
public protocol MailGateway: Sendable {
    func send(_ mail: OutgoingMail) async throws(ThirdPartyError)
    func wasSent(reference: String) async throws(ThirdPartyError) -> Bool
}

/// All four over HTTP, at `baseURL` (the sandbox locally and in tests).
public struct HTTPThirdParties: CustomerRegister, FacilityRegister, CreditBureau, MailGateway {
    private let register: JSONHTTPClient
    private let bureau: JSONHTTPClient
    private let mail: JSONHTTPClient

    public init(baseURL: String, timeout: Duration = .seconds(5), attempts: Int = 3) {
        register = JSONHTTPClient(system: "customer register", baseURL: baseURL, timeout: timeout, attempts: attempts)
        bureau = JSONHTTPClient(system: "credit bureau", baseURL: baseURL, timeout: timeout, attempts: attempts)
        mail = JSONHTTPClient(system: "mail gateway", baseURL: baseURL, timeout: timeout, attempts: attempts)
    }

    public func customer(identity: String) async throws(ThirdPartyError) -> RegisteredCustomerRecord? {
        try await register.get("/register/customers/\(identity)", as: RegisteredCustomerRecord.self)
    }

    public func facility(meteringPointId: String) async throws(ThirdPartyError) -> FacilityRecord? {
        try await register.get("/register/facilities/\(meteringPointId)", as: FacilityRecord.self)
    }

    public func check(_ request: CreditCheckRequest) async throws(ThirdPartyError) -> CreditReport {
        guard let report = try await bureau.post("/bureau/credit-checks", body: request, idempotencyKey: request.reference, as: CreditReport.self)
        else {
            throw ThirdPartyError(.invalidResponse, system: "credit bureau", "no report for a credit check")
        }
        return report
    }

    public func report(reference: String) async throws(ThirdPartyError) -> CreditReport? {
        try await bureau.get("/bureau/credit-checks/\(reference)", as: CreditReport.self)
    }

    public func send(_ message: OutgoingMail) async throws(ThirdPartyError) {
        _ = try await mail.post("/mail/messages", body: message, idempotencyKey: message.reference, as: MailReceipt.self)
    }

    public func wasSent(reference: String) async throws(ThirdPartyError) -> Bool {
        try await mail.get("/mail/messages/\(reference)", as: MailReceipt.self) != nil
    }
}

/// The mail gateway's receipt for a message.
public struct MailReceipt: Codable, Sendable, Equatable {
    public var reference: String

    public init(reference: String) {
        self.reference = reference
    }
}
