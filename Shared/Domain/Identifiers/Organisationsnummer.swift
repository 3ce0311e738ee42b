/// A Swedish organisation number, normalised to `NNNNNN-NNNC`.
///
/// Accepts `NNNNNN-NNNN`, `NNNNNNNNNN` and the 12-digit form with the `16` prefix. Digits 3–4 are at least 20 (so it
/// is never a date), and the last digit is the Luhn check digit. A sole proprietorship (enskild firma) has none: it
/// uses its owner's ``Personnummer``.
public struct Organisationsnummer: Hashable, Sendable, CustomStringConvertible {
    public enum Group: Int, Sendable {
        case estate = 1, stateOrMunicipality, foreignCompany, unused4, aktiebolag, simplePartnership, economicAssociation,
            nonProfitOrFoundation, tradingOrLimitedPartnership
    }

    /// `NNNNNN-NNNC`.
    public let value: String
    public let group: Group

    public static func parse(_ text: String) -> Result<Organisationsnummer, IdentifierError> {
        var compact = text.trimmingSpaces
        if compact.count == 11, compact[compact.index(compact.startIndex, offsetBy: 6)] == "-" {
            compact.remove(at: compact.index(compact.startIndex, offsetBy: 6))
        }
        guard var digits = compact.decimalDigits, digits.count == 10 || (digits.count == 12 && digits.starts(with: [1, 6])) else {
            return .failure(IdentifierError(.format, "an organisationsnummer has the form NNNNNN-NNNN"))
        }
        if digits.count == 12 { digits.removeFirst(2) }
        guard digits[2] * 10 + digits[3] >= 20, let group = Group(rawValue: digits[0]), group != .unused4 else {
            return .failure(IdentifierError(.range, "not an organisationsnummer (its third and fourth digits are below 20, or its group is unknown)"))
        }
        guard Luhn.checkDigit(digits.prefix(9)) == digits[9] else {
            return .failure(IdentifierError(.checksum, "the organisationsnummer's check digit does not match"))
        }
        let text = digits.map(String.init).joined()
        return .success(Organisationsnummer(value: "\(text.prefix(6))-\(text.suffix(4))", group: group))
    }

    /// The aktiebolag numbered `55NNNN-SSSC`: `number` (0–7999) picks the four digits after `55` (2000 + `number`, so
    /// digits 3–4 are at least 20), `serial` (0–999) the three before the check digit (the sandbox reads those,
    /// docs/sandbox.md). For test data, demos and benchmarks.
    public static func make(number: Int, serial: Int) -> Organisationsnummer {
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let nine = "55" + String(2000 + number % 8000) + padded(serial % 1000, 3)
        let check = Luhn.checkDigit(nine.decimalDigits ?? [])
        return Organisationsnummer(value: "\(nine.prefix(6))-\(nine.suffix(3))\(check)", group: .aktiebolag)
    }

    public var description: String { value }
}
