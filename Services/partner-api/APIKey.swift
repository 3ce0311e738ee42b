import AvtalSecrets
import Crypto
import Foundation

/// A partner's API key: `avtal_` and 43 characters of base64url from 32 random bytes (256 bits), shown once when
/// issued. Only its SHA-256 digest is stored: a key this long cannot be guessed, so a fast digest is enough, and a
/// slow password hash would cap the API at tens of requests per second.
public struct APIKey: Sendable, Equatable {
    public static let scheme = "avtal_"

    public let value: String

    public init(value: String) {
        self.value = value
    }

    public static func generate() -> APIKey {
        APIKey(value: scheme + SecretTokens.random())
    }

    public var digest: [UInt8] { Array(SHA256.hash(data: Data(value.utf8))) }

    /// The first characters, to tell keys apart in listings without revealing them.
    public var prefix: String { String(value.prefix(Self.scheme.count + 6)) }
}
