/// A credit check to make: who (a 12-digit personnummer or an organisationsnummer) under which reference.
public struct CreditCheckRequest: Codable, Sendable, Equatable {
    public var reference: String
    public var subject: String

    public init(reference: String, subject: String) {
        self.reference = reference
        self.subject = subject
    }
}
