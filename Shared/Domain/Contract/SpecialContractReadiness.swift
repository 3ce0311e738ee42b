import Foundation

/// What MKA needs before a special contract may leave FOA ("klarmarkera"), on top of the shared
/// ``ContractValidator``: every facility identified and priced, the contract period, and someone to talk to. Every
/// missing item is listed at once. Pure.
public enum SpecialContractReadiness {
    public static let maximumMonths = 120

    public static func missing(_ details: ContractDetails) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let terms = details.specialTerms ?? SpecialTerms()
        switch terms.contractMonths {
        case nil: issues.append(ValidationIssue(field: "specialTerms.contractMonths", code: "required", message: "the contract period is required"))
        case let months? where !(1...maximumMonths).contains(months):
            issues.append(
                ValidationIssue(field: "specialTerms.contractMonths", code: "range", message: "between 1 and \(maximumMonths) months"))
        default: break
        }
        if terms.contacts.isEmpty {
            issues.append(ValidationIssue(field: "specialTerms.contacts", code: "required", message: "name at least one contact person"))
        }
        for (index, contact) in terms.contacts.enumerated() where contact.email == nil && contact.phone == nil {
            issues.append(
                ValidationIssue(
                    field: "specialTerms.contacts[\(index)]", code: "required", message: "a contact needs an e-mail address or a phone number"))
        }
        if let price = terms.priceOrePerKwh, price <= 0 {
            issues.append(ValidationIssue(field: "specialTerms.priceOrePerKwh", code: "range", message: "a price is above zero"))
        }
        for (index, facility) in details.facilities.enumerated() {
            if facility.meteringPointId == nil {
                issues.append(
                    ValidationIssue(field: "facilities[\(index)].meteringPointId", code: "required", message: "MKA needs every anläggnings-ID"))
            }
            if let price = facility.priceOrePerKwh, price <= 0 {
                issues.append(ValidationIssue(field: "facilities[\(index)].priceOrePerKwh", code: "range", message: "a price is above zero"))
            } else if facility.priceOrePerKwh == nil && terms.priceOrePerKwh == nil {
                issues.append(
                    ValidationIssue(
                        field: "facilities[\(index)].priceOrePerKwh", code: "required", message: "a price for this facility, or one for all"))
            }
        }
        return issues
    }
}
