extension ValidationPass {
    /// The customer: a private person by personnummer, or a business by organisationsnummer (or a sole proprietor's
    /// personnummer); e-mail, phone, address.
    mutating func checkCustomer() {
        let customer = details.customer
        switch customer.type {
        case .private:
            result.customer.personalIdentityNumber = required("customer.personalIdentityNumber", customer.personalIdentityNumber).flatMap {
                check("customer.personalIdentityNumber", Personnummer.parse($0, today: today))?.digits
            }
            result.customer.firstName = required("customer.firstName", customer.firstName)
            result.customer.lastName = required("customer.lastName", customer.lastName)
            if customer.organizationNumber != nil {
                issue("customer.organizationNumber", "not_applicable", "a private customer has no organisationsnummer")
            }
        case .business:
            switch (customer.organizationNumber, customer.personalIdentityNumber) {
            case (let organization?, nil):
                result.customer.organizationNumber = check("customer.organizationNumber", Organisationsnummer.parse(organization))?.value
            case (nil, let personal?):
                result.customer.personalIdentityNumber = check("customer.personalIdentityNumber", Personnummer.parse(personal, today: today))?.digits
            case (nil, nil):
                issue(
                    "customer.organizationNumber", "required",
                    "a business customer needs an organisationsnummer, or a personnummer for a sole proprietorship")
            case (_?, _?):
                issue(
                    "customer.personalIdentityNumber", "not_applicable", "give an organisationsnummer or a sole proprietor's personnummer, not both")
            }
            result.customer.companyName = required("customer.companyName", customer.companyName, maximum: 200)
        }
        result.customer.email = required("customer.email", customer.email, maximum: 254).flatMap {
            check("customer.email", EmailAddress.parse($0))?.value
        }
        if let phone = customer.phone {
            result.customer.phone = check("customer.phone", PhoneNumber.parse(phone))?.e164
        }
        result.customer.address = address("customer.address", customer.address)
    }
}
