import AvtalDomain
import Foundation

/// The made-up data of the `sequence`th contract of a run: its own facility (so no two contracts of a run or of two
/// runs collide), and identities whose serials pick the sandbox's behaviour for its scenario.
struct ContractData: Sendable {
    let scenario: Scenario
    let sequence: Int
    /// Distinguishes runs: facilities and references are new in every run against the same store.
    let run: Int
    let today: CivilDate

    var reference: String { "load-\(run)-\(sequence)" }

    var meteringPointId: String {
        let known = MeteringPointId.synthetic(run * 1_000_000 + sequence).value
        guard scenario == .selfServiceFacilityUnknown else { return known }
        // The 13th digit 9: a facility the sandbox's register does not know.
        let body = String(known.prefix(12)) + "9" + String(known.dropFirst(13).prefix(4))
        return MeteringPointId.completing(body)!.value
    }

    var personnummer: String {
        let serial =
            switch scenario {
            case .selfServiceExisting: 900 + sequence % 40
            case .selfServiceBureauSlow: 800 + sequence % 50
            case .selfServiceDenied: 990 + sequence % 10
            case .selfServiceBureauUnavailable: 970 + sequence % 10
            default: 100 + sequence % 700
            }
        let born = CivilDate(year: 1950 + sequence % 50, month: 1 + sequence % 12, day: 1 + sequence % 28)!
        return Personnummer.make(born: born, serial: serial).digits
    }

    /// A new company: serials below 900 are unknown to the register.
    var organisationsnummer: String { Organisationsnummer.make(number: sequence % 8000, serial: sequence % 900).value }

    var lastName: String { scenario == .phoneSigningRefused ? "Nekar" : "Andersson" }
    var email: String { "kund\(sequence)@example.se" }
    var phone: String { "070" + String(1_000_000 + sequence % 9_000_000).suffix(7) }
    var startDate: String { today.adding(days: 30).description }

    /// `POST /v1/contracts`'s body.
    func partnerBody() -> Data {
        let business = scenario == .selfServiceBusiness
        var customer: [String: Any] = [
            "type": business ? "business" : "private", "email": email, "phone": phone,
            "address": ["street": "Storgatan \(1 + sequence % 90)", "postalCode": "11122", "city": "Stockholm"],
        ]
        var body: [String: Any] = [
            "externalReference": reference,
            "facilities": [["meteringPointId": meteringPointId, "priceArea": "SE3", "annualConsumptionKwh": business ? 60_000 : 12_000]],
            "product": ["code": "FIXED-12"], "startDate": startDate, "consent": ["termsAccepted": true],
        ]
        if business {
            customer["organizationNumber"] = organisationsnummer
            customer["companyName"] = "Last \(sequence) AB"
            body["signer"] = ["firstName": "Bo", "lastName": "Berg"]
        } else {
            customer["personalIdentityNumber"] = personnummer
            customer["firstName"] = "Anna"
            customer["lastName"] = lastName
        }
        body["customer"] = customer
        return try! JSONSerialization.data(withJSONObject: body)
    }

    /// The internal form's fields as a seller fills them (without `_csrf` and `formId`, which come from the page).
    func formFields() -> [String: String] {
        var fields = [
            "salesChannel": "telesales", "callDirection": scenario == .phoneInbound ? "inbound" : "outbound",
            "customer.email": email, "customer.phone": phone, "customer.address.street": "Storgatan \(1 + sequence % 90)",
            "customer.address.postalCode": "111 22", "customer.address.city": "Stockholm",
            "facilities": "\(meteringPointId); SE3; 12000", "productCode": "VARIABLE", "startDate": startDate,
        ]
        switch scenario {
        case .phoneEmail: fields["signatureMethod"] = "email"
        case .phoneSMS: fields["signatureMethod"] = "sms"
        case .phoneInbound: break
        default: fields["signatureMethod"] = "bankId"
        }
        if scenario == .phoneBusiness {
            fields["kind"] = "business"
            fields["customer.organizationNumber"] = organisationsnummer
            fields["customer.companyName"] = "Last \(sequence) AB"
            fields["signer.firstName"] = "Bo"
            fields["signer.lastName"] = "Berg"
            fields["signer.email"] = "bo\(sequence)@example.se"
            fields["signer.mobile"] = "+46701112233"
            fields["signer.personalIdentityNumber"] = "198112189876"
        } else {
            fields["kind"] = "private"
            fields["customer.personalIdentityNumber"] = personnummer
            fields["customer.firstName"] = "Anna"
            fields["customer.lastName"] = lastName
        }
        return fields
    }
}
