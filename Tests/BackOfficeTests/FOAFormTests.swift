import AvtalBackOffice
import AvtalDomain
import AvtalTestSupport
import Foa
import Foundation
import Testing

@Suite("The FOA form: drafts as they are, and everything MKA needs before marking ready")
struct FOAFormTests {
    static func complete() -> FOAForm {
        FOAForm(
            FormFields([
                "customer.organizationNumber": "556016-0680", "customer.companyName": "Exempel AB", "customer.email": "info@exempel.se",
                "customer.address.street": "Storgatan 1", "customer.address.postalCode": "11122", "customer.address.city": "Stockholm",
                "specialTerms.contacts": "Bo Berg; bo@exempel.se; 070-111 22 33",
                "facilities": "\(Samples.meteringPointId(1))\tSE3\t250000\t84,5\n\(Samples.meteringPointId(2)); SE3; 90000",
                "specialTerms.priceOrePerKwh": "79.9", "specialTerms.contractMonths": "36",
                "startDate": Samples.today.adding(days: 60).description, "specialTerms.notes": "Förhandlat med Bo.", "evil": "ignored",
            ]))
    }

    @Test("a complete form is ready: a special contract from FOA with its terms, prices and contacts")
    func ready() {
        let (details, issues) = Self.complete().check(foaId: "FOA-7", seller: "bo", today: Samples.today, ready: true)
        #expect(issues.isEmpty, "\(issues)")
        #expect(details.kind == .special && details.salesChannel == .foa && details.foaId == "FOA-7" && details.sellerId == "bo")
        #expect(details.facilities.map(\.priceOrePerKwh) == [Decimal(string: "84.5"), nil])
        #expect(details.specialTerms?.priceOrePerKwh == Decimal(string: "79.9") && details.specialTerms?.contractMonths == 36)
        #expect(details.specialTerms?.contacts == [ContactPerson(name: "Bo Berg", email: "bo@exempel.se", phone: "+46701112233")])
        #expect(Self.complete().fields["evil"] == nil, "only the form's own fields are kept")
    }

    @Test("a draft is whatever it holds; marking ready lists every missing item at once")
    func missing() {
        var form = Self.complete()
        form.fields["specialTerms.contacts"] = nil
        form.fields["specialTerms.contractMonths"] = nil
        form.fields["specialTerms.priceOrePerKwh"] = nil
        form.fields["facilities"] = "\(Samples.meteringPointId(1)); SE3; 250000; 84,5\n; SE3\n7359990000000000x; SE3"
        let draft = form.check(foaId: "FOA-7", seller: "bo", today: Samples.today, ready: false).issues.map(\.field)
        #expect(draft == ["facilities[2].meteringPointId"], "a draft shows only what is wrong, not what is missing")
        let ready = Set(form.check(foaId: "FOA-7", seller: "bo", today: Samples.today, ready: true).issues.map(\.field))
        #expect(
            ready == [
                "facilities[2].meteringPointId", "specialTerms.contractMonths", "specialTerms.contacts", "facilities[1].meteringPointId",
                "facilities[1].priceOrePerKwh", "facilities[2].priceOrePerKwh",
            ])
        #expect(
            FieldErrors(ValidationFailure(issues: [ValidationIssue(field: "facilities[1].priceOrePerKwh", code: "required", message: "")]))
                .byField["facilities"] == ["Rad 2, pris: Måste fyllas i."])
    }

    @Test(
        "FOA ids are Lime's deal ids: letters, digits, - and _",
        arguments: [("FOA-1001", true), ("a_b", true), ("", false), ("../x", false), ("å", false)])
    func foaIds(id: String, valid: Bool) {
        #expect(FOAForm.isValidFOAId(id) == valid)
    }
}
