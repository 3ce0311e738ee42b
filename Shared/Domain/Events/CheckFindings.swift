/// What kontroll found about a contract, which webbavtal attaches to it for MKA to see.
public struct CheckFindings: Codable, Sendable, Equatable {
    /// Whether the customer already exists in the customer register, and its number there.
    public var existingCustomer: Bool?
    public var customerNumber: String?
    /// The metering points the register knows.
    public var knownFacilities: [String]?
    /// Whether a credit report was taken.
    public var creditCheckPerformed: Bool?

    public init(existingCustomer: Bool? = nil, customerNumber: String? = nil, knownFacilities: [String]? = nil, creditCheckPerformed: Bool? = nil) {
        self.existingCustomer = existingCustomer
        self.customerNumber = customerNumber
        self.knownFacilities = knownFacilities
        self.creditCheckPerformed = creditCheckPerformed
    }
}
