/// An anläggnings-ID: the 18-digit GSRN of a metering point, always starting `735999`, ending with a GS1 mod-10
/// check digit (weights 3, 1, 3, … from the rightmost data digit).
public struct MeteringPointId: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: String

    public static func parse(_ text: String) -> Result<MeteringPointId, IdentifierError> {
        let compact = text.filter { $0 != " " }
        guard let digits = compact.decimalDigits, digits.count == 18 else {
            return .failure(IdentifierError(.format, "an anläggnings-ID has 18 digits"))
        }
        guard compact.hasPrefix("735999") else {
            return .failure(IdentifierError(.range, "a Swedish anläggnings-ID starts with 735999"))
        }
        guard checkDigit(digits.prefix(17)) == digits[17] else {
            return .failure(IdentifierError(.checksum, "the anläggnings-ID's check digit does not match"))
        }
        return .success(MeteringPointId(value: compact))
    }

    /// The GS1 mod-10 check digit of the 17 digits before it.
    static func checkDigit(_ digits: some BidirectionalCollection<Int>) -> Int {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            sum += digit * (offset.isMultiple(of: 2) ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }

    /// The anläggnings-ID whose 17 digits are `body` (which must be 17 decimal digits starting `735999`), with its
    /// check digit: for test data, demos and benchmarks.
    public static func completing(_ body: String) -> MeteringPointId? {
        guard body.count == 17, let digits = body.decimalDigits else { return nil }
        return try? parse(body + String(checkDigit(digits))).get()
    }

    /// A valid anläggnings-ID, distinct for each `sequence` below 10⁹, for demos and benchmarks: its 7th digit is 3
    /// and its 13th 0, which the sandbox's facility register reads as a known facility in SE3 (docs/sandbox.md).
    public static func synthetic(_ sequence: Int) -> MeteringPointId {
        let digits = String(sequence % 1_000_000_000)
        let padded = String(repeating: "0", count: 9 - digits.count) + digits
        return completing("7359993" + padded.prefix(5) + "0" + padded.suffix(4))!
    }

    public var description: String { value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        switch Self.parse(try container.decode(String.self)) {
        case .success(let id): self = id
        case .failure(let error): throw DecodingError.dataCorruptedError(in: container, debugDescription: error.message)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }

    private init(value: String) {
        self.value = value
    }
}
