/// The name of a service's PostgreSQL schema, checked to be a plain lower-case identifier so that it can be
/// written into SQL (schemas cannot be query parameters).
public struct SchemaName: Sendable, Hashable, CustomStringConvertible {
    public let name: String

    /// nil unless `name` is 1–63 characters of `a-z`, `0-9` and `_`, not starting with a digit.
    public init?(_ name: String) {
        guard (1...63).contains(name.utf8.count),
            let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
            name.utf8.allSatisfy({
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "_")
            })
        else { return nil }
        self.name = name
    }

    public var description: String { name }

    /// The channel the relays of every process listen on, for rows another process wrote (`Outbox.wakeRelays`).
    public var outboxChannel: String { "\(name)_outbox" }
}

extension SchemaName: ExpressibleByStringLiteral {
    /// A schema name written in the code; an invalid one is a programming error.
    public init(stringLiteral name: String) {
        guard let schema = SchemaName(name) else { preconditionFailure("'\(name)' is not a valid schema name") }
        self = schema
    }
}
