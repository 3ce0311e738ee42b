import AvtalCreditBureau
import AvtalDomain
import AvtalRegisters

/// The sandbox's deterministic behaviour, chosen by the test data (documented in `docs/sandbox.md`).
///
/// The *serial* of an identity is its three digits before the check digit: `YYYYMMDD-SSSC` for a personnummer,
/// `NNNNNN-SSSC` for an organisationsnummer.
enum SandboxRules {
    static let bureauName = "Sandbox Kreditupplysning"

    static func serial(of identity: String) -> Int? {
        let digits = identity.filter(\.isNumber)
        guard digits.count == 12 || digits.count == 10 else { return nil }
        return Int(digits.dropLast().suffix(3))
    }

    static func isPersonnummer(_ identity: String) -> Bool { identity.filter(\.isNumber).count == 12 }

    /// Where registered customers and facilities are: the samples' address, and the other one for those registered
    /// elsewhere.
    static let registeredAddress = Address(street: "Storgatan 1", postalCode: "111 22", city: "Stockholm")
    static let otherAddress = Address(street: "Sjövägen 12", postalCode: "760 10", city: "Bergshamra")

    /// Personnummer serial 900–949: a private customer; 950–999: a sole proprietorship. Organisationsnummer serial
    /// 900–999: a company. Everything else is unknown (a new customer). Registered people are named Anna Andersson
    /// (her firm "Anna Andersson Konsult"), except serial 940–949, registered as Per Persson — a name conflict with the
    /// samples; companies are "Exempel AB". Every registered customer lives at ``registeredAddress`` except serial
    /// 930–939, at ``otherAddress``.
    static func customer(identity: String) -> RegisteredCustomerRecord? {
        guard let serial = serial(of: identity), serial >= 900 else { return nil }
        let number = "K" + identity.filter(\.isNumber).suffix(6)
        let address = (930..<940).contains(serial) ? otherAddress : registeredAddress
        func record(_ type: String, soleProprietorship: Bool = false, _ name: String) -> RegisteredCustomerRecord {
            RegisteredCustomerRecord(customerNumber: number, type: type, isSoleProprietorship: soleProprietorship, name: name, address: address)
        }
        guard isPersonnummer(identity) else { return record("business", "Exempel AB") }
        switch serial {
        case 940..<950: return record("private", "Per Persson")
        case 950...: return record("business", soleProprietorship: true, "Anna Andersson Konsult")
        default: return record("private", "Anna Andersson")
        }
    }

    /// Known unless its 13th digit is 9. The 7th digit picks the price area (1–4 → SE1–SE4, otherwise SE3). A 13th
    /// digit 8: a switch is already under way there, and no new switch can start until 60 days after `today`. At
    /// ``registeredAddress``, unless its 14th digit is 7: at ``otherAddress``.
    static func facility(meteringPointId id: String, today: CivilDate) -> FacilityRecord? {
        let digits = Array(id)
        guard digits.count == 18, digits.allSatisfy(\.isNumber), digits[12] != "9" else { return nil }
        let area = ["1": ("SE1", "LUL"), "2": ("SE2", "SUN"), "3": ("SE3", "STH"), "4": ("SE4", "MAL")][String(digits[6])] ?? ("SE3", "STH")
        return FacilityRecord(
            meteringPointId: id, gridArea: area.1, priceArea: area.0, currentSupplier: "Annat Elbolag AB",
            earliestSwitchDate: digits[12] == "8" ? today.adding(days: 60).description : nil,
            address: digits[13] == "7" ? otherAddress : registeredAddress
        )
    }

    enum BureauAnswer: Equatable {
        case report(CreditReport.Outcome, reasonCode: String?)
        /// Approved, but only after the bureau's slow latency (`SANDBOX_BUREAU_SLOW_MS`).
        case slowlyApproved
        case unavailable
    }

    /// Serial 990–999: denied; 980–989: referred to manual review; 970–979: the bureau is unavailable (HTTP 503);
    /// 800–849: approved, slowly; everything else: approved.
    static func bureauAnswer(subject: String) -> BureauAnswer {
        switch serial(of: subject) ?? 0 {
        case 990...999: .report(.denied, reasonCode: "payment.remarks")
        case 980...989: .report(.referred, reasonCode: "manual.review")
        case 970...979: .unavailable
        case 800...849: .slowlyApproved
        default: .report(.approved, reasonCode: nil)
        }
    }
}
