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

    public mutating func add(_ issue: ValidationIssue) {
        if issue.field.hasPrefix("facilities["), let close = issue.field.firstIndex(of: "]"),
            let line = Int(issue.field[issue.field.index(issue.field.startIndex, offsetBy: 11)..<close])
        {
            let part = issue.field[issue.field.index(after: close)...].drop { $0 == "." }
            byField["facilities", default: []].append("Rad \(line + 1), \(Self.partName(String(part))): \(Self.sentence(issue))")
        } else {
            byField[issue.field, default: []].append(Self.sentence(issue))
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
        default: part
        }
    }
}
