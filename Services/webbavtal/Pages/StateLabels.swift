public import AvtalDomain
import Foundation

/// How the back office names a contract's state and a kontroll reason to the people who work with them. Pure.
public enum StateLabels {
    public static func label(_ state: ContractState) -> String {
        switch state {
        case .stored: "Mottaget, kontrolleras"
        case .needsMKA: "Hanteras av MKA"
        case .approved: "Godkänt"
        case .awaitingSignature: "Väntar på kundens signatur"
        case .signed: "Signerat"
        case .rejected: "Avslaget"
        case .cancelled: "Avbrutet"
        case .readyForMKA: "Klart för MKA (Gördis)"
        case .finalized: "Färdigställt, skickas till Xellent"
        case .exported: "Överfört till Xellent"
        case .exportFailed: "Överföringen till Xellent misslyckades"
        }
    }

    /// Where a contract came from, as the back office names it: our own web, app and Mina sidor (`ownWeb`, through
    /// partner-api with a key of our own) apart from the partners' sites.
    public static func channel(_ channel: SalesChannel) -> String {
        switch channel {
        case .partner: "Partner"
        case .ownWeb: "Egen webb/app"
        case .telesales: "Telesales"
        case .customerService: "Kundservice"
        case .foa: "FOA"
        }
    }

    /// The credit check as MKA reads it: made or not and why, the report's outcome, and the e-mail that told the
    /// customer (to whom, when); nil when kontroll recorded no decision.
    public static func credit(_ findings: CheckFindings) -> String? {
        guard let rule = findings.creditRule else { return nil }
        let why =
            switch rule {
            case .newCustomer: "ny kund"
            case .existingCustomer: "befintlig kund i samma roll"
            case .privateContractForSoleProprietor: "privatavtal för en kund registrerad som enskild firma"
            case .soleProprietorshipContractForPrivateCustomer: "enskild firma för en kund registrerad privat"
            case .orderedByMKA: "beställd av MKA"
            }
        guard findings.creditCheckPerformed == true else { return "Ingen kreditupplysning (\(why))" }
        var text = "Kreditupplysning gjord (\(why))"
        if let outcome = findings.creditOutcome {
            text += ": " + (["approved": "godkänd", "denied": "nekad", "referred": "manuell bedömning"][outcome] ?? outcome)
        }
        if let to = findings.creditNoticeRecipient, let at = findings.creditNoticeSentAt {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "sv_SE")
            formatter.timeZone = TimeZone(identifier: "Europe/Stockholm")
            formatter.dateFormat = "yyyy-MM-dd HH:mm"
            text += "; besked skickat till \(to) \(formatter.string(from: at))"
        }
        return text
    }

    /// The states whose outcome arrives within seconds: the status page refreshes itself while in one.
    public static func isTransient(_ state: ContractState) -> Bool {
        state == .stored || state == .finalized
    }

    /// The reason as MKA reads it; `detail` is what the other system said, when the reason is its failure.
    public static func reason(_ reason: NeedsMKAReason, detail: String? = nil) -> String {
        let label =
            switch reason {
            case .facilityIdMissing: "Anläggnings-ID saknas"
            case .facilityUnknown: "Anläggningen finns inte i anläggningsregistret"
            case .facilityPriceAreaMismatch: "Elområdet stämmer inte med anläggningsregistret"
            case .switchTooEarly: "Startdatum före anläggningens tidigaste bytesdatum"
            case .customerConflict: "Kunduppgifterna krockar med kundregistret"
            case .possibleDuplicate: "Möjlig dubblett"
            case .creditDenied: "Kreditupplysningen nekade"
            case .creditReferred: "Kreditupplysningen kräver manuell bedömning"
            case .creditUnavailable: "Kreditupplysningen svarade inte"
            case .signingRejected: "Kunden nekade signering (eller ogiltig kontaktuppgift)"
            case .signingExpired: "Signeringen gick ut"
            case .exportFailed: "Överföringen till Xellent misslyckades"
            case .noProgress: "Ingen tjänst svarade, trots upprepade försök"
            }
        guard reason == .exportFailed || reason == .noProgress, let detail else { return label }
        return label + ": " + detail
    }
}
