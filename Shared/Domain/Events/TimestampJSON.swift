public import Foundation

/// JSON as events and stored contracts have it: sorted keys, slashes as they are, dates as ``Timestamp``s.
///
/// One encoder and one decoder for the whole process, made once: both are safe to share between tasks, and making
/// them anew — with their date closures — for every envelope and every stored contract was measurable (issue 19).
public enum TimestampJSON {
    public static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.string(date))
        }
        return encoder
    }()

    public static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = Timestamp.date(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 timestamp")
        }
        return decoder
    }()
}
