/// The link Lime opens for "Interna avtalsformuläret": `GET /lime/contract?limeId=…&type=private&pnr=…` (the
/// parameters are listed in `docs/back-office.md`). Its query string is the only URL in the back office that carries
/// personal data; webbavtal keeps the prefill on the server and never logs the query. Pure: maps Lime's parameters
/// onto the form's fields, ignoring any other parameter and cutting overlong values.
public enum LimeLink {
    public static let path = "/lime/contract"
    /// Longest value kept from one parameter.
    public static let maximumLength = 200

    /// Lime's parameter → the form's field.
    public static let parameters: [String: String] = [
        "limeId": "limeId",
        "pnr": "customer.personalIdentityNumber",
        "orgnr": "customer.organizationNumber",
        "firstName": "customer.firstName",
        "lastName": "customer.lastName",
        "company": "customer.companyName",
        "email": "customer.email",
        "phone": "customer.phone",
        "street": "customer.address.street",
        "postalCode": "customer.address.postalCode",
        "city": "customer.address.city",
    ]

    /// The form prefilled from the link's query: `type=business` makes it a business contract; `status=prospect` or
    /// `customer` is kept to show the seller what Lime knows.
    public static func prefill(_ query: FormFields, onto form: ContractForm) -> ContractForm {
        var form = form
        for (parameter, field) in parameters {
            if let value = query.text(parameter) { form.fields[field] = String(value.prefix(maximumLength)) }
        }
        if query.text("type") == "business" || (query.text("orgnr") != nil && query.text("type") == nil) {
            form.fields["kind"] = "business"
        }
        if let status = query.text("status"), ["prospect", "customer"].contains(status) {
            form.fields["limeStatus"] = status
        }
        return form
    }
}
