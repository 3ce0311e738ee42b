/// The rules every intake of standard contracts applies on top of ``ContractValidator``: the partner API and the
/// internal form alike. A known product, and a named signer for business customers (only for them). Special
/// contracts have their own negotiated terms and contact persons: these rules are not theirs. Pure.
public enum IntakeRules {
    public static func issues(_ details: ContractDetails, catalogue: ProductCatalogue) -> [ValidationIssue] {
        guard details.kind.isStandard else { return [] }
        var issues: [ValidationIssue] = []
        if catalogue.product(code: details.productCode) == nil {
            issues.append(ValidationIssue(field: "productCode", code: "unknown", message: "not a product on sale"))
        }
        switch (details.customer.type, details.signer) {
        case (.business, nil):
            issues.append(ValidationIssue(field: "signer", code: "required", message: "a business contract names the person who signs"))
        case (.private, _?):
            issues.append(ValidationIssue(field: "signer", code: "not_applicable", message: "a private customer signs for themselves"))
        default:
            break
        }
        return issues
    }

    /// The shared validator and these rules together: the normalised details, or every issue at once. Where a field
    /// has an issue of these rules, the validator's issue for the same field is left out.
    public static func validated(
        _ details: ContractDetails, catalogue: ProductCatalogue, today: CivilDate
    ) -> Result<
        ContractDetails, ValidationFailure
    > {
        let own = issues(details, catalogue: catalogue)
        switch ContractValidator(today: today).validated(details) {
        case .success(let valid):
            return own.isEmpty ? .success(valid) : .failure(ValidationFailure(issues: own))
        case .failure(let failure):
            let fields = Set(own.map(\.field))
            return .failure(ValidationFailure(issues: own + failure.issues.filter { !fields.contains($0.field) }))
        }
    }
}
