import AvtalDomain

/// The fields of a posted HTML form or of a query string (`application/x-www-form-urlencoded`): the last value of
/// each name, `+` as a space, percent-decoded. A pair with a broken escape or invalid UTF-8 is dropped. Pure.
public struct FormFields: Sendable, Equatable {
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// Parses `a=1&b=two+words`; a query string without its `?`.
    public init(urlEncoded text: Substring) {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), !name.isEmpty, let value = parts.count > 1 ? Self.decode(parts[1]) : "" else { continue }
            values[name] = value
        }
        self.values = values
    }

    public init(urlEncoded text: String) {
        self.init(urlEncoded: text[...])
    }

    /// Parses a posted form's body as ``init(urlEncoded:)`` does, but refuses the whole body — nil — for what no page
    /// of ours sends: a broken escape, text that is not UTF-8, a name with brackets (`a[`, `a[b]`). One pass over the
    /// body (issue 19: a second parser's look at it, only to refuse these, cost more than reading the fields).
    public init?(strictlyURLEncoded text: Substring) {
        var values: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(parts[0]), let value = parts.count > 1 ? Self.decode(parts[1]) : "",
                !name.contains(where: { $0 == "[" || $0 == "]" })
            else { return nil }
            if !name.isEmpty { values[name] = value }
        }
        self.values = values
    }

    public subscript(name: String) -> String? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// The value with surrounding spaces removed, or nil when it is missing or blank.
    public func text(_ name: String) -> String? {
        guard let value = values[name]?.trimmingSpaces, !value.isEmpty else { return nil }
        return value
    }

    /// A checkbox: present and not "off"/"false".
    public func isChecked(_ name: String) -> Bool {
        guard let value = values[name] else { return false }
        return !["", "off", "false", "0"].contains(value)
    }

    static func decode(_ component: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(component.utf8.count)
        var iterator = component.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                bytes.append(high << 4 | low)
            default: bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
