public import Foundation

/// A credit bureau's answer, kept by the bureau under our reference.
public struct CreditReport: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable {
        case approved, denied, referred
    }

    /// Our reference (contract id and credit round): the bureau's idempotency key.
    public var reference: String
    public var outcome: Outcome
    /// The bureau's reason code when not approved.
    public var reasonCode: String?
    public var bureau: String
    public var checkedAt: Date

    public init(reference: String, outcome: Outcome, reasonCode: String?, bureau: String, checkedAt: Date) {
        self.reference = reference
        self.outcome = outcome
        self.reasonCode = reasonCode
        self.bureau = bureau
        self.checkedAt = checkedAt
    }
}
