public import AvtalDomain

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

    /// The states whose outcome arrives within seconds: the status page refreshes itself while in one.
    public static func isTransient(_ state: ContractState) -> Bool {
        state == .stored || state == .finalized
    }

    public static func reason(_ code: String) -> String {
        switch code {
        case "facility.id_missing": "Anläggnings-ID saknas"
        case "facility.unknown": "Anläggningen finns inte i anläggningsregistret"
        case "facility.price_area_mismatch": "Elområdet stämmer inte med anläggningsregistret"
        case "facility.switch_too_early": "Startdatum före anläggningens tidigaste bytesdatum"
        case "customer.register_conflict": "Kunduppgifterna krockar med kundregistret"
        case "contract.possible_duplicate": "Möjlig dubblett"
        case "credit.denied": "Kreditupplysningen nekade"
        case "credit.referred": "Kreditupplysningen kräver manuell bedömning"
        case "credit.unavailable": "Kreditupplysningen svarade inte"
        case "signing.rejected": "Kunden nekade signering (eller ogiltig kontaktuppgift)"
        case "signing.expired": "Signeringen gick ut"
        case let code where code.hasPrefix("export.failed: "): "Överföringen till Xellent misslyckades: " + code.dropFirst(15)
        default: code
        }
    }
}
