/// Why a value is not a valid identifier: a stable, machine-readable code and a sentence for a person.
/// The message never repeats the value, which may be personal data.
public struct IdentifierError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Wrong length or characters.
        public static let format = Code(rawValue: "format")
        /// The check digit does not match.
        public static let checksum = Code(rawValue: "checksum")
        /// The date part is not a real date, or lies in the future.
        public static let date = Code(rawValue: "date")
        /// A part of it has a value the rules never allow (an organisationsnummer's month digits, a GSRN prefix).
        public static let range = Code(rawValue: "range")

        public var description: String { rawValue }
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
