import AvtalDomain
import AvtalTestSupport
import Testing

/// What a partner may supply to a contract under review, and what it changes: only the fields a reason names, only
/// the facility at each position. Pure.
@Suite("Supplements")
struct SupplementTests {
    static let id = Samples.meteringPointId(701)

    @Test(
        "each field is expected only under its reason",
        arguments: [
            (Supplement(facilities: [.init(position: 0, meteringPointId: id)]), [NeedsMKAReason.facilityIdMissing], [String]()),
            (Supplement(facilities: [.init(position: 0, meteringPointId: id)]), [.facilityUnknown], []),
            (Supplement(facilities: [.init(position: 0, meteringPointId: id)]), [.creditDenied], ["facilities[].meteringPointId"]),
            (Supplement(facilities: [.init(position: 0, priceArea: .se4)]), [.facilityPriceAreaMismatch], []),
            (Supplement(facilities: [.init(position: 0, priceArea: .se4)]), [.facilityIdMissing], ["facilities[].priceArea"]),
            (Supplement(startDate: Samples.today.adding(days: 60)), [.switchTooEarly], []),
            (Supplement(startDate: Samples.today.adding(days: 60)), [.facilityIdMissing, .possibleDuplicate], ["startDate"]),
        ])
    func expected(supplement: Supplement, reasons: [NeedsMKAReason], unexpected: [String]) {
        #expect(supplement.unexpected(reasons: reasons) == unexpected)
    }

    @Test("its own mistakes: nothing supplied, a position the contract lacks or named twice, an entry with nothing in it")
    func issues() {
        #expect(Supplement().issues(facilityCount: 1).map(\.field) == ["facilities"])
        let wrong = Supplement(facilities: [
            .init(position: 3, meteringPointId: Self.id), .init(position: 0, priceArea: .se1), .init(position: 0, priceArea: .se2),
            .init(position: 1),
        ])
        #expect(
            wrong.issues(facilityCount: 2).map { "\($0.field) \($0.code)" } == [
                "facilities[0].position range", "facilities[2].position duplicate", "facilities[3] required",
            ])
        #expect(Supplement(facilities: [.init(position: 1, meteringPointId: Self.id)]).issues(facilityCount: 2).isEmpty)
    }

    @Test("applied, it changes the named facility's fields and the start date, nothing else")
    func applied() {
        var details = Samples.privateContract(facility: 702)
        details.facilities.append(Facility(meteringPointId: nil, priceArea: .se3, annualConsumptionKwh: 8_000))
        let supplement = Supplement(
            facilities: [.init(position: 1, meteringPointId: Self.id, priceArea: .se4)], startDate: Samples.today.adding(days: 45))
        let updated = supplement.applied(to: details)
        #expect(updated.facilities[0] == details.facilities[0])
        #expect(updated.facilities[1] == Facility(meteringPointId: Self.id, priceArea: .se4, annualConsumptionKwh: 8_000))
        #expect(updated.startDate == Samples.today.adding(days: 45))
        var rest = updated
        rest.facilities = details.facilities
        rest.startDate = details.startDate
        #expect(rest == details, "the customer, product and everything else as they were")
        #expect(
            supplement.summary == "facility 1: anläggnings-ID \(Self.id), facility 1: price area SE4; start date \(Samples.today.adding(days: 45))")
    }
}
