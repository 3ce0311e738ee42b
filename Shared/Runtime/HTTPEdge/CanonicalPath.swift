/// Whether a request path is spelled the one way our routes are: the router ignores empty segments (`//v1/contracts`
/// would reach `/v1/contracts`), so a check keyed on the path's spelling could be walked around. Every service refuses
/// any other spelling before routing, so every spelling of a path meets the same checks. Pure.
public enum CanonicalPath {
    /// The longest path any of our routes needs, with room to spare.
    public static let maximumLength = 1024

    /// Why `path` is not canonical, or nil when it is: starts with `/`; no empty, `.` or `..` segment; no trailing `/`
    /// (but `/` itself); no `\`; percent-encoding only of what must be encoded (never of a letter, digit, `-._~`, `/`,
    /// `\` or `%`), with two hex digits; at most ``maximumLength`` bytes.
    public static func problem(in path: String) -> String? {
        let bytes = Array(path.utf8)
        guard bytes.count <= maximumLength else { return "the path is longer than \(maximumLength) bytes" }
        guard bytes.first == UInt8(ascii: "/") else { return "the path must start with /" }
        guard path != "/" else { return nil }
        if bytes.last == UInt8(ascii: "/") { return "the path must not end with /" }
        if bytes.contains(UInt8(ascii: "\\")) { return "the path must not contain \\" }
        for segment in path.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
            if segment.isEmpty { return "the path must not contain //" }
            if segment == "." || segment == ".." { return "the path must not contain . or .. segments" }
        }
        var index = 0
        while index < bytes.count {
            defer { index += 1 }
            guard bytes[index] == UInt8(ascii: "%") else { continue }
            guard index + 2 < bytes.count, let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) else {
                return "a % in the path must be followed by two hex digits"
            }
            if mustNotBeEncoded(high << 4 | low) { return "the path encodes a character that needs no encoding" }
            index += 2
        }
        return nil
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Unreserved characters (RFC 3986), and the separators a decoding router could take for structure.
    private static func mustNotBeEncoded(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"), UInt8(ascii: "\\"), UInt8(ascii: "%"):
            true
        case 0: true
        default: false
        }
    }
}
