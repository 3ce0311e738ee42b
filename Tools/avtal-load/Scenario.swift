/// One kind of contract in the load's mix: the path it is submitted by, the sandbox behaviour it meets (chosen by its
/// data, docs/sandbox.md), and the state it should settle in.
enum Scenario: String, CaseIterable, Sendable {
    /// Partner site, a new private customer, the bureau approves.
    case selfServicePrivate
    /// Partner site, a new company (aktiebolag) with its signer, approved.
    case selfServiceBusiness
    /// Partner site, a customer the register already knows, approved.
    case selfServiceExisting
    /// Partner site, the bureau answers slowly (serial 800–849) and approves.
    case selfServiceBureauSlow
    /// Partner site, the bureau denies (serial 990–999): MKA.
    case selfServiceDenied
    /// Partner site, a facility the register does not know (13th digit 9): MKA.
    case selfServiceFacilityUnknown
    /// Partner site, the bureau is unavailable (serial 970–979): retried through the delay tiers, then MKA.
    case selfServiceBureauUnavailable
    /// Internal form, we called a private customer, who signs with BankID.
    case phoneBankId
    /// Internal form, we called, signed by e-mail.
    case phoneEmail
    /// Internal form, we called, signed by SMS.
    case phoneSMS
    /// Internal form, we called a company, its signer signs with BankID.
    case phoneBusiness
    /// Internal form, the customer called us: no signature needed, approved.
    case phoneInbound
    /// Internal form, we called, and the customer declines to sign (last name Nekar): MKA.
    case phoneSigningRefused

    /// Shares of the mix, out of 100: most sales go through, a realistic minority needs a person.
    var weight: Int {
        switch self {
        case .selfServicePrivate: 30
        case .selfServiceBusiness: 6
        case .selfServiceExisting: 4
        case .selfServiceBureauSlow: 4
        case .selfServiceDenied: 5
        case .selfServiceFacilityUnknown: 4
        case .selfServiceBureauUnavailable: 2
        case .phoneBankId: 15
        case .phoneEmail: 6
        case .phoneSMS: 6
        case .phoneBusiness: 6
        case .phoneInbound: 9
        case .phoneSigningRefused: 3
        }
    }

    var path: SubmissionPath {
        switch self {
        case .selfServicePrivate, .selfServiceBusiness, .selfServiceExisting, .selfServiceBureauSlow, .selfServiceDenied,
            .selfServiceFacilityUnknown, .selfServiceBureauUnavailable:
            .partnerAPI
        case .phoneBankId, .phoneEmail, .phoneSMS, .phoneBusiness, .phoneInbound, .phoneSigningRefused: .internalForm
        }
    }

    /// Where the contract should end up once nobody but a person can move it on.
    var expectedState: String {
        switch self {
        case .selfServicePrivate, .selfServiceBusiness, .selfServiceExisting, .selfServiceBureauSlow, .phoneInbound: "approved"
        case .phoneBankId, .phoneEmail, .phoneSMS, .phoneBusiness: "signed"
        case .selfServiceDenied, .selfServiceFacilityUnknown, .selfServiceBureauUnavailable, .phoneSigningRefused: "needsMKA"
        }
    }

    var requiresSignature: Bool {
        switch self {
        case .phoneBankId, .phoneEmail, .phoneSMS, .phoneBusiness, .phoneSigningRefused: true
        default: false
        }
    }

    /// The group whose latencies are reported together.
    var group: LatencyGroup {
        switch self {
        case .selfServicePrivate, .selfServiceBusiness, .selfServiceExisting: .selfServiceApproved
        case .selfServiceBureauSlow: .bureauSlow
        case .phoneBankId, .phoneEmail, .phoneSMS, .phoneBusiness: .phoneSigned
        case .phoneInbound: .phoneApproved
        case .selfServiceDenied, .selfServiceFacilityUnknown, .phoneSigningRefused: .toMKA
        case .selfServiceBureauUnavailable: .toMKAAfterRetries
        }
    }

    /// The scenario of the `sequence`th contract: the weights laid out over 100 slots, visited in a stride that is
    /// coprime to 100, so every second of load carries the whole mix.
    static func of(_ sequence: Int) -> Scenario {
        slots[sequence * 37 % 100]
    }

    private static let slots: [Scenario] = allCases.flatMap { Array(repeating: $0, count: $0.weight) }
}

enum SubmissionPath: String, Sendable {
    case partnerAPI = "partner-api"
    case internalForm = "internal form"
}

/// The latency groups of the report, each from submission to the state its contracts should reach.
enum LatencyGroup: String, CaseIterable, Sendable {
    case selfServiceApproved = "self-service → approved"
    case phoneSigned = "phone-sold → signed"
    case phoneApproved = "phone-sold, customer called → approved"
    case bureauSlow = "self-service, slow bureau → approved"
    case toMKA = "sent to MKA (denied, unknown facility, signing refused)"
    case toMKAAfterRetries = "sent to MKA after the bureau's retries"
}
