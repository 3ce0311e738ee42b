import Crypto
public import Foundation

/// A partner's webhook signing secret in the Standard Webhooks form: `whsec_` and the base64 of 32 random bytes. It
/// is shown to the partner once, when made; we keep it sealed (``SecretSeal``), since signing needs the secret itself.
public struct WebhookSecret: Sendable, Equatable {
    public static let prefix = "whsec_"

    public let bytes: [UInt8]

    public init?(encoded: String) {
        guard encoded.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(encoded.dropFirst(Self.prefix.count))),
            (24...64).contains(data.count)
        else { return nil }
        bytes = Array(data)
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    public static func generate() -> WebhookSecret {
        WebhookSecret(bytes: SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// As the partner is given it.
    public var encoded: String { Self.prefix + Data(bytes).base64EncodedString() }

    /// The `v1` signature of one delivery: HMAC-SHA256 over `id.timestamp.body`, in base64.
    public func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        var message = Array("\(id).\(timestamp).".utf8)
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: bytes))
        return "v1," + Data(code).base64EncodedString()
    }
}

/// The three headers of a signed delivery (Standard Webhooks): the message's id (the same on every retry, so a
/// receiver can drop a repeat), the attempt's time in Unix seconds, and one signature per valid secret, separated by
/// spaces — two while a rotated secret is still in its grace period.
public struct WebhookHeaders: Sendable, Equatable {
    public var id: String
    public var timestamp: Int
    public var signature: String

    public init(id: String, timestamp: Int, body: [UInt8], secrets: [WebhookSecret]) {
        self.id = id
        self.timestamp = timestamp
        self.signature = secrets.map { $0.signature(id: id, timestamp: timestamp, body: body) }.joined(separator: " ")
    }
}
