public import AvtalBackOffice
public import AvtalDomain
import Foundation

/// The values the `contract-fields` template needs to show a ``ContractForm``: each field's label, value and errors,
/// the choices with the chosen one marked. Pure; the template escapes every value.
public enum FormView {
    struct Field {
        var name: String
        var label: String
        var type = "text"
        var hint = ""
        var autocomplete = "off"
    }

    static let customerFields = [
        Field(name: "customer.personalIdentityNumber", label: "Personnummer", hint: "Privatkund, eller enskild firma: ÅÅÅÅMMDD-NNNN"),
        Field(name: "customer.organizationNumber", label: "Organisationsnummer", hint: "Företag: NNNNNN-NNNN"),
        Field(name: "customer.firstName", label: "Förnamn", hint: "Privatkund"),
        Field(name: "customer.lastName", label: "Efternamn", hint: "Privatkund"),
        Field(name: "customer.companyName", label: "Företagsnamn", hint: "Företag"),
        Field(name: "customer.email", label: "E-post", type: "email"),
        Field(name: "customer.phone", label: "Telefon", type: "tel"),
        Field(name: "customer.address.street", label: "Gatuadress"),
        Field(name: "customer.address.postalCode", label: "Postnummer"),
        Field(name: "customer.address.city", label: "Ort"),
    ]
    static let signerFields = [
        Field(name: "signer.firstName", label: "Förnamn"),
        Field(name: "signer.lastName", label: "Efternamn"),
        Field(name: "signer.email", label: "E-post", type: "email"),
        Field(name: "signer.mobile", label: "Mobil", type: "tel"),
        Field(name: "signer.personalIdentityNumber", label: "Personnummer", hint: "För BankID"),
    ]
    static let choiceLabels: [String: String] = [
        "kind.private": "Privat", "kind.business": "Företag", "kind.mass": "Massavtal (många anläggningar)",
        "salesChannel.telesales": "Telesales", "salesChannel.customerService": "Kundservice",
        "callDirection.outbound": "Vi ringde kunden (kunden måste signera)", "callDirection.inbound": "Kunden ringde oss (ingen signering)",
        "signatureMethod.bankId": "BankID", "signatureMethod.email": "E-post", "signatureMethod.sms": "SMS",
    ]

    /// `editing`: MKA's edit of a stored contract, whose kind and channel are not offered for change.
    /// `kinds`: the kinds of contract offered (the user's role decides).
    public static func context(
        _ form: ContractForm, errors: FieldErrors, catalogue: ProductCatalogue, editing: Bool = false,
        kinds: [ContractKind] = [.private, .business, .mass]
    ) -> [String: Any] {
        let fields = form.fields
        func render(_ field: Field) -> [String: Any] {
            var context: [String: Any] = [
                "name": field.name, "id": field.name.replacingOccurrences(of: ".", with: "-"), "label": field.label, "type": field.type,
                "autocomplete": field.autocomplete, "value": fields[field.name] ?? "", "errors": errors.byField[field.name] ?? [],
                "invalid": errors.byField[field.name] != nil,
            ]
            if !field.hint.isEmpty { context["hint"] = field.hint }
            return context
        }
        func choices(_ name: String) -> [String: Any] {
            [
                "name": name, "errors": errors.byField[name] ?? [],
                "options": (ContractForm.choices[name] ?? []).filter { name != "kind" || kinds.map(\.rawValue).contains($0) }.map { value in
                    ["value": value, "label": choiceLabels["\(name).\(value)"] ?? value, "checked": fields[name] == value] as [String: Any]
                },
            ]
        }
        var context: [String: Any] = [
            "customerFields": customerFields.map(render),
            "signerFields": signerFields.map(render),
            "kind": choices("kind"), "salesChannel": choices("salesChannel"), "callDirection": choices("callDirection"),
            "signatureMethod": choices("signatureMethod"),
            "products": catalogue.products.map { product in
                ["code": product.code, "name": product.name, "selected": fields["productCode"] == product.code] as [String: Any]
            } + otherProduct(fields["productCode"], catalogue),
            "productErrors": errors.byField["productCode"] ?? [],
            "facilities": render(Field(name: "facilities", label: "Anläggningar")),
            "startDate": render(Field(name: "startDate", label: "Startdatum", type: "date")),
            "moveIn": fields.isChecked("moveIn"),
            "errorCount": errors.byField.values.reduce(0) { $0 + $1.count },
            "hasErrors": !errors.isEmpty,
            "editing": editing,
            // Who called and how to sign concern phone sales only; a stored contract from elsewhere does not offer them.
            "showCall": !editing || ["telesales", "customerService"].contains(fields["salesChannel"] ?? ""),
            // Issues about no single field the form shows (the customer's type, the signer as a whole).
            "formErrors": ["customer.type", "signer", "salesChannel", "sellerId", "limeId"].flatMap { errors.byField[$0] ?? [] },
        ]
        if let limeId = fields.text("limeId") { context["limeId"] = limeId }
        if fields["kind"] == ContractKind.special.rawValue { context["special"] = true }
        switch fields["limeStatus"] {
        case "prospect": context["limeStatus"] = "Prospekt i Lime"
        case "customer": context["limeStatus"] = "Kund i Lime"
        default: break
        }
        return context
    }

    /// A contract's product that is not on sale (a special contract's own terms) stays choosable on its form.
    static func otherProduct(_ code: String?, _ catalogue: ProductCatalogue) -> [[String: Any]] {
        guard let code, !code.isEmpty, catalogue.product(code: code) == nil else { return [] }
        return [["code": code, "name": code == "SPECIAL" ? "Specialavtal (förhandlade villkor)" : code, "selected": true]]
    }
}
