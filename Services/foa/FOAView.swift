public import AvtalBackOffice
public import Foundation

/// What the FOA draft page shows: each field with its label, value and errors, the draft's version and state. Pure.
public enum FOAView {
    static let companyFields: [(name: String, label: String, hint: String?)] = [
        ("customer.organizationNumber", "Organisationsnummer", "NNNNNN-NNNN"),
        ("customer.personalIdentityNumber", "Personnummer", "Endast enskild firma"),
        ("customer.companyName", "Företagsnamn", nil),
        ("customer.email", "E-post", nil),
        ("customer.phone", "Telefon", nil),
        ("customer.address.street", "Gatuadress", nil),
        ("customer.address.postalCode", "Postnummer", nil),
        ("customer.address.city", "Ort", nil),
    ]
    static let termFields: [(name: String, label: String, hint: String?)] = [
        ("specialTerms.priceOrePerKwh", "Pris för alla anläggningar (öre/kWh)", "Om inte anläggningen har ett eget pris"),
        ("specialTerms.contractMonths", "Avtalsperiod (månader)", nil),
        ("startDate", "Startdatum", "ÅÅÅÅ-MM-DD"),
    ]

    public static func context(
        foaId: String, form: FOAForm, version: Int, isReady: Bool, contractId: UUID?, updatedBy: String?, errors: FieldErrors
    ) -> [String: Any] {
        func render(_ field: (name: String, label: String, hint: String?)) -> [String: Any] {
            var context: [String: Any] = [
                "name": field.name, "id": field.name.replacingOccurrences(of: ".", with: "-"), "label": field.label, "type": "text",
                "autocomplete": "off", "value": form.fields[field.name] ?? "", "errors": errors.byField[field.name] ?? [],
                "invalid": errors.byField[field.name] != nil,
            ]
            if let hint = field.hint { context["hint"] = hint }
            return context
        }
        func area(_ name: String) -> [String: Any] {
            ["value": form.fields[name] ?? "", "errors": errors.byField[name] ?? [], "invalid": errors.byField[name] != nil]
        }
        var context: [String: Any] = [
            "foaId": foaId, "version": version, "isReady": isReady,
            "companyFields": companyFields.map(render), "termFields": termFields.map(render),
            "contacts": area("specialTerms.contacts"), "facilities": area("facilities"), "notes": area("specialTerms.notes"),
            "hasErrors": !errors.isEmpty, "errorCount": errors.byField.values.reduce(0) { $0 + $1.count },
            "facilityCount": form.fields["facilities"].map { $0.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }.count }
                ?? 0,
            "otherErrors": errors.byField.filter { key, _ in !FOAForm.fieldNames.contains(key) }.values.flatMap { $0 },
        ]
        if let contractId { context["contractId"] = contractId.uuidString.lowercased() }
        if let updatedBy { context["updatedBy"] = updatedBy }
        return context
    }
}
