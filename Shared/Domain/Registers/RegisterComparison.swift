import Foundation

/// Pure comparisons of a contract with what the registers say, each answering with the reason codes it finds.
public enum RegisterComparison {
    /// Whether the contract's customer conflicts with the register's record of the same identity.
    ///
    /// A person (a private contract, or a sole proprietor giving a personnummer and a name) conflicts when the
    /// register's name does not contain the contract's last name as a word. A company conflicts when its name differs
    /// from the register's once case, accents, punctuation and the company form ("AB", "HB", "KB", "Aktiebolag") are
    /// set aside. A contract without a name to compare does not conflict.
    public static func customerConflicts(_ customer: Customer, registered: RegisteredCustomerRecord) -> Bool {
        let registeredWords = words(registered.name)
        if let lastName = customer.lastName, customer.personalIdentityNumber != nil {
            let wanted = words(lastName)
            return wanted.isEmpty || !containsRun(registeredWords, wanted)
        }
        if let company = customer.companyName, customer.organizationNumber != nil {
            return withoutCompanyForm(words(company)) != withoutCompanyForm(registeredWords)
        }
        return false
    }

    /// The reasons one facility of the contract needs MKA, given the facility register's record (nil: not found).
    public static func facilityReasons(_ facility: Facility, record: FacilityRecord?, startDate: CivilDate, moveIn: Bool) -> [NeedsMKAReason] {
        guard facility.meteringPointId != nil else { return [.facilityIdMissing] }
        guard let record else { return [.facilityUnknown] }
        var reasons: [NeedsMKAReason] = []
        if record.priceArea != facility.priceArea.rawValue { reasons.append(.facilityPriceAreaMismatch) }
        if !moveIn, let earliest = record.earliestSwitchDate.flatMap(CivilDate.init), startDate < earliest {
            reasons.append(.switchTooEarly)
        }
        return reasons
    }

    /// Whether two addresses are the same place: the street and city compared without regard to case, accents,
    /// punctuation or spacing, and the postal code by its digits.
    public static func sameAddress(_ one: Address, _ other: Address) -> Bool {
        words(one.street) == words(other.street) && words(one.city) == words(other.city)
            && one.postalCode.filter(\.isNumber) == other.postalCode.filter(\.isNumber)
    }

    private static let companyForms: Set<String> = ["ab", "aktiebolag", "hb", "handelsbolag", "kb", "kommanditbolag", "publ"]

    private static func words(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map(String.init)
    }

    private static func withoutCompanyForm(_ words: [String]) -> [String] {
        words.filter { !companyForms.contains($0) }
    }

    private static func containsRun(_ haystack: [String], _ needle: [String]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
