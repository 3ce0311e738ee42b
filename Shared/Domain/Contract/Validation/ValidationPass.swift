/// One run of ``ContractValidator`` over one contract: the details as given, the details as normalised so far, and
/// every issue found so far. Each section of the rules is a method of its own (`checkCustomer()`, …), in its own file.
struct ValidationPass {
    let details: ContractDetails
    let today: CivilDate
    var result: ContractDetails
    var issues: [ValidationIssue] = []

    init(_ details: ContractDetails, today: CivilDate) {
        self.details = details
        self.today = today
        self.result = details
    }

    var outcome: Result<ContractDetails, ValidationFailure> {
        issues.isEmpty ? .success(result) : .failure(ValidationFailure(issues: issues))
    }

    mutating func issue(_ field: String, _ code: String, _ message: String) {
        issues.append(ValidationIssue(field: field, code: code, message: message))
    }

    /// The parsed value, or nil with the parser's issue recorded.
    mutating func check<T>(_ field: String, _ parsed: Result<T, IdentifierError>) -> T? {
        switch parsed {
        case .success(let value): return value
        case .failure(let error):
            issue(field, error.code.rawValue, error.message)
            return nil
        }
    }

    /// The trimmed value, or nil with an issue when it is missing or longer than `maximum`.
    mutating func required(_ field: String, _ value: String?, maximum: Int = 100) -> String? {
        let trimmed = value?.trimmingSpaces ?? ""
        if trimmed.isEmpty {
            issue(field, "required", "is required")
            return nil
        }
        if trimmed.count > maximum {
            issue(field, "too_long", "must be at most \(maximum) characters")
            return nil
        }
        return trimmed
    }

    /// The address with its postal code normalised; street and city required.
    mutating func address(_ prefix: String, _ value: Address) -> Address {
        var address = value
        address.street = required("\(prefix).street", value.street) ?? value.street
        address.city = required("\(prefix).city", value.city) ?? value.city
        address.postalCode = check("\(prefix).postalCode", PostalCode.parse(value.postalCode))?.value ?? value.postalCode
        return address
    }
}
