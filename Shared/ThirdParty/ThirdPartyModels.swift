public import Foundation

/// A customer as the customer register (Xellent) knows them.
public struct RegisteredCustomerRecord: Codable, Sendable, Equatable {
    public var customerNumber: String
    /// `private` or `business`.
    public var type: String
    public var isSoleProprietorship: Bool
    public var name: String

    public init(customerNumber: String, type: String, isSoleProprietorship: Bool, name: String) {
        self.customerNumber = customerNumber
        self.type = type
        self.isSoleProprietorship = isSoleProprietorship
        self.name = name
    }
}

/// A metering point as the facility register knows it.
public struct FacilityRecord: Codable, Sendable, Equatable {
    public var meteringPointId: String
    /// The grid area (områdes-ID), three letters.
    public var gridArea: String
    /// `SE1` … `SE4`.
    public var priceArea: String
    public var currentSupplier: String?
    /// `YYYY-MM-DD`: the first day a supplier switch can take effect, when something (a switch already under way, a
    /// binding period the grid owner knows of) rules out earlier days.
    public var earliestSwitchDate: String?

    public init(meteringPointId: String, gridArea: String, priceArea: String, currentSupplier: String?, earliestSwitchDate: String? = nil) {
        self.meteringPointId = meteringPointId
        self.gridArea = gridArea
        self.priceArea = priceArea
        self.currentSupplier = currentSupplier
        self.earliestSwitchDate = earliestSwitchDate
    }
}

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

/// A credit check to make: who (a 12-digit personnummer or an organisationsnummer) under which reference.
public struct CreditCheckRequest: Codable, Sendable, Equatable {
    public var reference: String
    public var subject: String

    public init(reference: String, subject: String) {
        self.reference = reference
        self.subject = subject
    }
}

/// An e-mail to send, under our reference (the gateway's idempotency key).
public struct OutgoingMail: Codable, Sendable, Equatable {
    public var reference: String
    public var to: String
    public var subject: String
    public var text: String

    public init(reference: String, to: String, subject: String, text: String) {
        self.reference = reference
        self.to = to
        self.subject = subject
        self.text = text
    }
}
