/// A value in an AMQP field table: message headers and queue arguments.
///
/// Only the kinds this system writes or reads are modelled; other kinds (decimals, floats, byte arrays) read as
/// ``unsupported`` so that a foreign header never stops a message from being handled.
public enum HeaderValue: Sendable, Equatable, Hashable {
    case string(String)
    case int(Int64)
    case bool(Bool)
    case array([HeaderValue])
    case table([String: HeaderValue])
    case unsupported

    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var intValue: Int64? {
        if case .int(let value) = self { return value }
        return nil
    }
}

extension HeaderValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

/// Headers or arguments by name.
public typealias FieldTable = [String: HeaderValue]
