extension ValidationPass {
    /// What only special contracts have: negotiated prices and terms, contact persons, the FOA id.
    mutating func checkSpecialTerms() {
        if details.kind != .special {
            if details.specialTerms != nil { issue("specialTerms", "not_applicable", "only special contracts have negotiated terms") }
            if details.facilities.contains(where: { $0.priceOrePerKwh != nil }) {
                issue("facilities", "not_applicable", "only special contracts have negotiated prices")
            }
        }
        if var terms = result.specialTerms {
            if let notes = terms.notes, notes.count > 2000 { issue("specialTerms.notes", "too_long", "must be at most 2000 characters") }
            if terms.contacts.count > 20 { issue("specialTerms.contacts", "too_many", "at most 20 contact persons") }
            for (index, contact) in terms.contacts.enumerated() {
                terms.contacts[index].name = required("specialTerms.contacts[\(index)].name", contact.name) ?? contact.name
                if let email = contact.email {
                    terms.contacts[index].email = check("specialTerms.contacts[\(index)].email", EmailAddress.parse(email))?.value
                }
                if let phone = contact.phone {
                    terms.contacts[index].phone = check("specialTerms.contacts[\(index)].phone", PhoneNumber.parse(phone))?.e164
                }
            }
            result.specialTerms = terms
        }
        if details.kind == .special {
            result.foaId = required("foaId", details.foaId, maximum: 64)
        } else if details.foaId != nil {
            issue("foaId", "not_applicable", "only special contracts have an FOA id")
        }
    }
}
