/// A customer as the customer register (Xellent) knows them.
public struct RegisteredCustomerRecord: Codable, Sendable, Equatable {
    public var customerNumber: String
    /// `private` or `business`.
    public var type: String
    public var isSoleProprietorship: Bool
    public var name: String

    public init(customerNumber: String, type: String, isSoleProprietorship: Bool, name: String) {
        self.customerNumber = customerNumber
        self.type = type
        self.isSoleProprietorship = isSoleProprietorship
        self.name = name
    }
}
