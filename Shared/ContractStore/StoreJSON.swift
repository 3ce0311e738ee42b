import AvtalDomain
public import Foundation

/// How the store writes contract details and findings as `jsonb`: sorted keys, dates as ``Timestamp``s.
public enum StoreJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try TimestampJSON.encoder.encode(value), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        try TimestampJSON.decoder.decode(type, from: Data(text.utf8))
    }
}
