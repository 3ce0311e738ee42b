import AvtalBackOffice
import AvtalDomain
import Testing

@testable import Webbavtal

@Suite("The internal form's blank fields, rendered once per set of kinds and day")
struct BlankFormFieldsTests {
    let today = CivilDate(year: 2026, month: 12, day: 1)!

    @Test("a blank form's fields are rendered once for the same kinds and day; other kinds, another day, errors or a prefill render afresh")
    func blankFormsOnly() throws {
        let cache = BlankFormFields()
        var renders = 0
        func html(
            _ form: ContractForm, _ errors: FieldErrors = FieldErrors(), kinds: [ContractKind] = [.private, .business], today: CivilDate
        ) -> String {
            cache.html(for: form, errors: errors, kinds: kinds, today: today) {
                renders += 1
                return "fields \(renders)"
            }
        }
        let blank = ContractForm.blank(today: today)
        #expect(html(blank, today: today) == "fields 1")
        #expect(html(blank, today: today) == "fields 1", "the same blank form: the kept HTML")
        #expect(html(blank, kinds: [.private], today: today) == "fields 2", "another set of kinds")
        let tomorrow = today.adding(days: 1)
        #expect(html(ContractForm.blank(today: tomorrow), today: tomorrow) == "fields 3", "another day")
        var prefilled = blank
        prefilled.fields["customer.firstName"] = "Anna"
        #expect(html(prefilled, today: today) == "fields 4")
        #expect(html(prefilled, today: today) == "fields 5", "a form with values is never kept")
        let errors = FieldErrors(ValidationFailure(issues: [ValidationIssue(field: "customer.email", code: "invalid", message: "bad")]))
        #expect(html(blank, errors, today: today) == "fields 6", "a form with errors is never kept")
        #expect(html(blank, today: tomorrow) == "fields 7", "a blank form of another day than today's is not kept")
        #expect(html(blank, today: today) == "fields 1")
    }
}
