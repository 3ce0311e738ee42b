public import AvtalDomain
public import Foundation

/// Valid contracts of every kind, for tests to start from and spoil one field at a time.
public enum Samples {
    /// The fixed "today" of the samples: start dates and ages are relative to it.
    public static let today = CivilDate(year: 2026, month: 11, day: 29)!
    /// Noon UTC on ``today``.
    public static let now = Date(timeIntervalSince1970: TimeInterval(today.dayNumber) * 86_400 + 43_200)

    public static let address = Address(street: "Storgatan 1", postalCode: "111 22", city: "Stockholm")

    /// A GSRN with a valid check digit; `sequence` makes distinct ones.
    public static func meteringPointId(_ sequence: Int) -> String {
        MeteringPointId.completing("735999" + String(String(sequence).reversed()).padding(toLength: 11, withPad: "0", startingAt: 0))!.value
    }

    /// A self-service private contract from a partner site.
    public static func privateContract(facility: Int = 1) -> ContractDetails {
        ContractDetails(
            kind: .private,
            salesChannel: .partner,
            customer: Customer(
                type: .private, personalIdentityNumber: "196408233234", firstName: "Anna", lastName: "Andersson",
                email: "anna@example.se", phone: "+46701234567", address: address
            ),
            facilities: [Facility(meteringPointId: meteringPointId(facility), priceArea: .se3, annualConsumptionKwh: 12_000)],
            productCode: "FIXED-12",
            startDate: today.adding(days: 30),
            partner: PartnerReference(partnerId: "elpriskollen", externalReference: "order-\(facility)")
        )
    }

    /// A business contract sold by telesales calling the customer: it must be signed, here with BankID.
    public static func outboundBusinessContract(facility: Int = 2) -> ContractDetails {
        ContractDetails(
            kind: .business,
            salesChannel: .telesales,
            callDirection: .outbound,
            signatureMethod: .bankId,
            customer: Customer(
                type: .business, organizationNumber: "556016-0680", companyName: "Exempel AB", email: "info@exempel.se", address: address
            ),
            signer: Signer(firstName: "Bo", lastName: "Berg", email: "bo@exempel.se", mobile: "+46701112233", personalIdentityNumber: "198112189876"),
            facilities: [Facility(meteringPointId: meteringPointId(facility), priceArea: .se4, annualConsumptionKwh: 80_000)],
            productCode: "SPOT",
            startDate: today.adding(days: 20)
        )
    }

    /// A special contract built in FOA.
    public static func specialContract(facility: Int = 3) -> ContractDetails {
        ContractDetails(
            kind: .special,
            salesChannel: .foa,
            customer: Customer(
                type: .business, organizationNumber: "556016-0680", companyName: "Exempel AB", email: "info@exempel.se", address: address
            ),
            facilities: [Facility(meteringPointId: meteringPointId(facility), priceArea: .se1, annualConsumptionKwh: 900_000)],
            productCode: "SPECIAL",
            startDate: today.adding(days: 60),
            foaId: "FOA-1001"
        )
    }
}
