public import AvtalDomain

/// Validation issues as the form shows them: a Swedish sentence next to each field, facility issues next to the
/// facility list with their line number. Pure.
public struct FieldErrors: Sendable, Equatable {
    public private(set) var byField: [String: [String]] = [:]

    public init(_ failure: ValidationFailure? = nil) {
        for issue in failure?.issues ?? [] {
            add(issue)
        }
    }

    public var isEmpty: Bool { byField.isEmpty }

    /// An issue about one line of a list (`facilities[2].meteringPointId`, `specialTerms.contacts[0]`) goes next to the
    /// list's field, with the line number.
    public mutating func add(_ issue: ValidationIssue) {
        let field = issue.field
        if let open = field.firstIndex(of: "["), let close = field[open...].firstIndex(of: "]"),
            let line = Int(field[field.index(after: open)..<close])
        {
            let part = String(field[field.index(after: close)...].drop { $0 == "." })
            let where_ = part.isEmpty ? "Rad \(line + 1)" : "Rad \(line + 1), \(Self.partName(part))"
            byField[String(field[..<open]), default: []].append("\(where_): \(Self.sentence(issue))")
        } else {
            byField[field, default: []].append(Self.sentence(issue))
        }
    }

    /// The Swedish sentence for an issue's code; the English message of the shared rules where no code fits.
    static func sentence(_ issue: ValidationIssue) -> String {
        switch (issue.field, issue.code) {
        case ("startDate", "too_early"):
            return "För tidigt: ett leverantörsbyte startar tidigast \(ContractValidator.switchNoticeDays) dagar fram, en inflyttning tidigast i dag."
        case ("startDate", "too_late"): return "För sent: ett avtal startar högst \(ContractValidator.maximumMonthsAhead) månader fram."
        case ("callDirection", "required"): return "Välj vem som ringde."
        case ("signatureMethod", "required"): return "Vi ringde kunden: välj BankID, e-post eller SMS."
        case ("signatureMethod", "not_applicable"): return "Kunden ringde oss: inget avtal att signera, välj ingen signeringstyp."
        case ("signer", "required"): return "Ett företagsavtal behöver den som skriver under."
        case ("customer.type", "kind_mismatch"): return "Avtalstypen passar inte kunden."
        case ("kind", "not_allowed"): return "Företags- och massavtal säljs av företagssäljare: välj privatavtal."
        case ("customer.phone", "required"), ("signer.mobile", "required"): return "SMS-signering behöver ett svenskt mobilnummer."
        default: break
        }
        switch issue.code {
        case "required": return "Måste fyllas i."
        case "too_long": return "För lång."
        case "format": return "Har fel format."
        case "checksum": return "Kontrollsiffran stämmer inte."
        case "date": return "Datumet i numret finns inte."
        case "range": return "Värdet är inte tillåtet."
        case "duplicate": return "Samma anläggning står två gånger."
        case "too_many": return "För många anläggningar (högst \(ContractValidator.maximumFacilities))."
        case "too_many_cells": return "Skriv anläggnings-ID; elområde; årsförbrukning."
        case "file_unreadable": return "Filen kunde inte läsas: ladda upp en CSV-fil eller en XLSX-arbetsbok (Excel)."
        case "ids_as_numbers":
            return "Anläggnings-ID:n är sparade som tal i kalkylarket och har tappat siffror (rad \(issue.message)): "
                + "formatera kolumnen som text, skriv in ID:na igen och ladda upp filen."
        case "unknown": return "Välj en produkt i listan."
        case "not_applicable": return "Ska inte fyllas i här."
        default: return issue.message
        }
    }

    static func partName(_ part: String) -> String {
        switch part {
        case "meteringPointId": "anläggnings-ID"
        case "priceArea": "elområde"
        case "annualConsumptionKwh": "årsförbrukning"
        case "priceOrePerKwh": "pris"
        case "name": "namn"
        case "email": "e-post"
        case "phone": "telefon"
        default: part
        }
    }
}
