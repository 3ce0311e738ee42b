import AvtalBackOffice
import AvtalDomain
import AvtalTestSupport
import Foundation
import Testing

@Suite("The internal form: fields to details, the same rules as the partner API, errors by field")
struct ContractFormTests {
    static let catalogue = ProductCatalogue.current

    /// A complete form for a private phone sale where we called the customer, signed with BankID.
    static func privateForm() -> ContractForm {
        ContractForm(
            FormFields([
                "kind": "private", "salesChannel": "telesales", "callDirection": "outbound", "signatureMethod": "bankId",
                "customer.personalIdentityNumber": "19640823-3234", "customer.firstName": "Anna", "customer.lastName": "Andersson",
                "customer.email": "Anna@Example.se", "customer.phone": "070-123 45 67", "customer.address.street": "Storgatan 1",
                "customer.address.postalCode": "11122", "customer.address.city": "Stockholm",
                "facilities": "\(Samples.meteringPointId(7)); se3; 12 000", "productCode": "FIXED-12",
                "startDate": Samples.today.adding(days: 20).description, "limeId": "L-1001",
            ]))
    }

    @Test("a complete form becomes normalised details with the seller and the Lime id")
    func complete() throws {
        let details = try Self.privateForm().details(seller: "sara", catalogue: Self.catalogue, today: Samples.today).get()
        #expect(details.customer.personalIdentityNumber == "196408233234")
        #expect(details.customer.phone == "+46701234567")
        #expect(details.customer.email == "Anna@example.se")
        #expect(details.customer.address.postalCode == "111 22")
        #expect(details.facilities == [Facility(meteringPointId: Samples.meteringPointId(7), priceArea: .se3, annualConsumptionKwh: 12_000)])
        #expect(details.sellerId == "sara" && details.limeId == "L-1001")
        #expect(details.salesChannel == .telesales && details.requiresSignature)
    }

    @Test(
        "each mistake is reported on its own field",
        arguments: [
            ("customer.personalIdentityNumber", "19640823-3235", "customer.personalIdentityNumber", "checksum"),
            ("callDirection", "", "callDirection", "required"),
            ("signatureMethod", "", "signatureMethod", "required"),
            ("productCode", "GOLD", "productCode", "unknown"),
            ("startDate", "29/11", "startDate", "format"),
            ("startDate", Samples.today.adding(days: 3).description, "startDate", "too_early"),
            ("facilities", "; SE9", "facilities[0].priceArea", "format"),
            ("facilities", "", "facilities", "required"),
            ("kind", "special", "kind", "format"),
            ("customer.email", "", "customer.email", "required"),
        ])
    func mistakes(field: String, value: String, expectedField: String, code: String) {
        var form = Self.privateForm()
        form.fields[field] = value
        guard case .failure(let failure) = form.details(seller: "sara", catalogue: Self.catalogue, today: Samples.today) else {
            Issue.record("accepted \(field)=\(value)")
            return
        }
        #expect(failure.issues.map(\.field) == [expectedField], "\(failure)")
        #expect(failure.issues.first?.code == code)
    }

    @Test("a business form needs the signer, as the partner API does; an inbound call must not choose a signature type")
    func businessAndInbound() {
        var form = Self.privateForm()
        form.fields["kind"] = "business"
        form.fields["customer.organizationNumber"] = "556016-0680"
        form.fields["customer.personalIdentityNumber"] = nil
        form.fields["customer.companyName"] = "Exempel AB"
        let business = form.details(seller: "sara", catalogue: Self.catalogue, today: Samples.today)
        #expect(business.failureFields == ["signer"])
        form.fields["signer.firstName"] = "Bo"
        form.fields["signer.lastName"] = "Berg"
        form.fields["signer.personalIdentityNumber"] = "198112189876"
        #expect(form.details(seller: "sara", catalogue: Self.catalogue, today: Samples.today).failureFields == [])

        var inbound = Self.privateForm()
        inbound.fields["callDirection"] = "inbound"
        #expect(inbound.details(seller: "sara", catalogue: Self.catalogue, today: Samples.today).failureFields == ["signatureMethod"])
        inbound.fields["signatureMethod"] = nil
        let details = try? inbound.details(seller: "sara", catalogue: Self.catalogue, today: Samples.today).get()
        #expect(details?.requiresSignature == false)
    }

    @Test("a stored contract shows in the form as it was, and MKA's edit keeps what the contract is and where it came from")
    func roundTripAndEdit() throws {
        let original = Samples.privateContract(facility: 9)
        var form = ContractForm(original)
        #expect(form.fields["facilities"] == "\(Samples.meteringPointId(9)); SE3; 12000")
        form.fields["customer.address.street"] = "Nygatan 2"
        form.fields["salesChannel"] = "telesales"
        let edited = try form.edited(original, catalogue: Self.catalogue, today: Samples.today).get()
        #expect(edited.customer.address.street == "Nygatan 2")
        #expect(edited.salesChannel == .partner && edited.partner == original.partner && edited.callDirection == nil)
        var expected = original
        expected.customer.address.street = "Nygatan 2"
        #expect(edited == expected)
    }

    @Test("Gördis edits a special contract: its prices and negotiated terms are kept")
    func specialEdit() throws {
        var original = Samples.specialContract(facility: 5)
        original.facilities[0].priceOrePerKwh = Decimal(string: "91.5")
        original.specialTerms = SpecialTerms(contractMonths: 36, priceOrePerKwh: 80, contacts: [ContactPerson(name: "Bo", email: "bo@exempel.se")])
        var form = ContractForm(original)
        form.fields["customer.email"] = "faktura@exempel.se"
        let edited = try form.edited(original, catalogue: Self.catalogue, today: Samples.today).get()
        var expected = original
        expected.customer.email = "faktura@exempel.se"
        #expect(edited == expected)
    }

    @Test("errors are shown in Swedish next to their field, facility errors with their line")
    func fieldErrors() {
        let errors = FieldErrors(
            ValidationFailure(issues: [
                ValidationIssue(field: "customer.firstName", code: "required", message: "is required"),
                ValidationIssue(field: "facilities[2].meteringPointId", code: "checksum", message: "check digit"),
            ]))
        #expect(errors.byField["customer.firstName"] == ["Måste fyllas i."])
        #expect(errors.byField["facilities"] == ["Rad 3, anläggnings-ID: Kontrollsiffran stämmer inte."])
    }
}

extension Result where Success == ContractDetails, Failure == ValidationFailure {
    var failureFields: [String] {
        if case .failure(let failure) = self { return failure.issues.map(\.field) }
        return []
    }
}
