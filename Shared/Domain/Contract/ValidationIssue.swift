/// One thing wrong with submitted data: the field (a JSON path such as `customer.personalIdentityNumber` or
/// `facilities[1].meteringPointId`), a stable code, and a sentence for a person. Never the value itself.
public struct ValidationIssue: Sendable, Equatable, Codable, CustomStringConvertible {
    public var field: String
    public var code: String
    public var message: String

    public init(field: String, code: String, message: String) {
        self.field = field
        self.code = code
        self.message = message
    }

    public var description: String { "\(field): \(code) (\(message))" }
}

/// Every issue found in one submission, reported together so the sender can fix all at once.
public struct ValidationFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var issues: [ValidationIssue]

    public init(issues: [ValidationIssue]) {
        self.issues = issues
    }

    public var description: String { issues.map(\.description).joined(separator: "; ") }
}
