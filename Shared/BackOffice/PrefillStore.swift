import AvtalSecrets
public import Foundation
public import Logging
import NIOCore
public import PostgresNIO

/// Form data that arrived in a link from Lime, kept on the server (`backoffice.form_prefills`) under a random token,
/// so that the personal data never travels further in a URL — not through the login page, not in a redirect. The
/// first logged-in user who opens the token claims it; nobody else can read it, and it expires after an hour.
public struct PrefillStore: Sendable {
    public static let lifetime: TimeInterval = 3600

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Keeps `fields`; answers the token that names them.
    public func keep(_ fields: [String: String], now: Date = Date()) async throws -> String {
        let token = SecretTokens.random()
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("DELETE FROM backoffice.form_prefills WHERE expires_at < \(now)", logger: logger)
            try await connection.query(
                """
                INSERT INTO backoffice.form_prefills (token_digest, fields, expires_at)
                VALUES (\(TokenDigest.of(token)), \(json)::jsonb, \(now.addingTimeInterval(Self.lifetime)))
                """,
                logger: logger)
        }
        return token
    }

    /// The fields under `token` for `username`: claims them for that user the first time; nil when unknown,
    /// expired or claimed by someone else.
    public func open(_ token: String, for username: String, now: Date = Date()) async throws -> [String: String]? {
        guard token.count == 43 else { return nil }
        let rows = try await client.query(
            """
            UPDATE backoffice.form_prefills SET claimed_by = COALESCE(claimed_by, \(username))
            WHERE token_digest = \(TokenDigest.of(token)) AND expires_at > \(now) AND COALESCE(claimed_by, \(username)) = \(username)
            RETURNING fields::text
            """,
            logger: logger)
        for try await json in rows.decode(String.self) {
            return try JSONDecoder().decode([String: String].self, from: Data(json.utf8))
        }
        return nil
    }

}
