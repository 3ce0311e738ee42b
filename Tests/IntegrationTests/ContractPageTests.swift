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

    static func differs(_ cell: Any?) -> Bool? { (cell as? [String: Any])?["differs"] as? Bool }

    @Test("each facility beside its register record: an unknown one, a missing id, another price area and a switch too early are marked")
    func facilitiesBesideTheRegister() {
        var details = Samples.privateContract(facility: 72)
        let id = { Samples.meteringPointId($0) }
        details.facilities = [
            Facility(meteringPointId: id(72), priceArea: .se3),
            Facility(meteringPointId: id(73), priceArea: .se3),
            Facility(meteringPointId: nil, priceArea: .se3),
            Facility(meteringPointId: id(74), priceArea: .se3, address: Address(street: "Sjövägen 12", postalCode: "76010", city: "BERGSHAMRA")),
            Facility(meteringPointId: id(75), priceArea: .se3),
        ]
        let at = { (street: String) in Address(street: street, postalCode: "760 10", city: "Bergshamra") }
        let records = [
            FacilityRecord(meteringPointId: id(72), gridArea: "STH", priceArea: "SE3", currentSupplier: "Annat Elbolag AB", address: Samples.address),
            FacilityRecord(meteringPointId: id(74), gridArea: "STH", priceArea: "SE3", currentSupplier: nil, address: at("Sjövägen 12")),
            FacilityRecord(
                meteringPointId: id(75), gridArea: "MAL", priceArea: "SE4", currentSupplier: nil,
                earliestSwitchDate: details.startDate.adding(days: 1).description, address: Samples.address),
        ]
        let rows = RegisterComparisonView.facilityRows(details, records: records)
        #expect(rows.count == 5)
        #expect(rows.map { $0["status"] as? String } == ["", "finns inte i anläggningsregistret", "anläggnings-ID saknas", "", ""])
        #expect(rows.map { Self.differs($0["id"]) } == [false, true, true, false, false])
        #expect(rows.map { Self.differs($0["registeredPriceArea"]) } == [false, false, false, false, true])
        #expect(rows.map { Self.differs($0["earliestSwitch"]) } == [false, false, false, false, true])
        // The facility's own address, written differently but the same place; the others are at the customer's.
        #expect(rows.map { Self.differs($0["registeredAddress"]) } == [false, false, false, false, false])
        #expect(rows[0]["supplier"] as? String == "Annat Elbolag AB")

        details.moveIn = true
        let moveIn = RegisterComparisonView.facilityRows(details, records: records)
        #expect(Self.differs(moveIn[4]["earliestSwitch"]) == false, "a move-in is not a switch")
        let unchecked = RegisterComparisonView.facilityRows(details, records: nil)
        #expect(unchecked[0]["status"] as? String == "inte kontrollerad än")
        #expect(Self.differs(unchecked[0]["id"]) == false)
    }

    @Test("the customer beside the register's record: another name, type or address is marked; a new customer has no rows")
    func customerBesideTheRegister() {
        let customer = Samples.privateContract().customer
        let same = RegisteredCustomerRecord(
            customerNumber: "K1", type: "private", isSoleProprietorship: false, name: "Anna Maria Andersson", address: Samples.address)
        func marked(_ record: RegisteredCustomerRecord) -> [String] {
            (RegisterComparisonView.customerRows(customer, registered: record) ?? [])
                .filter { Self.differs($0["register"]) == true }.compactMap { $0["label"] as? String }
        }
        #expect(marked(same) == [])
        var other = same
        other.name = "Per Persson"
        other.type = "business"
        other.isSoleProprietorship = true
        other.address = Address(street: "Storgatan 10", postalCode: "111 22", city: "Stockholm")
        #expect(marked(other) == ["Namn", "Kundtyp", "Adress"])
        #expect(RegisterComparisonView.customerRows(customer, registered: nil) == nil)

        let page = ContractPageView.context(
            Self.contract(CheckFindings(existingCustomer: false)), trail: [], viewer: .seller, catalogue: .current, now: Samples.now)
        #expect(page["hasRegisteredCustomer"] as? Bool == false)
        #expect(page["customerStatus"] as? String == "Kunden finns inte i kundregistret (ny kund).")
    }
}
