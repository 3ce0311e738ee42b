import AvtalDomain
import AvtalTestSupport
import Foundation
import Testing
import Webbavtal

@testable import AvtalContractStore

/// The contract page's view, pure: what MKA sees of kontroll's credit decision, and that a seller sees none of it.
@Suite("The contract page")
struct ContractPageTests {
    static func contract(_ findings: CheckFindings) -> StoredContract {
        StoredContract(
            id: UUID(), details: Samples.privateContract(facility: 71), state: .approved, version: 2, possibleDuplicateOf: [],
            findings: findings, needsMKAReasons: [], needsMKADetail: nil, resubmittedWithCreditCheck: nil, signingDocumentId: nil,
            confirmedAt: Samples.now, createdAt: Samples.now, createdBy: "partner:test", stateChangedAt: Samples.now, creditRound: 1)
    }

    @Test("MKA sees why a credit check was made, its outcome and the e-mail that told the customer; a seller sees nothing of it")
    func creditDecision() {
        let findings = CheckFindings(
            existingCustomer: true, customerNumber: "K960", knownFacilities: ["x"], creditCheckPerformed: true,
            creditRule: .privateContractForSoleProprietor, creditOutcome: "approved", creditNoticeRecipient: "anna@example.se",
            creditNoticeSentAt: Date(timeIntervalSince1970: 1_796_000_000))
        let contract = Self.contract(findings)
        let mka = ContractPageView.context(contract, trail: [], viewer: .mka, catalogue: .current, now: Samples.now)
        let credit = mka["credit"] as? String ?? ""
        #expect(credit.hasPrefix("Kreditupplysning gjord (privatavtal för en kund registrerad som enskild firma): godkänd"), "\(credit)")
        #expect(credit.contains("besked skickat till anna@example.se 2026-"), "\(credit)")
        let seller = ContractPageView.context(contract, trail: [], viewer: .seller, catalogue: .current, now: Samples.now)
        #expect(seller["credit"] as? String == "")
        #expect(!(seller["findings"] as? String ?? "").contains("kredit"), "\(seller["findings"] ?? "")")

        var exempt = findings
        exempt.creditCheckPerformed = false
        exempt.creditRule = .existingCustomer
        exempt.creditOutcome = nil
        let none = ContractPageView.context(Self.contract(exempt), trail: [], viewer: .mka, catalogue: .current, now: Samples.now)
        #expect(none["credit"] as? String == "Ingen kreditupplysning (befintlig kund i samma roll)")
    }
}
