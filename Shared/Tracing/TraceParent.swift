public import Instrumentation

/// The W3C `traceparent` of a span, as it travels where no task-local context can: in an outbox row, in an AMQP
/// message's headers, in a stored signing round, on an outgoing HTTP request.
///
/// Injection and extraction go through the process's instrument (`InstrumentationSystem`), so with tracing off (the
/// no-op tracer) nothing is written and nothing is read: a row's column stays empty, a message carries no header.
public enum TraceParent {
    public static let header = "traceparent"

    /// The current task's span as a `traceparent`, or nil when there is none (or tracing is off).
    public static func current() -> String? {
        InstrumentationContext.current.flatMap(of)
    }

    /// The span `context` carries as a `traceparent`, or nil when it carries none (or tracing is off).
    public static func of(_ context: InstrumentationContext) -> String? {
        var carrier: [String: String] = [:]
        InstrumentationSystem.instrument.inject(context, into: &carrier, using: DictionaryCarrier())
        return carrier[header]
    }

    /// A context whose span is the one `traceparent` names, to start a child of; the top-level context when it is nil.
    public static func context(from traceparent: String?) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        guard let traceparent else { return context }
        InstrumentationSystem.instrument.extract([header: traceparent], into: &context, using: DictionaryCarrier())
        return context
    }

    /// The trace id a well-formed `traceparent` names (32 lowercase hex digits, not all zero), else nil.
    public static func traceId(of traceparent: String) -> String? {
        let fields = traceparent.split(separator: "-", omittingEmptySubsequences: false)
        guard fields.count >= 4, fields[0].count == 2, fields[1].count == 32, fields[2].count == 16 else { return nil }
        let id = fields[1]
        guard id.allSatisfy({ $0.isHexDigit && !$0.isUppercase }), id.contains(where: { $0 != "0" }) else { return nil }
        return String(id)
    }
}

/// Reads and writes a context's fields in a dictionary of strings.
public struct DictionaryCarrier: Injector, Extractor {
    public init() {}

    public func inject(_ value: String, forKey key: String, into carrier: inout [String: String]) {
        carrier[key] = value
    }

    public func extract(key: String, from carrier: [String: String]) -> String? {
        carrier[key]
    }
}
