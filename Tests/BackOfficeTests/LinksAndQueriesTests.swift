import AvtalBackOffice
import AvtalDomain
import AvtalTestSupport
import Foundation
import Testing
import Webbavtal

@Suite("Form fields, the Lime link, facility lines and worklist searches")
struct LinksAndQueriesTests {
    @Test("url-encoded fields: plus as space, percent-decoding, last value wins, broken escapes dropped")
    func formFields() {
        let fields = FormFields(urlEncoded: "a=1&name=Anna+%C3%85berg&a=2&bad=%ZZ&empty=&=x")
        #expect(fields["a"] == "2")
        #expect(fields["name"] == "Anna Åberg")
        #expect(fields["bad"] == nil)
        #expect(fields["empty"] == "" && fields.text("empty") == nil)
        #expect(fields.values.count == 3)
    }

    @Test("Lime's parameters fill the form; unknown ones are ignored; an organisationsnummer makes it a business contract")
    func limeLink() {
        let query = FormFields(
            urlEncoded: "limeId=42&status=prospect&orgnr=556016-0680&company=Exempel+AB&email=a%40b.se&street=G%C3%A5ngen+1&evil=%3Cscript%3E")
        let form = LimeLink.prefill(query, onto: ContractForm.blank(today: Samples.today))
        #expect(form.fields["kind"] == "business")
        #expect(form.fields["customer.organizationNumber"] == "556016-0680")
        #expect(form.fields["customer.companyName"] == "Exempel AB")
        #expect(form.fields["customer.address.street"] == "Gången 1")
        #expect(form.fields["limeStatus"] == "prospect" && form.fields["limeId"] == "42")
        #expect(form.fields["evil"] == nil)
        let long = LimeLink.prefill(FormFields(["firstName": String(repeating: "x", count: 5000)]), onto: ContractForm())
        #expect(long.fields["customer.firstName"]?.count == LimeLink.maximumLength)
    }

    @Test("facility lines: semicolons or tabs, the ID may be missing, the price area may not")
    func facilityLines() {
        let id = Samples.meteringPointId(3)
        let (facilities, problems) = FacilityLines.parse("\(id)\tse1\t5000\n\n; SE2\n\(id);;\n1;SE3;lots")
        #expect(facilities.count == 4)
        #expect(facilities[0] == Facility(meteringPointId: id, priceArea: .se1, annualConsumptionKwh: 5000))
        #expect(facilities[1] == Facility(meteringPointId: nil, priceArea: .se2))
        #expect(problems == [.init(line: 2, field: "priceArea", code: "required"), .init(line: 3, field: "annualConsumptionKwh", code: "format")])
        #expect(FacilityLines.format([facilities[0], facilities[1]]) == "\(id); SE1; 5000\n; SE2")
    }

    @Test(
        "a search term is recognised by its shape",
        arguments: [
            ("5F1A1C0E-8A0B-4F7B-9C58-1B2D3E4F5A6B", "contractId"),
            ("19640823-3234", "personnummer"),
            ("556016-0680", "organisationsnummer"),
            (Samples.meteringPointId(5), "meteringPoint"),
            ("Andersson", "text"),
            ("order-17", "text"),
        ])
    func search(term: String, kind: String) {
        let found: String
        switch WorklistQuery.classify(term, today: Samples.today) {
        case .contractId: found = "contractId"
        case .personnummer(let digits):
            found = "personnummer"
            #expect(digits == "196408233234")
        case .organisationsnummer: found = "organisationsnummer"
        case .meteringPoint: found = "meteringPoint"
        case .text: found = "text"
        }
        #expect(found == kind)
    }

    @Test("the worklist's filters: unknown values fall back to the defaults")
    func filters() {
        let query = WorklistQuery(FormFields(urlEncoded: "state=all&reason=credit.denied&channel=telesales&age=1d"), today: Samples.today)
        #expect(query.states == nil && query.reason == .creditDenied && query.channel == .telesales)
        #expect(query.changedBefore(now: Samples.now) == Samples.now.addingTimeInterval(-86400))
        let odd = WorklistQuery(FormFields(urlEncoded: "state=nonsense&reason=drop+table&channel=x&age=99y"), today: Samples.today)
        #expect(odd.states == [.needsMKA] && odd.reason == nil && odd.channel == nil && odd.changedBefore(now: Samples.now) == nil)
    }
}
