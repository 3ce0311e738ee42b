public import Foundation

/// What a business seller negotiated in FOA for a special contract, besides the facilities: the contract period,
/// the price (for all facilities, unless a facility has its own), the customer's contact persons, and notes for MKA.
public struct SpecialTerms: Codable, Sendable, Equatable {
    public var contractMonths: Int?
    /// Öre per kWh, for every facility without a price of its own.
    public var priceOrePerKwh: Decimal?
    public var contacts: [ContactPerson]
    public var notes: String?

    public init(contractMonths: Int? = nil, priceOrePerKwh: Decimal? = nil, contacts: [ContactPerson] = [], notes: String? = nil) {
        self.contractMonths = contractMonths
        self.priceOrePerKwh = priceOrePerKwh
        self.contacts = contacts
        self.notes = notes
    }
}

/// Someone at the customer to talk to about the contract.
public struct ContactPerson: Codable, Sendable, Equatable {
    public var name: String
    public var email: String?
    /// E.164.
    public var phone: String?

    public init(name: String, email: String? = nil, phone: String? = nil) {
        self.name = name
        self.email = email
        self.phone = phone
    }
}
