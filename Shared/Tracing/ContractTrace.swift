public import Instrumentation
public import Tracing

/// A contract keeps one trace from its intake to its end, although some of its steps start elsewhere: a person's
/// decision days later, GetAccept's webhook. Such a step runs in a span of the contract's trace — a child of the span
/// stored with it — linked to the span it started in (the request that decided); a step already in the contract's
/// trace (an event it caused) is simply a child of the current span.
public enum ContractTrace {
    /// Runs `operation` in a span named `name`, in the trace `stored` (a `traceparent`) names, as described above;
    /// with nothing stored, a child of the current span.
    public static func withSpan<T>(
        _ name: String, continuing stored: String?, isolation: isolated (any Actor)? = #isolation, _ operation: (any Span) async throws -> T
    ) async rethrows -> T {
        let current = InstrumentationContext.current
        let currentTraceparent = current.flatMap(TraceParent.of)
        let storedTrace = stored.flatMap(TraceParent.traceId(of:))
        let inTrace = storedTrace == nil || currentTraceparent.flatMap(TraceParent.traceId(of:)) == storedTrace
        let parent = inTrace ? (current ?? .topLevel) : TraceParent.context(from: stored)
        return try await Tracing.withSpan(name, context: parent) { span in
            if !inTrace, let current, currentTraceparent != nil { span.addLink(SpanLink(context: current, attributes: [:])) }
            return try await operation(span)
        }
    }
}
