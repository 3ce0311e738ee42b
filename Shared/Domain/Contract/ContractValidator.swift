/// The shared rules a contract must satisfy before it is stored, whichever way it came in. Pure: `today` is given.
///
/// ``validated(_:today:)`` returns the details with every identifier normalised, or every issue at once.
public struct ContractValidator: Sendable {
    /// A switch of supplier needs the grid owner told at least this many days before the start.
    public static let switchNoticeDays = 14
    /// No contract starts more than this many months ahead.
    public static let maximumMonthsAhead = 12
    public static let maximumFacilities = 1000

    public let today: CivilDate

    public init(today: CivilDate) {
        self.today = today
    }

    public func validated(_ details: ContractDetails) -> Result<ContractDetails, ValidationFailure> {
        var issues: [ValidationIssue] = []
        var result = details
        func issue(_ field: String, _ code: String, _ message: String) {
            issues.append(ValidationIssue(field: field, code: code, message: message))
        }
        func check<T>(_ field: String, _ parsed: Result<T, IdentifierError>) -> T? {
            switch parsed {
            case .success(let value): return value
            case .failure(let error):
                issue(field, error.code.rawValue, error.message)
                return nil
            }
        }
        func required(_ field: String, _ value: String?, maximum: Int = 100) -> String? {
            let trimmed = value?.trimmingSpaces ?? ""
            if trimmed.isEmpty {
                issue(field, "required", "is required")
                return nil
            }
            if trimmed.count > maximum {
                issue(field, "too_long", "must be at most \(maximum) characters")
                return nil
            }
            return trimmed
        }
        func address(_ prefix: String, _ value: Address) -> Address {
            var address = value
            address.street = required("\(prefix).street", value.street) ?? value.street
            address.city = required("\(prefix).city", value.city) ?? value.city
            address.postalCode = check("\(prefix).postalCode", PostalCode.parse(value.postalCode))?.value ?? value.postalCode
            return address
        }

        // Kind and channel
        let wantsBusiness = details.kind != .private
        if (details.customer.type == .business) != wantsBusiness {
            issue(
                "customer.type", "kind_mismatch",
                details.kind == .private
                    ? "a private contract needs a private customer" : "a \(details.kind.rawValue) contract needs a business customer")
        }
        if (details.salesChannel == .foa) != (details.kind == .special) {
            issue("salesChannel", "kind_mismatch", "special contracts, and only they, come from FOA")
        }
        let isPhoneSale = details.salesChannel == .telesales || details.salesChannel == .customerService
        if isPhoneSale && details.callDirection == nil {
            issue("callDirection", "required", "a phone sale must say whether we called the customer or the customer called us")
        }
        if !isPhoneSale && details.callDirection != nil {
            issue("callDirection", "not_applicable", "only phone sales have a call direction")
        }
        if details.salesChannel == .partner && details.partner == nil {
            issue("partner", "required", "a partner's contract must name the partner and its reference")
        }
        if let partner = details.partner {
            result.partner?.partnerId = required("partner.partnerId", partner.partnerId, maximum: 64) ?? partner.partnerId
            result.partner?.externalReference =
                required("partner.externalReference", partner.externalReference, maximum: 64) ?? partner.externalReference
        }
        if let seller = details.sellerId {
            if isPhoneSale || details.salesChannel == .foa {
                result.sellerId = required("sellerId", seller, maximum: 64)
            } else {
                issue("sellerId", "not_applicable", "only contracts sold by our own sellers name a seller")
            }
        }
        if let lime = details.limeId {
            result.limeId = required("limeId", lime, maximum: 64)
        }
        if details.kind != .special {
            if details.specialTerms != nil { issue("specialTerms", "not_applicable", "only special contracts have negotiated terms") }
            if details.facilities.contains(where: { $0.priceOrePerKwh != nil }) {
                issue("facilities", "not_applicable", "only special contracts have negotiated prices")
            }
        }
        if let terms = details.specialTerms {
            if let notes = terms.notes, notes.count > 2000 { issue("specialTerms.notes", "too_long", "must be at most 2000 characters") }
            if terms.contacts.count > 20 { issue("specialTerms.contacts", "too_many", "at most 20 contact persons") }
            for (index, contact) in terms.contacts.enumerated() {
                result.specialTerms?.contacts[index].name = required("specialTerms.contacts[\(index)].name", contact.name) ?? contact.name
                if let email = contact.email {
                    result.specialTerms?.contacts[index].email = check("specialTerms.contacts[\(index)].email", EmailAddress.parse(email))?.value
                }
                if let phone = contact.phone {
                    result.specialTerms?.contacts[index].phone = check("specialTerms.contacts[\(index)].phone", PhoneNumber.parse(phone))?.e164
                }
            }
        }
        if details.kind == .special {
            result.foaId = required("foaId", details.foaId, maximum: 64)
        } else if details.foaId != nil {
            issue("foaId", "not_applicable", "only special contracts have an FOA id")
        }

        // Customer
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

        // Signer
        if let signer = details.signer {
            result.signer?.firstName = required("signer.firstName", signer.firstName) ?? signer.firstName
            result.signer?.lastName = required("signer.lastName", signer.lastName) ?? signer.lastName
            if let email = signer.email { result.signer?.email = check("signer.email", EmailAddress.parse(email))?.value }
            if let mobile = signer.mobile { result.signer?.mobile = check("signer.mobile", PhoneNumber.parse(mobile))?.e164 }
            if let personal = signer.personalIdentityNumber {
                result.signer?.personalIdentityNumber = check("signer.personalIdentityNumber", Personnummer.parse(personal, today: today))?.digits
            }
        }

        // Signature
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

        // Facilities
        if details.facilities.isEmpty {
            issue("facilities", "required", "at least one facility is required")
        } else if details.facilities.count > Self.maximumFacilities {
            issue("facilities", "too_many", "at most \(Self.maximumFacilities) facilities")
        }
        var seen = Set<String>()
        for (index, facility) in details.facilities.enumerated() {
            let prefix = "facilities[\(index)]"
            if let id = facility.meteringPointId {
                let normalised = check("\(prefix).meteringPointId", MeteringPointId.parse(id))?.value
                result.facilities[index].meteringPointId = normalised
                if let normalised, !seen.insert(normalised).inserted {
                    issue("\(prefix).meteringPointId", "duplicate", "the same facility is listed twice")
                }
            }
            if let consumption = facility.annualConsumptionKwh, !(1...100_000_000).contains(consumption) {
                issue("\(prefix).annualConsumptionKwh", "range", "must be between 1 and 100 000 000 kWh")
            }
            if let facilityAddress = facility.address {
                result.facilities[index].address = address("\(prefix).address", facilityAddress)
            }
        }

        // Product and dates
        result.productCode = required("productCode", details.productCode, maximum: 32) ?? details.productCode
        let earliest = details.moveIn ? today : today.adding(days: Self.switchNoticeDays)
        if details.startDate < earliest {
            issue(
                "startDate", "too_early",
                details.moveIn
                    ? "a move-in cannot start in the past"
                    : "a supplier switch starts at least \(Self.switchNoticeDays) days from today (\(earliest))"
            )
        } else if details.startDate > today.adding(months: Self.maximumMonthsAhead) {
            issue("startDate", "too_late", "a contract starts at most \(Self.maximumMonthsAhead) months ahead")
        }

        return issues.isEmpty ? .success(result) : .failure(ValidationFailure(issues: issues))
    }
}
