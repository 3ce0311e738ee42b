extension ValidationPass {
    /// Whether the contract is signed, and by a method the signer's contact details allow.
    mutating func checkSignature() {
        let customer = details.customer
        if details.requiresSignature {
            if customer.type == .business && details.signer == nil {
                issue("signer", "required", "a business contract sold by calling the customer needs the person who signs")
            }
            if let method = details.signatureMethod {
                let contact =
                    result.signer.map { (email: $0.email, mobile: $0.mobile, personal: $0.personalIdentityNumber) }
                    ?? (email: result.customer.email, mobile: result.customer.phone, personal: result.customer.personalIdentityNumber)
                let prefix = details.signer == nil ? "customer" : "signer"
                let missing: (field: String, message: String)? =
                    switch method {
                    case .bankId where contact.personal == nil:
                        ("\(prefix).personalIdentityNumber", "signing with BankID needs the signer's personnummer")
                    case .email where contact.email == nil: ("\(prefix).email", "signing by e-mail needs the signer's e-mail address")
                    case .sms where !(contact.mobile.map { (try? PhoneNumber.parse($0).get())?.isSwedishMobile == true } ?? false):
                        (details.signer == nil ? "customer.phone" : "signer.mobile", "signing by SMS needs a Swedish mobile number")
                    default: nil
                    }
                // Not when the field already has an issue (an invalid number is reported as such), nor when a
                // business contract lacks its signer altogether (that is the issue).
                let signerMissing = customer.type == .business && details.signer == nil
                if let missing, !signerMissing, !issues.contains(where: { $0.field == missing.field }) {
                    issue(missing.field, "required", missing.message)
                }
            } else {
                issue("signatureMethod", "required", "a contract sold by calling the customer must be signed: choose BankID, e-mail or SMS")
            }
        } else if details.signatureMethod != nil {
            issue("signatureMethod", "not_applicable", "only contracts sold by calling the customer are signed")
        }
    }
}
