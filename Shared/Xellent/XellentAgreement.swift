public import Foundation

/// What we send Xellent for a finished special contract: the customer, the facilities and the terms, under our
/// reference (the contract id).
public struct XellentAgreement: Codable, Sendable, Equatable {
    public struct Customer: Codable, Sendable, Equatable {
        public var organizationNumber: String?
        /// A sole proprietor's personnummer, 12 digits.
        public var personalIdentityNumber: String?
        public var name: String
        public var email: String?
        public var phone: String?
        public var street: String
        public var postalCode: String
        public var city: String

        public init(
            organizationNumber: String?, personalIdentityNumber: String?, name: String, email: String?, phone: String?, street: String,
            postalCode: String, city: String
        ) {
            self.organizationNumber = organizationNumber
            self.personalIdentityNumber = personalIdentityNumber
            self.name = name
            self.email = email
            self.phone = phone
            self.street = street
            self.postalCode = postalCode
            self.city = city
        }
    }

    public struct Installation: Codable, Sendable, Equatable {
        public var meteringPointId: String
        public var priceArea: String
        public var annualConsumptionKwh: Int?
        /// The negotiated price, öre per kWh.
        public var priceOrePerKwh: Decimal?

        public init(meteringPointId: String, priceArea: String, annualConsumptionKwh: Int?, priceOrePerKwh: Decimal?) {
            self.meteringPointId = meteringPointId
            self.priceArea = priceArea
            self.annualConsumptionKwh = annualConsumptionKwh
            self.priceOrePerKwh = priceOrePerKwh
        }
    }

    public var reference: String
    public var foaId: String?
    public var customer: Customer
    public var installations: [Installation]
    public var productCode: String
    /// `YYYY-MM-DD`.
    public var startDate: String
    public var contractMonths: Int?

    public init(
        reference: String, foaId: String?, customer: Customer, installations: [Installation], productCode: String, startDate: String,
        contractMonths: Int?
    ) {
        self.reference = reference
        self.foaId = foaId
        self.customer = customer
        self.installations = installations
        self.productCode = productCode
        self.startDate = startDate
        self.contractMonths = contractMonths
    }
}

/// Xellent's answer: its own id for the agreement created under our reference.
public struct XellentReceipt: Codable, Sendable, Equatable {
    public var reference: String
    public var xellentId: String
    public var createdAt: Date

    public init(reference: String, xellentId: String, createdAt: Date) {
        self.reference = reference
        self.xellentId = xellentId
        self.createdAt = createdAt
    }
}
