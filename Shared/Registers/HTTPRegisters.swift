public import AvtalDomain
public import AvtalThirdParty

/// The customer and facility registers over HTTP at `baseURL` (`REGISTER_URL`; the sandbox locally and in tests).
public struct HTTPRegisters: CustomerRegister, FacilityRegister {
    private let http: JSONHTTPClient

    public init(baseURL: String, timeout: Duration = .seconds(5), attempts: Int = 3) {
        http = JSONHTTPClient(system: "customer register", baseURL: baseURL, timeout: timeout, attempts: attempts)
    }

    public func customer(identity: String) async throws(ThirdPartyError) -> RegisteredCustomerRecord? {
        try await http.lookup(
            "/register/customers/lookup", operation: "customer lookup", body: CustomerLookup(identity: identity), as: RegisteredCustomerRecord.self)
    }

    public func facility(meteringPointId: String) async throws(ThirdPartyError) -> FacilityRecord? {
        try await http.get("/register/facilities/\(meteringPointId)", operation: "facility lookup", as: FacilityRecord.self)
    }
}

/// The customer register's look-up: the identity in the body, never in the URL.
public struct CustomerLookup: Codable, Sendable, Equatable {
    public var identity: String

    public init(identity: String) {
        self.identity = identity
    }
}
