public import AvtalDomain

/// The internal (green) contract form: what the seller typed, field by field, named by the same paths as the
/// validation issues (`customer.firstName`, `facilities`, …), and the conversion to and from a contract's details.
/// Pure: `today` and the catalogue are given.
public struct ContractForm: Sendable, Equatable {
    /// The text fields, in the order the form shows them; `facilities` is the multi-line facility list.
    public static let textFields = [
        "limeId", "customer.personalIdentityNumber", "customer.organizationNumber", "customer.firstName", "customer.lastName",
        "customer.companyName", "customer.email", "customer.phone", "customer.address.street", "customer.address.postalCode",
        "customer.address.city", "signer.firstName", "signer.lastName", "signer.email", "signer.mobile", "signer.personalIdentityNumber",
        "facilities", "startDate",
    ]
    /// The choices, each with the values it allows.
    public static let choices: [String: [String]] = [
        "kind": [ContractKind.private, .business, .mass].map(\.rawValue),
        "salesChannel": [SalesChannel.telesales, .customerService].map(\.rawValue),
        "callDirection": CallDirection.allCases.map(\.rawValue),
        "signatureMethod": SignatureMethod.allCases.map(\.rawValue),
    ]

    public var fields: FormFields

    public init(_ fields: FormFields = FormFields()) {
        self.fields = fields
    }

    /// A new form: a private telesales contract starting as early as a switch may.
    public static func blank(today: CivilDate) -> ContractForm {
        ContractForm(
            FormFields([
                "kind": ContractKind.private.rawValue, "salesChannel": SalesChannel.telesales.rawValue,
                "startDate": today.adding(days: ContractValidator.switchNoticeDays).description,
            ]))
    }

    /// The form showing a stored contract's details, for MKA to edit.
    public init(_ details: ContractDetails) {
        var fields = FormFields()
        fields["kind"] = details.kind.rawValue
        fields["salesChannel"] = details.salesChannel.rawValue
        fields["callDirection"] = details.callDirection?.rawValue
        fields["signatureMethod"] = details.signatureMethod?.rawValue
        fields["limeId"] = details.limeId
        let customer = details.customer
        fields["customer.personalIdentityNumber"] = customer.personalIdentityNumber
        fields["customer.organizationNumber"] = customer.organizationNumber
        fields["customer.firstName"] = customer.firstName
        fields["customer.lastName"] = customer.lastName
        fields["customer.companyName"] = customer.companyName
        fields["customer.email"] = customer.email
        fields["customer.phone"] = customer.phone
        fields["customer.address.street"] = customer.address.street
        fields["customer.address.postalCode"] = customer.address.postalCode
        fields["customer.address.city"] = customer.address.city
        fields["signer.firstName"] = details.signer?.firstName
        fields["signer.lastName"] = details.signer?.lastName
        fields["signer.email"] = details.signer?.email
        fields["signer.mobile"] = details.signer?.mobile
        fields["signer.personalIdentityNumber"] = details.signer?.personalIdentityNumber
        fields["facilities"] = FacilityLines.format(details.facilities)
        fields["productCode"] = details.productCode
        fields["startDate"] = details.startDate.description
        fields["moveIn"] = details.moveIn ? "on" : nil
        self.fields = fields
    }

    /// The contract the form describes, checked by the same rules as the partner API's (``IntakeRules``), or every
    /// issue at once. `seller` is the logged-in seller; the channel is the form's (telesales or customer service).
    public func details(seller: String, catalogue: ProductCatalogue, today: CivilDate) -> Result<ContractDetails, ValidationFailure> {
        var (details, issues) = read()
        details.sellerId = seller
        return Self.validated(details, formIssues: issues, catalogue: catalogue, today: today)
    }

    /// MKA's edit of `original`: the form's data, but what the contract is and where it came from (kind, channel,
    /// partner, seller, Lime id) stay the original's, and only phone sales keep a call direction and signature type.
    public func edited(_ original: ContractDetails, catalogue: ProductCatalogue, today: CivilDate) -> Result<ContractDetails, ValidationFailure> {
        var (details, issues) = read(kind: original.kind)
        issues.removeAll { $0.field == "salesChannel" || $0.field == "limeId" }
        details.salesChannel = original.salesChannel
        details.partner = original.partner
        details.sellerId = original.sellerId
        details.limeId = original.limeId
        details.foaId = original.foaId
        // A special contract's negotiated terms are FOA's; Gördis edits what billing needs around them.
        details.specialTerms = original.specialTerms
        if original.salesChannel != .telesales && original.salesChannel != .customerService {
            details.callDirection = nil
            details.signatureMethod = nil
            issues.removeAll { $0.field == "callDirection" || $0.field == "signatureMethod" }
        }
        return Self.validated(details, formIssues: issues, catalogue: catalogue, today: today)
    }

    private static func validated(
        _ details: ContractDetails, formIssues issues: [ValidationIssue], catalogue: ProductCatalogue, today: CivilDate
    ) -> Result<ContractDetails, ValidationFailure> {
        switch IntakeRules.validated(details, catalogue: catalogue, today: today) {
        case .success(let valid) where issues.isEmpty:
            return .success(valid)
        case .success:
            return .failure(ValidationFailure(issues: issues))
        case .failure(let failure):
            let known = Set(issues.map(\.field))
            // Without a call direction, whether a signature type belongs is unknown: the direction is the issue.
            let undecided = details.callDirection == nil && (details.salesChannel == .telesales || details.salesChannel == .customerService)
            let shared = failure.issues.filter { !known.contains($0.field) && !(undecided && $0.field == "signatureMethod") }
            return .failure(ValidationFailure(issues: issues + shared))
        }
    }

    /// The form's fields as a contract's details, and what the form itself could not read (a choice that is not one,
    /// a date that is not a date, a facility line without its price area).
    /// `kind`: the contract's kind when it is given (an edit), not the form's choice.
    private func read(kind given: ContractKind? = nil) -> (ContractDetails, [ValidationIssue]) {
        var issues: [ValidationIssue] = []
        func choice<Value: RawRepresentable<String>>(_ name: String, _ type: Value.Type) -> Value? {
            guard let text = fields.text(name) else { return nil }
            guard let value = Value(rawValue: text), Self.choices[name]?.contains(text) ?? true else {
                issues.append(ValidationIssue(field: name, code: "format", message: "is not one of the choices"))
                return nil
            }
            return value
        }
        let kind = given ?? choice("kind", ContractKind.self)
        if kind == nil && fields.text("kind") == nil {
            issues.append(ValidationIssue(field: "kind", code: "required", message: "is required"))
        }
        let channel = choice("salesChannel", SalesChannel.self) ?? .telesales
        let direction = choice("callDirection", CallDirection.self)
        let method = choice("signatureMethod", SignatureMethod.self)
        let startDate = fields.text("startDate").flatMap(CivilDate.init)
        if startDate == nil {
            issues.append(
                ValidationIssue(
                    field: "startDate", code: fields.text("startDate") == nil ? "required" : "format", message: "must be a date, YYYY-MM-DD"))
        }
        let (facilities, problems) = FacilityLines.parse(fields["facilities"] ?? "", withPrice: kind == .special)
        issues += problems.map { ValidationIssue(field: "facilities[\($0.line)].\($0.field)", code: $0.code, message: "cannot be read") }
        let isBusiness = kind.map { $0 != .private } ?? false
        let signerGiven = ["firstName", "lastName", "email", "mobile", "personalIdentityNumber"].contains { fields.text("signer.\($0)") != nil }
        let details = ContractDetails(
            kind: kind ?? .private,
            salesChannel: channel,
            callDirection: direction,
            signatureMethod: method,
            customer: Customer(
                type: isBusiness ? .business : .private,
                personalIdentityNumber: fields.text("customer.personalIdentityNumber"),
                organizationNumber: isBusiness ? fields.text("customer.organizationNumber") : nil,
                firstName: isBusiness ? nil : fields.text("customer.firstName"),
                lastName: isBusiness ? nil : fields.text("customer.lastName"),
                companyName: isBusiness ? fields.text("customer.companyName") : nil,
                email: fields.text("customer.email"),
                phone: fields.text("customer.phone"),
                address: Address(
                    street: fields.text("customer.address.street") ?? "", postalCode: fields.text("customer.address.postalCode") ?? "",
                    city: fields.text("customer.address.city") ?? "")),
            signer: isBusiness && signerGiven
                ? Signer(
                    firstName: fields.text("signer.firstName") ?? "", lastName: fields.text("signer.lastName") ?? "",
                    email: fields.text("signer.email"), mobile: fields.text("signer.mobile"),
                    personalIdentityNumber: fields.text("signer.personalIdentityNumber"))
                : nil,
            facilities: facilities,
            productCode: fields.text("productCode") ?? "",
            startDate: startDate ?? Self.placeholderDate,
            moveIn: fields.isChecked("moveIn"),
            limeId: fields.text("limeId")
        )
        return (details, issues)
    }

    /// Stands in for a start date the form could not read; its issue is already reported.
    private static let placeholderDate = CivilDate(year: 2000, month: 1, day: 1)!
}
