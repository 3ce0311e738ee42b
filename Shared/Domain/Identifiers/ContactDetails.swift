/// A Swedish postal code, normalised to `NNN NN`.
public struct PostalCode: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public static func parse(_ text: String) -> Result<PostalCode, IdentifierError> {
        let compact = text.filter { $0 != " " }
        guard let digits = compact.decimalDigits, digits.count == 5, digits[0] != 0 else {
            return .failure(IdentifierError(.format, "a postnummer has five digits, written NNN NN"))
        }
        return .success(PostalCode(value: "\(compact.prefix(3)) \(compact.suffix(2))"))
    }

    public var description: String { value }
}

/// An e-mail address, checked for the shape mail systems accept (not whether it exists); the domain is lower-cased.
public struct EmailAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public static func parse(_ text: String) -> Result<EmailAddress, IdentifierError> {
        let trimmed = text.trimmingSpaces
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        let invalid = IdentifierError(.format, "not an e-mail address")
        guard trimmed.utf8.count <= 254, parts.count == 2, (1...64).contains(parts[0].utf8.count), !parts[1].isEmpty else {
            return .failure(invalid)
        }
        let local = parts[0]
        let domain = parts[1].lowercased()
        let localAllowed = local.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "!#$%&'*+/=?^_`{|}~.-".unicodeScalars.contains($0))
        }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        let domainAllowed =
            labels.count >= 2
            && labels.allSatisfy { label in
                (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
            } && labels.last!.count >= 2
        guard localAllowed, domainAllowed, !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..") else {
            return .failure(invalid)
        }
        return .success(EmailAddress(value: "\(local)@\(domain)"))
    }

    /// `a***@example.se`, for logs.
    public var masked: String {
        guard let at = value.firstIndex(of: "@") else { return "***" }
        return "\(value.prefix(1))***\(value[at...])"
    }

    public var description: String { masked }
}

/// A phone number in E.164 (`+46701234567`). Swedish numbers may be written nationally (`070-123 45 67`) or with
/// `0046`/`+46`; other countries' numbers must start with `+`.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    public let e164: String

    public static func parse(_ text: String) -> Result<PhoneNumber, IdentifierError> {
        let compact = text.filter { !" -()/.".contains($0) }
        let invalid = IdentifierError(.format, "not a phone number (write it as 070-123 45 67 or +46 70 123 45 67)")
        let national: Substring
        if compact.hasPrefix("+46") {
            national = compact.dropFirst(3)
        } else if compact.hasPrefix("0046") {
            national = compact.dropFirst(4)
        } else if compact.hasPrefix("+") {
            guard let digits = compact.dropFirst().decimalDigits, (8...15).contains(digits.count), digits.first != 0 else { return .failure(invalid) }
            return .success(PhoneNumber(e164: compact))
        } else if compact.hasPrefix("0") {
            national = compact.dropFirst()
        } else {
            return .failure(invalid)
        }
        let withoutTrunk = national.hasPrefix("0") ? national.dropFirst() : national
        guard let digits = withoutTrunk.decimalDigits, (7...9).contains(digits.count), digits.first != 0 else {
            return .failure(invalid)
        }
        return .success(PhoneNumber(e164: "+46\(withoutTrunk)"))
    }

    /// Whether it is a Swedish mobile number (`+467…`, nine national digits), which SMS signing needs.
    public var isSwedishMobile: Bool { e164.hasPrefix("+467") && e164.count == 12 }

    /// `+4670*****67`, for logs.
    public var masked: String { "\(e164.prefix(5))*****\(e164.suffix(2))" }

    public var description: String { masked }
}

/// The four Swedish electricity price areas.
public enum PriceArea: String, Codable, Sendable, CaseIterable {
    case se1 = "SE1"
    case se2 = "SE2"
    case se3 = "SE3"
    case se4 = "SE4"
}
