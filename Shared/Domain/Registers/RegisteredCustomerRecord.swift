/// A customer as the customer register (Xellent) knows them. kontroll compares it with the contract and passes it on in
/// its findings, so that the contract's page can show both side by side.
public struct RegisteredCustomerRecord: Codable, Sendable, Equatable {
    public var customerNumber: String
    /// `private` or `business`.
    public var type: String
    public var isSoleProprietorship: Bool
    public var name: String
    /// The customer's registered (billing) address.
    public var address: Address?

    public init(customerNumber: String, type: String, isSoleProprietorship: Bool, name: String, address: Address? = nil) {
        self.customerNumber = customerNumber
        self.type = type
        self.isSoleProprietorship = isSoleProprietorship
        self.name = name
        self.address = address
    }
}
