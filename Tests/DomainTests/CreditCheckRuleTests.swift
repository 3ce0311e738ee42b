import AvtalDomain
import AvtalTestSupport
import Testing

/// Every row of the table in `docs/credit-rule.md`.
@Suite("Credit-check rule")
struct CreditCheckRuleTests {
    enum ContractCustomer: String, CaseIterable {
        case privatePerson, aktiebolag, soleProprietorship

        var customer: Customer {
            switch self {
            case .privatePerson: Samples.privateContract().customer
            case .aktiebolag: Samples.outboundBusinessContract().customer
            case .soleProprietorship:
                Customer(
                    type: .business, personalIdentityNumber: "198112189876", companyName: "Bos Firma", email: "bo@firma.se", address: Samples.address)
            }
        }
    }

    static let private_ = CreditCheckRule.RegisteredCustomer(type: .private, isSoleProprietorship: false)
    static let soleProprietor = CreditCheckRule.RegisteredCustomer(type: .business, isSoleProprietorship: true)
    static let company = CreditCheckRule.RegisteredCustomer(type: .business, isSoleProprietorship: false)

    @Test(
        "the rule's table",
        arguments: [
            (ContractCustomer.privatePerson, nil, CreditCheckRule.Decision.required(.newCustomer)),
            (.aktiebolag, nil, .required(.newCustomer)),
            (.soleProprietorship, nil, .required(.newCustomer)),
            (.privatePerson, private_, .notRequired(.existingCustomer)),
            (.aktiebolag, company, .notRequired(.existingCustomer)),
            (.soleProprietorship, soleProprietor, .notRequired(.existingCustomer)),
            (.privatePerson, soleProprietor, .required(.privateContractForSoleProprietor)),
            (.soleProprietorship, private_, .required(.soleProprietorshipContractForPrivateCustomer)),
        ] as [(ContractCustomer, CreditCheckRule.RegisteredCustomer?, CreditCheckRule.Decision)]
    )
    func table(contract: ContractCustomer, registered: CreditCheckRule.RegisteredCustomer?, expected: CreditCheckRule.Decision) {
        #expect(CreditCheckRule.decide(contractCustomer: contract.customer, registered: registered) == expected)
    }

    @Test("a new customer is always checked, whoever they are")
    func newAlwaysChecked() {
        for contract in ContractCustomer.allCases {
            #expect(CreditCheckRule.decide(contractCustomer: contract.customer, registered: nil).isRequired)
        }
    }

    @Test("MKA's order makes a check whatever the register holds")
    func orderedByMKA() {
        let customer = Customer(
            type: .private, personalIdentityNumber: "197001019103", firstName: "Anna", lastName: "Andersson", email: "a@example.se",
            address: Address(street: "Storgatan 1", postalCode: "111 22", city: "Stockholm"))
        let registered = CreditCheckRule.RegisteredCustomer(type: .private, isSoleProprietorship: false)
        #expect(CreditCheckRule.decide(contractCustomer: customer, registered: registered) == .notRequired(.existingCustomer))
        #expect(CreditCheckRule.decide(contractCustomer: customer, registered: registered, orderedByMKA: true) == .required(.orderedByMKA))
        #expect(CreditCheckRule.decide(contractCustomer: customer, registered: nil, orderedByMKA: true) == .required(.orderedByMKA))
    }
}
