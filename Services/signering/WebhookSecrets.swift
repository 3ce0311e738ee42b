import AvtalSecrets
import Crypto
import Foundation

/// The secret in our webhook URL. GetAccept signs nothing and takes only a target URL, so the secret has to travel in
/// it; everywhere else it is kept out of sight: logs and the database see the URL with the secret masked, the
/// subscription is known by the URL's SHA-256, and a change of secret has two valid at once — the current one, which
/// new subscriptions use, and the previous one (`GETACCEPT_WEBHOOK_SECRET_PREVIOUS`), still accepted until GetAccept's
/// old subscriptions are gone (docs/signing.md).
struct WebhookSecrets: Sendable {
    let current: String
    let previous: String?

    /// Whether `given` is one of the valid secrets, compared in constant time.
    func accepts(_ given: String) -> Bool {
        SecretTokens.equal(given, current) || previous.map { SecretTokens.equal(given, $0) } == true
    }

    /// The URL GetAccept is to call, under `publicURL`.
    func targetURL(publicURL: String) -> String {
        "\(publicURL)/\(WebhookRoutes.path)/\(current)"
    }

    /// A target URL as logs and the database may see it: its last segment, the secret, masked.
    static func masked(_ targetURL: String) -> String {
        guard let slash = targetURL.lastIndex(of: "/") else { return "***" }
        return targetURL[...slash] + "***"
    }

    /// What identifies a target URL without holding the secret: its SHA-256.
    static func digest(_ targetURL: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(targetURL.utf8)))
    }
}
