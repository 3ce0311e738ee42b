import AvtalDomain
import Foundation

/// Turns a partner's request into the contract's details, checked by the shared ``ContractValidator`` plus the
/// API's own rules (the terms accepted, a known product, a signer for business contracts). Every issue is reported
/// at once, with the request's own field names.
struct ContractRequestMapping {
    let partner: Partner
    let catalogue: ProductCatalogue
    let today: CivilDate

    func details(from request: Components.Schemas.ContractRequest) -> Result<ContractDetails, ValidationFailure> {
        var issues: [ValidationIssue] = []
        if !request.consent.termsAccepted {
            issues.append(ValidationIssue(field: "consent.termsAccepted", code: "must_be_true", message: "the customer must accept the terms"))
        }
        let customer = request.customer
        let isBusiness = customer._type == .business
        let startDate = CivilDate(request.startDate)
        if startDate == nil {
            issues.append(ValidationIssue(field: "startDate", code: "format", message: "must be a date, YYYY-MM-DD"))
        }
        var facilityIssues: [ValidationIssue] = []
        let facilities = request.facilities.enumerated().map { index, facility in
            let kwh = facility.annualConsumptionKwh.flatMap { Int(exactly: $0) }
            if let given = facility.annualConsumptionKwh, kwh == nil || given < 1 {
                facilityIssues.append(
                    ValidationIssue(
                        field: "facilities[\(index)].annualConsumptionKwh", code: "range", message: "must be between 1 and 100 000 000 kWh"))
            }
            return Facility(
                meteringPointId: facility.meteringPointId, priceArea: PriceArea(rawValue: facility.priceArea.rawValue) ?? .se3,
                annualConsumptionKwh: kwh.map { max(1, $0) }, address: facility.address.map(Self.address))
        }
        issues += facilityIssues
        let details = ContractDetails(
            kind: isBusiness ? .business : .private,
            salesChannel: partner.channel,
            customer: Customer(
                type: isBusiness ? .business : .private, personalIdentityNumber: customer.personalIdentityNumber,
                organizationNumber: customer.organizationNumber, firstName: customer.firstName, lastName: customer.lastName,
                companyName: customer.companyName, email: customer.email, phone: customer.phone, address: Self.address(customer.address)),
            signer: request.signer.map {
                Signer(firstName: $0.firstName, lastName: $0.lastName, email: $0.email, mobile: $0.mobile)
            },
            facilities: facilities,
            productCode: request.product.code,
            startDate: startDate ?? today.adding(days: ContractValidator.switchNoticeDays),
            moveIn: request.moveIn ?? false,
            partner: PartnerReference(partnerId: partner.id, externalReference: request.externalReference)
        )
        switch IntakeRules.validated(details, catalogue: catalogue, today: today) {
        case .success(let valid):
            return issues.isEmpty ? .success(valid) : .failure(ValidationFailure(issues: issues))
        case .failure(let failure):
            let known = Set(issues.map(\.field))
            let mapped = failure.issues.compactMap(Self.apiIssue).filter { !known.contains($0.field) }
            return .failure(ValidationFailure(issues: issues + mapped))
        }
    }

    /// The validator's issue with the API's field name; nil for fields the API sets itself.
    static func apiIssue(_ issue: ValidationIssue) -> ValidationIssue? {
        var issue = issue
        switch issue.field {
        case "partner.externalReference": issue.field = "externalReference"
        case "productCode": issue.field = "product.code"
        case "partner", "partner.partnerId", "salesChannel", "callDirection", "signatureMethod", "foaId": return nil
        default: break
        }
        return issue
    }

    static func address(_ address: Components.Schemas.Address) -> Address {
        Address(street: address.street, postalCode: address.postalCode, city: address.city)
    }
}
