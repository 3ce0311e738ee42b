public import Foundation

/// Everything a contract says, as it is stored and as events carry it (the snapshot): who, where, what, from when,
/// and how it was sold. Values are normalised (12-digit personnummer, E.164 phone numbers, `NNN NN` postal codes);
/// ``ContractValidator`` turns submitted details into such values or says precisely what is wrong.
public struct ContractDetails: Codable, Sendable, Equatable {
    public var kind: ContractKind
    public var salesChannel: SalesChannel
    /// For phone sales: who called whom. Only an outbound call (we called) needs the customer's written acceptance.
    public var callDirection: CallDirection?
    /// How the customer signs, when a signature is needed.
    public var signatureMethod: SignatureMethod?
    public var customer: Customer
    /// The person who signs for a business customer.
    public var signer: Signer?
    /// One or more metering points; a mass contract has many.
    public var facilities: [Facility]
    public var productCode: String
    public var startDate: CivilDate
    /// A move-in may start at once; a supplier switch needs the grid owner told 14 days ahead.
    public var moveIn: Bool
    /// The partner that sent it and the partner's own order reference.
    public var partner: PartnerReference?
    /// The FOA id of a special contract.
    public var foaId: String?
    /// For phone sales: the back-office user who sold it.
    public var sellerId: String?
    /// The customer's (or prospect's) id in Lime, when the sale started from Lime.
    public var limeId: String?
    /// A special contract's negotiated terms.
    public var specialTerms: SpecialTerms?

    public init(
        kind: ContractKind, salesChannel: SalesChannel, callDirection: CallDirection? = nil, signatureMethod: SignatureMethod? = nil,
        customer: Customer, signer: Signer? = nil, facilities: [Facility], productCode: String, startDate: CivilDate, moveIn: Bool = false,
        partner: PartnerReference? = nil, foaId: String? = nil, sellerId: String? = nil, limeId: String? = nil,
        specialTerms: SpecialTerms? = nil
    ) {
        self.kind = kind
        self.salesChannel = salesChannel
        self.callDirection = callDirection
        self.signatureMethod = signatureMethod
        self.customer = customer
        self.signer = signer
        self.facilities = facilities
        self.productCode = productCode
        self.startDate = startDate
        self.moveIn = moveIn
        self.partner = partner
        self.foaId = foaId
        self.sellerId = sellerId
        self.limeId = limeId
        self.specialTerms = specialTerms
    }

    /// True only when we called the customer: since 1 Sep 2018 such a sale is valid only once accepted in writing.
    public var requiresSignature: Bool { callDirection == .outbound }
}

/// Who started a phone call that sold a contract.
public enum CallDirection: String, Codable, Sendable, CaseIterable {
    /// We (telesales, customer service) called the customer.
    case outbound
    /// The customer called us.
    case inbound
}

/// How the customer signs through GetAccept.
public enum SignatureMethod: String, Codable, Sendable, CaseIterable {
    case bankId
    case email
    case sms
}

public enum CustomerType: String, Codable, Sendable, CaseIterable {
    case `private`
    case business
}

public struct Customer: Codable, Sendable, Equatable {
    public var type: CustomerType
    /// 12 digits; a private customer's, or a sole proprietor's (enskild firma).
    public var personalIdentityNumber: String?
    /// `NNNNNN-NNNN`; a business customer's unless it is a sole proprietorship.
    public var organizationNumber: String?
    public var firstName: String?
    public var lastName: String?
    public var companyName: String?
    public var email: String?
    /// E.164.
    public var phone: String?
    public var address: Address

    public init(
        type: CustomerType, personalIdentityNumber: String? = nil, organizationNumber: String? = nil, firstName: String? = nil,
        lastName: String? = nil, companyName: String? = nil, email: String? = nil, phone: String? = nil, address: Address
    ) {
        self.type = type
        self.personalIdentityNumber = personalIdentityNumber
        self.organizationNumber = organizationNumber
        self.firstName = firstName
        self.lastName = lastName
        self.companyName = companyName
        self.email = email
        self.phone = phone
        self.address = address
    }

    /// A business customer identified by a personnummer: a sole proprietorship.
    public var isSoleProprietorship: Bool { type == .business && organizationNumber == nil && personalIdentityNumber != nil }
}

public struct Address: Codable, Sendable, Equatable {
    public var street: String
    /// `NNN NN`.
    public var postalCode: String
    public var city: String

    public init(street: String, postalCode: String, city: String) {
        self.street = street
        self.postalCode = postalCode
        self.city = city
    }
}

public struct Signer: Codable, Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var email: String?
    /// E.164.
    public var mobile: String?
    /// 12 digits, for BankID.
    public var personalIdentityNumber: String?

    public init(firstName: String, lastName: String, email: String? = nil, mobile: String? = nil, personalIdentityNumber: String? = nil) {
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.mobile = mobile
        self.personalIdentityNumber = personalIdentityNumber
    }
}

public struct Facility: Codable, Sendable, Equatable {
    /// The anläggnings-ID; customers do not always know it, and MKA completes it.
    public var meteringPointId: String?
    public var priceArea: PriceArea
    public var annualConsumptionKwh: Int?
    /// Where the facility is, when not at the customer's address.
    public var address: Address?
    /// A special contract's negotiated price for this facility, öre per kWh.
    public var priceOrePerKwh: Decimal?

    public init(
        meteringPointId: String? = nil, priceArea: PriceArea, annualConsumptionKwh: Int? = nil, address: Address? = nil,
        priceOrePerKwh: Decimal? = nil
    ) {
        self.meteringPointId = meteringPointId
        self.priceArea = priceArea
        self.annualConsumptionKwh = annualConsumptionKwh
        self.address = address
        self.priceOrePerKwh = priceOrePerKwh
    }
}

public struct PartnerReference: Codable, Sendable, Equatable {
    public var partnerId: String
    public var externalReference: String

    public init(partnerId: String, externalReference: String) {
        self.partnerId = partnerId
        self.externalReference = externalReference
    }
}
