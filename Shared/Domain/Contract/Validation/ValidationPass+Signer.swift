extension ValidationPass {
    /// The person who signs for a business, when named.
    mutating func checkSigner() {
        guard var signer = details.signer else { return }
        signer.firstName = required("signer.firstName", signer.firstName) ?? signer.firstName
        signer.lastName = required("signer.lastName", signer.lastName) ?? signer.lastName
        if let email = signer.email { signer.email = check("signer.email", EmailAddress.parse(email))?.value }
        if let mobile = signer.mobile { signer.mobile = check("signer.mobile", PhoneNumber.parse(mobile))?.e164 }
        if let personal = signer.personalIdentityNumber {
            signer.personalIdentityNumber = check("signer.personalIdentityNumber", Personnummer.parse(personal, today: today))?.digits
        }
        result.signer = signer
    }
}
