import AvtalDomain
import AvtalTestSupport
import Testing

/// The reason codes kontroll derives from the registers' answers, row by row (docs/credit-rule.md, "Other reasons").
@Suite("Register comparison")
struct RegisterComparisonTests {
    static func person(_ name: String, soleProprietorship: Bool = false) -> RegisteredCustomerRecord {
        RegisteredCustomerRecord(
            customerNumber: "K1", type: soleProprietorship ? "business" : "private", isSoleProprietorship: soleProprietorship, name: name)
    }

    @Test(
        "a person conflicts when the register's name lacks the contract's last name",
        arguments: [
            ("Anna Andersson", false),
            ("ANNA ANDERSSON", false),  // case
            ("Anna Maria Andersson", false),  // a middle name
            ("Anna Andersson Konsult", false),  // her sole proprietorship's name
            ("Ánna Andérsson", false),  // accents
            ("Per Persson", true),  // someone else
            ("Anna Anderssonsson", true),  // a whole word, not a prefix
            ("", true),
        ])
    func person(registered: String, conflicts: Bool) {
        let customer = Samples.privateContract().customer  // Anna Andersson
        #expect(RegisterComparison.customerConflicts(customer, registered: Self.person(registered)) == conflicts)
    }

    @Test(
        "a company conflicts when its name differs apart from case, punctuation and company form",
        arguments: [
            ("Exempel AB", false),
            ("exempel aktiebolag", false),
            ("Exempel AB (publ)", false),
            ("Exempel", false),
            ("Exempel Handel AB", true),
            ("Annat AB", true),
        ])
    func company(registered: String, conflicts: Bool) {
        let customer = Samples.outboundBusinessContract().customer  // Exempel AB, 556016-0680
        let record = RegisteredCustomerRecord(customerNumber: "K2", type: "business", isSoleProprietorship: false, name: registered)
        #expect(RegisterComparison.customerConflicts(customer, registered: record) == conflicts)
    }

    @Test("a customer without a name to compare does not conflict")
    func nameless() {
        var customer = Samples.privateContract().customer
        customer.lastName = nil
        #expect(!RegisterComparison.customerConflicts(customer, registered: Self.person("Per Persson")))
    }

    enum Register {
        case missing, sameArea, otherArea, switchFrom(days: Int)
    }

    static let today = Samples.today
    static let facilityId = Samples.meteringPointId(13)

    static func record(_ register: Register) -> FacilityRecord? {
        switch register {
        case .missing: nil
        case .sameArea: FacilityRecord(meteringPointId: facilityId, gridArea: "STH", priceArea: "SE3", currentSupplier: nil)
        case .otherArea: FacilityRecord(meteringPointId: facilityId, gridArea: "MAL", priceArea: "SE4", currentSupplier: nil)
        case .switchFrom(let days):
            FacilityRecord(
                meteringPointId: facilityId, gridArea: "STH", priceArea: "SE3", currentSupplier: "Annat Elbolag AB",
                earliestSwitchDate: today.adding(days: days).description)
        }
    }

    // (has an id, register's answer, start in days, move-in, expected reasons)
    static let facilityRows: [(Bool, Register, Int, Bool, [NeedsMKAReason])] = [
        (true, .sameArea, 30, false, []),
        (false, .sameArea, 30, false, [NeedsMKAReason.facilityIdMissing]),
        (true, .missing, 30, false, [NeedsMKAReason.facilityUnknown]),
        (true, .otherArea, 30, false, [NeedsMKAReason.facilityPriceAreaMismatch]),
        (true, .switchFrom(days: 60), 30, false, [NeedsMKAReason.switchTooEarly]),
        (true, .switchFrom(days: 60), 59, false, [NeedsMKAReason.switchTooEarly]),
        (true, .switchFrom(days: 60), 60, false, []),  // the earliest day itself is fine
        (true, .switchFrom(days: 60), 30, true, []),  // a move-in is not a switch
    ]

    @Test("each facility's reasons", arguments: facilityRows.indices)
    func facility(row: Int) {
        let (hasId, register, startIn, moveIn, expected) = Self.facilityRows[row]
        let facility = Facility(meteringPointId: hasId ? Self.facilityId : nil, priceArea: .se3, annualConsumptionKwh: 12_000)
        let reasons = RegisterComparison.facilityReasons(
            facility, record: Self.record(register), startDate: Self.today.adding(days: startIn), moveIn: moveIn)
        #expect(reasons == expected)
    }

    @Test("every reason code is distinct and dotted")
    func codes() {
        let codes = NeedsMKAReason.allCases.map(\.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.split(separator: ".").count == 2 })
        #expect(NeedsMKAReason(rawValue: "credit.maybe") == nil, "an unknown code never becomes a reason")
    }

    @Test("the same address however it is written; another street, number, postal code or city is not")
    func sameAddress() {
        let base = Address(street: "Storgatan 1", postalCode: "111 22", city: "Stockholm")
        #expect(RegisterComparison.sameAddress(base, Address(street: "STORGATAN  1", postalCode: "11122", city: "stockholm")))
        #expect(
            RegisterComparison.sameAddress(
                Address(street: "Åsvägen 3", postalCode: "123 45", city: "Göteborg"),
                Address(street: "asvagen 3", postalCode: "12345", city: "GOTEBORG")))
        #expect(!RegisterComparison.sameAddress(base, Address(street: "Storgatan 10", postalCode: "111 22", city: "Stockholm")))
        #expect(!RegisterComparison.sameAddress(base, Address(street: "Storgatan 1", postalCode: "111 23", city: "Stockholm")))
        #expect(!RegisterComparison.sameAddress(base, Address(street: "Storgatan 1", postalCode: "111 22", city: "Solna")))
    }
}
