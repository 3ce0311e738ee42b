public import AvtalBackOffice
public import AvtalDomain
import Foundation

/// The FOA form (the blue tool): a special contract as a business seller builds it over days, field by field, named
/// by the same paths as the validation issues. Pure.
///
/// A draft is saved whatever it holds (the seller is not done); what is wrong is shown as it is. Marking it ready
/// ("klarmarkera") needs the shared rules and everything MKA needs (``SpecialContractReadiness``), every missing item
/// listed at once.
public struct FOAForm: Sendable, Equatable {
    /// The FOA id: Lime's deal id for the special contract.
    public static func isValidFOAId(_ id: String) -> Bool {
        (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    public static let fieldNames = [
        "customer.organizationNumber", "customer.personalIdentityNumber", "customer.companyName", "customer.email", "customer.phone",
        "customer.address.street", "customer.address.postalCode", "customer.address.city", "specialTerms.contacts", "facilities",
        "specialTerms.priceOrePerKwh", "specialTerms.contractMonths", "startDate", "specialTerms.notes",
    ]

    public var fields: FormFields

    /// Only the form's own fields, each cut to a sane length.
    public init(_ fields: FormFields) {
        var kept = FormFields()
        for name in Self.fieldNames {
            if let value = fields[name] { kept[name] = String(value.prefix(name == "facilities" ? 100_000 : 4000)) }
        }
        self.fields = kept
    }

    /// The contract the form describes, and what is wrong with it for a draft (the shared rules, and what the form
    /// could not read). `ready`: with everything MKA needs as well.
    public func check(foaId: String, seller: String, today: CivilDate, ready: Bool) -> (details: ContractDetails, issues: [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        let (facilities, problems) = FacilityLines.parse(fields["facilities"] ?? "", withPrice: true)
        issues += problems.map { ValidationIssue(field: "facilities[\($0.line)].\($0.field)", code: $0.code, message: "cannot be read") }
        var price: Decimal?
        if let text = fields.text("specialTerms.priceOrePerKwh") {
            price = Decimal(string: text.replacingOccurrences(of: ",", with: "."), locale: Locale(identifier: "en_US_POSIX"))
            if price == nil { issues.append(ValidationIssue(field: "specialTerms.priceOrePerKwh", code: "format", message: "a number, öre/kWh")) }
        }
        var months: Int?
        if let text = fields.text("specialTerms.contractMonths") {
            months = Int(text)
            if months == nil { issues.append(ValidationIssue(field: "specialTerms.contractMonths", code: "format", message: "a whole number")) }
        }
        let startDate = fields.text("startDate").flatMap(CivilDate.init)
        if startDate == nil {
            issues.append(
                ValidationIssue(field: "startDate", code: fields.text("startDate") == nil ? "required" : "format", message: "YYYY-MM-DD"))
        }
        let details = ContractDetails(
            kind: .special, salesChannel: .foa,
            customer: Customer(
                type: .business, personalIdentityNumber: fields.text("customer.personalIdentityNumber"),
                organizationNumber: fields.text("customer.organizationNumber"), companyName: fields.text("customer.companyName"),
                email: fields.text("customer.email"), phone: fields.text("customer.phone"),
                address: Address(
                    street: fields.text("customer.address.street") ?? "", postalCode: fields.text("customer.address.postalCode") ?? "",
                    city: fields.text("customer.address.city") ?? "")),
            facilities: facilities, productCode: "SPECIAL", startDate: startDate ?? today.adding(days: ContractValidator.switchNoticeDays),
            foaId: foaId, sellerId: seller,
            specialTerms: SpecialTerms(
                contractMonths: months, priceOrePerKwh: price, contacts: ContactLines.parse(fields["specialTerms.contacts"] ?? ""),
                notes: fields.text("specialTerms.notes")))
        var checked = details
        let known = Set(issues.map(\.field))
        switch ContractValidator(today: today).validated(details) {
        case .success(let valid): checked = valid
        case .failure(let failure): issues += failure.issues.filter { !known.contains($0.field) }
        }
        if ready {
            let listed = Set(issues.map(\.field))
            issues += SpecialContractReadiness.missing(checked).filter { !listed.contains($0.field) }
        }
        return (checked, issues)
    }
}
