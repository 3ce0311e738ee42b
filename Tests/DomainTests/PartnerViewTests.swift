import AvtalDomain
import Foundation
import Testing

/// What a partner may see (docs/partner-api.md, "Statuses"): every internal state has a partner status, no credit
/// reason leaks, and only facility problems become actions.
@Suite("Partner view")
struct PartnerViewTests {
    @Test(
        "each internal state shows as one partner status",
        arguments: [
            (ContractState.stored, PartnerView.Status.received), (.needsMKA, .underReview), (.readyForMKA, .underReview),
            (.approved, .accepted), (.finalized, .accepted), (.exportFailed, .accepted), (.awaitingSignature, .awaitingSignature),
            (.signed, .signed), (.exported, .completed), (.rejected, .rejected), (.cancelled, .cancelled),
        ])
    func status(state: ContractState, expected: PartnerView.Status) {
        #expect(PartnerView.status(of: state) == expected)
    }

    @Test("every state is covered")
    func allStates() {
        #expect(Set(ContractState.allCases.map(PartnerView.status)).count == 8)
    }

    @Test("a transition tells the partner only of a status it can see change")
    func statusChanges() {
        #expect(PartnerStatusChanged.newStatus(from: .stored, to: .needsMKA) == .underReview)
        #expect(PartnerStatusChanged.newStatus(from: .needsMKA, to: .readyForMKA) == nil, "both are under review")
        #expect(PartnerStatusChanged.newStatus(from: .approved, to: .finalized) == nil, "both are accepted")
        #expect(PartnerStatusChanged.newStatus(from: .needsMKA, to: .stored) == .received, "sent back to be checked")
        #expect(PartnerStatusChanged.newStatus(from: .awaitingSignature, to: .signed) == .signed)
        #expect(PartnerStatusChanged.newStatus(from: .signed, to: .cancelled) == .cancelled)
    }

    @Test("the history folds repeated statuses into the first time they were reached")
    func history() {
        let at = { (seconds: Int) in Date(timeIntervalSince1970: TimeInterval(seconds)) }
        let history = PartnerView.history([
            (.stored, at(0)), (.needsMKA, at(10)), (.needsMKA, at(20)), (.approved, at(30)), (.exportFailed, at(40)), (.exported, at(50)),
        ])
        #expect(history.map(\.status) == [.received, .underReview, .accepted, .completed])
        #expect(history.map(\.at) == [at(0), at(10), at(30), at(50)])
    }

    @Test("only facility reasons become actions; credit, duplicate and register reasons stay internal")
    func actions() {
        let facilities = [Facility(meteringPointId: "735999310000000006", priceArea: .se3), Facility(priceArea: .se3)]
        let reasons: [NeedsMKAReason] = [
            .creditDenied, .creditReferred, .creditUnavailable, .customerConflict, .possibleDuplicate, .facilityIdMissing, .facilityUnknown,
            .facilityPriceAreaMismatch, .switchTooEarly,
        ]
        let actions = PartnerView.actions(state: .needsMKA, reasons: reasons, facilities: facilities)
        #expect(actions.map(\.code) == ["facility_id_missing", "facility_unknown", "price_area_mismatch", "start_date_too_early"])
        #expect(actions.first?.field == "facilities[1].meteringPointId")
        #expect(actions.allSatisfy { !$0.message.lowercased().contains("credit") })
        #expect(PartnerView.actions(state: .approved, reasons: reasons, facilities: facilities).isEmpty)
    }

    @Test("the catalogue's codes are unique and fixed prices say how long they bind")
    func catalogue() {
        let products = ProductCatalogue.current.products
        #expect(Set(products.map(\.code)).count == products.count)
        #expect(products.filter { $0.pricing == .fixed }.allSatisfy { $0.bindingMonths != nil })
        #expect(ProductCatalogue.current.product(code: "SPECIAL") == nil)
        #expect(ProductCatalogue.current.product(code: "FIXED-12")?.bindingMonths == 12)
    }
}
