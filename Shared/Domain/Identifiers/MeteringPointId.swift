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
        var sum = 0
        for (offset, digit) in digits.prefix(17).reversed().enumerated() {
            sum += digit * (offset.isMultiple(of: 2) ? 3 : 1)
        }
        guard (10 - sum % 10) % 10 == digits[17] else {
            return .failure(IdentifierError(.checksum, "the anläggnings-ID's check digit does not match"))
        }
        return .success(MeteringPointId(value: compact))
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
