/// The seed's credit-check rule, as a pure decision:
///
/// > An existing customer gets no credit check, unless the customer is a business customer that is a sole
/// > proprietorship and this is a private contract, or the other way round — then a credit check is made. A new
/// > customer always gets a credit check.
///
/// A sole proprietorship (enskild firma) has no organisationsnummer: it uses its owner's personnummer, so a lookup by
/// personnummer can find the same person registered privately or as a sole proprietorship. The table with the
/// reasoning is in `docs/credit-rule.md`.
public enum CreditCheckRule {
    public enum Reason: String, Sendable, CaseIterable, Codable {
        /// Not in the customer register: always checked.
        case newCustomer
        /// In the register in the same capacity as this contract: not checked.
        case existingCustomer
        /// Registered as a sole proprietorship, now signing a private contract: checked.
        case privateContractForSoleProprietor
        /// Registered privately, now signing a business contract for their sole proprietorship: checked.
        case soleProprietorshipContractForPrivateCustomer
        /// MKA resubmitted the contract and ordered a new check: checked, whatever the register says.
        case orderedByMKA
    }

    public enum Decision: Sendable, Equatable {
        case required(Reason)
        case notRequired(Reason)

        public var isRequired: Bool {
            if case .required = self { return true }
            return false
        }

        public var reason: Reason {
            switch self {
            case .required(let reason), .notRequired(let reason): reason
            }
        }
    }

    /// The customer as the customer register knows them.
    public struct RegisteredCustomer: Sendable, Equatable {
        public var type: CustomerType
        /// A business customer identified by a personnummer.
        public var isSoleProprietorship: Bool

        public init(type: CustomerType, isSoleProprietorship: Bool) {
            self.type = type
            self.isSoleProprietorship = isSoleProprietorship
        }
    }

    /// Whether the contract's customer (`contractCustomer`, as on the contract) gets a credit check, given what the
    /// register holds under the same identity (`registered`, nil for a new customer). MKA's order of a new check
    /// (`orderedByMKA`) makes one in any case.
    public static func decide(contractCustomer: Customer, registered: RegisteredCustomer?, orderedByMKA: Bool = false) -> Decision {
        if orderedByMKA { return .required(.orderedByMKA) }
        guard let registered else { return .required(.newCustomer) }
        switch contractCustomer.type {
        case .private where registered.type == .business && registered.isSoleProprietorship:
            return .required(.privateContractForSoleProprietor)
        case .business where contractCustomer.isSoleProprietorship && registered.type == .private:
            return .required(.soleProprietorshipContractForPrivateCustomer)
        default:
            return .notRequired(.existingCustomer)
        }
    }
}
