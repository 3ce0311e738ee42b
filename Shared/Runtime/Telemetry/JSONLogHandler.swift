import Foundation
public import Logging

#if canImport(Glibc)
import Glibc
#endif

/// Writes each log record to standard error as one JSON object on one line:
///
///     {"time":"2026-11-30T22:41:07.123Z","level":"info","service":"kontroll","message":"handled",
///      "trace_id":"4bf92f3577b34da6a3ce929d0e0e4736","span_id":"00f067aa0ba902b7","avtal.contract.id":"…"}
///
/// Metadata keys stay as the code names them (the `avtal.` prefix, the provider's `trace_id`/`span_id`); a nested
/// value becomes a JSON object or array. The same rules as for text lines hold: no personal data is ever put in a
/// log record, so none is in a line.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let service: String

    public init(service: String, metadataProvider: Logger.MetadataProvider?) {
        self.service = service
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        let line = Self.line(
            time: Date(), level: event.level, service: service, message: event.message.description, metadata: merged)
        line.withCString { pointer in _ = write(STDERR_FILENO, pointer, strlen(pointer)) }
    }

    /// One record as its line (ending in a newline): the fixed fields first, then the metadata by key.
    static func line(time: Date, level: Logger.Level, service: String, message: String, metadata: Logger.Metadata) -> String {
        var out = "{\"time\":"
        JSONText.append(string: time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)), to: &out)
        out += ",\"level\":"
        JSONText.append(string: level.rawValue, to: &out)
        out += ",\"service\":"
        JSONText.append(string: service, to: &out)
        out += ",\"message\":"
        JSONText.append(string: message, to: &out)
        for key in metadata.keys.sorted() where !["time", "level", "service", "message"].contains(key) {
            out += ","
            JSONText.append(string: key, to: &out)
            out += ":"
            JSONText.append(value: metadata[key]!, to: &out)
        }
        out += "}\n"
        return out
    }
}

/// JSON text for log lines: strings escaped as RFC 8259 requires (quotes, backslashes, control characters).
enum JSONText {
    static func append(string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let control where control.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(control.value, radix: 16).count) + String(control.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    static func append(value: Logger.Metadata.Value, to out: inout String) {
        switch value {
        case .string(let string): append(string: string, to: &out)
        case .stringConvertible(let convertible): append(string: convertible.description, to: &out)
        case .array(let values):
            out += "["
            for (index, element) in values.enumerated() {
                if index > 0 { out += "," }
                append(value: element, to: &out)
            }
            out += "]"
        case .dictionary(let dictionary):
            out += "{"
            for (index, key) in dictionary.keys.sorted().enumerated() {
                if index > 0 { out += "," }
                append(string: key, to: &out)
                out += ":"
                append(value: dictionary[key]!, to: &out)
            }
            out += "}"
        }
    }
}
