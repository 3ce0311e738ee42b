public import Foundation

/// What kontroll found about a contract, which webbavtal attaches to it for MKA to see.
public struct CheckFindings: Codable, Sendable, Equatable {
    /// Whether the customer already exists in the customer register, and its number there.
    public var existingCustomer: Bool?
    public var customerNumber: String?
    /// The metering points the register knows.
    public var knownFacilities: [String]?
    /// The customer register's record of the contract's customer, when it has one.
    public var registeredCustomer: RegisteredCustomerRecord?
    /// The facility register's record of each of the contract's facilities it knows, in the contract's order.
    public var facilityRecords: [FacilityRecord]?
    /// Whether a credit report was taken.
    public var creditCheckPerformed: Bool?
    /// Why a credit check was or was not made. For MKA only, never shown to a seller or a partner.
    public var creditRule: CreditCheckRule.Reason?
    /// The report's outcome (`approved`, `denied`, `referred`) when one was taken.
    public var creditOutcome: String?
    /// Who was told that a credit check was made, and when the e-mail went out.
    public var creditNoticeRecipient: String?
    public var creditNoticeSentAt: Date?

    public init(
        existingCustomer: Bool? = nil, customerNumber: String? = nil, knownFacilities: [String]? = nil,
        registeredCustomer: RegisteredCustomerRecord? = nil, facilityRecords: [FacilityRecord]? = nil, creditCheckPerformed: Bool? = nil,
        creditRule: CreditCheckRule.Reason? = nil, creditOutcome: String? = nil, creditNoticeRecipient: String? = nil,
        creditNoticeSentAt: Date? = nil
    ) {
        self.existingCustomer = existingCustomer
        self.customerNumber = customerNumber
        self.knownFacilities = knownFacilities
        self.registeredCustomer = registeredCustomer
        self.facilityRecords = facilityRecords
        self.creditCheckPerformed = creditCheckPerformed
        self.creditRule = creditRule
        self.creditOutcome = creditOutcome
        self.creditNoticeRecipient = creditNoticeRecipient
        self.creditNoticeSentAt = creditNoticeSentAt
    }
}
