/// A Swedish personal identity number (personnummer) or coordination number (samordningsnummer), normalised to
/// 12 digits `YYYYMMDDNNNC`.
///
/// Accepts `YYYYMMDDNNNN`, `YYYYMMDD-NNNN`, `YYMMDD-NNNN`, `YYMMDDNNNN` and `YYMMDD+NNNN` (the `+` marks someone
/// aged 100 or more). With two-digit years the century is the latest that does not put the birth date after
/// `today`. A coordination number has 60 added to the day. The last digit is the Luhn check digit over the nine
/// digits `YYMMDDNNN`. Its `description` is masked, so it can never reach a log in full by accident.
public struct Personnummer: Hashable, Sendable, CustomStringConvertible {
    /// The 12 digits, `YYYYMMDDNNNC`.
    public let digits: String
    public let birthDate: CivilDate
    /// Whether it is a samordningsnummer (day + 60).
    public let isCoordinationNumber: Bool

    public static func parse(_ text: String, today: CivilDate) -> Result<Personnummer, IdentifierError> {
        let trimmed = text.trimmingSpaces
        var separator: Character = "-"
        var compact = trimmed
        if trimmed.count == 11 || trimmed.count == 13 {
            let index = trimmed.index(trimmed.endIndex, offsetBy: -5)
            separator = trimmed[index]
            guard separator == "-" || (separator == "+" && trimmed.count == 11) else {
                return .failure(IdentifierError(.format, "a personnummer has the form YYYYMMDDNNNN or YYMMDD-NNNN"))
            }
            compact.remove(at: index)
        }
        guard let digits = compact.decimalDigits, digits.count == 10 || digits.count == 12 else {
            return .failure(IdentifierError(.format, "a personnummer has the form YYYYMMDDNNNN or YYMMDD-NNNN"))
        }
        let ten = Array(digits.suffix(10))
        guard Luhn.checkDigit(ten.prefix(9)) == ten[9] else {
            return .failure(IdentifierError(.checksum, "the personnummer's check digit does not match"))
        }
        let yy = ten[0] * 10 + ten[1]
        let month = ten[2] * 10 + ten[3]
        var day = ten[4] * 10 + ten[5]
        let isCoordination = day > 60
        if isCoordination { day -= 60 }
        let year: Int
        if digits.count == 12 {
            year = digits[0] * 1000 + digits[1] * 100 + yy
        } else {
            var candidate = today.year - (today.year % 100) + yy
            if candidate > today.year || (candidate == today.year && (month, day) > (today.month, today.day)) { candidate -= 100 }
            year = separator == "+" ? candidate - 100 : candidate
        }
        guard let birthDate = CivilDate(year: year, month: month, day: day), birthDate <= today else {
            return .failure(IdentifierError(.date, "the personnummer's date of birth is not a real date in the past"))
        }
        let century = [year / 1000, (year / 100) % 10]
        return .success(
            Personnummer(
                digits: (century + ten).map(String.init).joined(),
                birthDate: birthDate,
                isCoordinationNumber: isCoordination
            )
        )
    }

    /// The personnummer of someone born on `birthDate` with the three-digit `serial` (0–999), with its check digit:
    /// for test data, demos and benchmarks.
    public static func make(born birthDate: CivilDate, serial: Int) -> Personnummer {
        func padded(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        let eleven = padded(birthDate.year, 4) + padded(birthDate.month, 2) + padded(birthDate.day, 2) + padded(serial % 1000, 3)
        let check = Luhn.checkDigit(eleven.dropFirst(2).decimalDigits ?? [])
        return Personnummer(digits: eleven + String(check), birthDate: birthDate, isCoordinationNumber: false)
    }

    /// `YYYYMMDD-****`: enough to tell records apart in a log, not enough to identify anyone.
    public var masked: String { "\(digits.prefix(8))-****" }

    public var description: String { masked }
}

extension String {
    /// The text without leading and trailing whitespace.
    ///
    /// Most text has none: when it starts and ends with a printable ASCII character it is returned as it is, without
    /// walking it by `Character` (which cost a partner's contract ~5 % of partner-api's CPU in validation alone).
    public var trimmingSpaces: String {
        if let first = utf8.first, let last = utf8.last, Self.isPrintableASCII(first), Self.isPrintableASCII(last) { return self }
        return String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// `!` through `~`: a byte that is a whole character of its own and not whitespace.
    private static func isPrintableASCII(_ byte: UInt8) -> Bool { (0x21...0x7E).contains(byte) }
}
