import Foundation

/// Encodes and decodes envelopes as JSON with millisecond ISO 8601 timestamps (see ``Timestamp``).
public enum EnvelopeCoding {
    /// Why a message body is not an envelope we can use.
    public struct DecodingFailure: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public static func encode<Payload>(_ envelope: EventEnvelope<Payload>) throws -> [UInt8] {
        Array(try TimestampJSON.encoder.encode(envelope))
    }

    /// Reads only the header, so an unknown type or version can be refused before its payload is looked at.
    public static func decodeHeader(_ body: some Collection<UInt8>) throws(DecodingFailure) -> EnvelopeHeader {
        let header: EnvelopeHeader
        do {
            header = try TimestampJSON.decoder.decode(EnvelopeHeader.self, from: Data(body))
        } catch {
            throw DecodingFailure(description: "not an event envelope: \(describe(error))")
        }
        guard !header.type.isEmpty, header.version >= 1 else {
            throw DecodingFailure(description: "envelope has an empty type or a version below 1")
        }
        return header
    }

    public static func decode<Payload>(
        _ type: Payload.Type,
        from body: some Collection<UInt8>
    ) throws(DecodingFailure) -> EventEnvelope<Payload> {
        do {
            return try TimestampJSON.decoder.decode(EventEnvelope<Payload>.self, from: Data(body))
        } catch {
            throw DecodingFailure(description: "payload is not a valid \(Payload.eventType): \(describe(error))")
        }
    }

    /// A short, value-free description of a decoding error: which field and what kind of problem, never the data,
    /// since a body may hold personal data.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? "the document" : "'\(path)'"
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "missing '\(key.stringValue)'" + (context.codingPath.isEmpty ? "" : " in \(parent)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "wrong type at \(path(context))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty ? "invalid JSON" : "invalid value at \(path(context))"
        @unknown default:
            return "invalid JSON"
        }
    }
}
