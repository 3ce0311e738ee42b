public import AvtalRuntime
public import Configuration
import Foundation

/// Where a contract's trace is shown (`TRACE_LINK`): a URL with `{traceId}` where the trace's id goes — Jaeger's
/// `https://jaeger.example/trace/{traceId}`, say, or Grafana's Explore. Unset (the default), the contract page shows
/// no link; a contract stored while tracing was off has no trace and so no link either.
public struct TraceLink: Sendable, Equatable {
    public static let placeholder = "{traceId}"
    let template: String

    /// nil when `TRACE_LINK` is unset; refuses (the service does not start) one that is not an http(s) URL with the
    /// placeholder.
    public static func read(_ reader: ConfigReader) throws(ServiceConfiguration.Invalid) -> TraceLink? {
        guard let template = reader.string(forKey: "trace.link"), !template.isEmpty else { return nil }
        let url = URL(string: template.replacingOccurrences(of: placeholder, with: "0"))
        guard template.contains(placeholder), let scheme = url?.scheme?.lowercased(), ["http", "https"].contains(scheme), url?.host != nil
        else {
            throw ServiceConfiguration.Invalid(description: "TRACE_LINK must be an http(s) URL holding \(placeholder)")
        }
        return TraceLink(template: template)
    }

    /// The link to trace `traceId` (32 hex digits, as ``StoredContract/traceId`` gives it).
    public func url(traceId: String) -> String {
        template.replacingOccurrences(of: Self.placeholder, with: traceId)
    }
}
