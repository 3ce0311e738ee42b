import Crypto
public import Foundation

/// Seals the partners' webhook secrets before they reach the database (AES-256-GCM), under a key the database never
/// holds (`WEBHOOK_SECRET_KEY`, 32 bytes in base64): a copy of the database alone signs nothing.
public struct SecretSeal: Sendable {
    private let key: SymmetricKey

    /// nil unless `base64Key` is 32 bytes in base64.
    public init?(base64Key: String) {
        guard let data = Data(base64Encoded: base64Key), data.count == 32 else { return nil }
        key = SymmetricKey(data: data)
    }

    /// The key every local run uses (`make up`, `make test`); refused outside local mode.
    public static let localKey = Data("avtalsflode-local-webhook-seal!!".utf8).base64EncodedString()

    public func seal(_ secret: WebhookSecret) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(secret.bytes, using: key).combined else { throw SealError.unsealable }
        return Array(combined)
    }

    public func open(_ sealed: [UInt8]) throws -> WebhookSecret {
        let opened = try AES.GCM.open(try AES.GCM.SealedBox(combined: sealed), using: key)
        return WebhookSecret(bytes: Array(opened))
    }

    enum SealError: Error {
        case unsealable
    }
}
