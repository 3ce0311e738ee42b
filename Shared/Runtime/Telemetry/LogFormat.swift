public import Configuration

/// How a service writes its log lines to standard error (`LOG_FORMAT`): `text` (swift-log's own lines, the default)
/// or `json` (one object per line, for a log collector). Both carry the current span's `trace_id` and `span_id` when
/// tracing is on, so a line leads to its trace.
public enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json

    /// `LOG_FORMAT`, read before anything else is set up; a value that is neither is a configuration error.
    public static func read(_ reader: ConfigReader) throws(ServiceConfiguration.Invalid) -> LogFormat {
        let value = reader.string(forKey: "log.format", default: LogFormat.text.rawValue)
        guard let format = LogFormat(rawValue: value) else {
            throw ServiceConfiguration.Invalid(description: "LOG_FORMAT must be one of \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return format
    }
}
