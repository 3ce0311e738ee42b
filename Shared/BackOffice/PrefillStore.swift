import AvtalSecrets
public import Foundation
public import Hummingbird
public import Logging
import NIOCore
public import PostgresNIO

/// Form data that arrived in a link from Lime, kept on the server (`backoffice.form_prefills`) under a random token,
/// so that the personal data never travels further in a URL — not through the login page, not in a redirect. The
/// first logged-in user who opens the token claims it; nobody else can read it, and it expires after an hour.
///
/// Anyone may follow such a link before logging in, so one client may leave at most ``unclaimedPerClient`` unclaimed
/// in an hour: more is refused, and nobody can fill the table.
public struct PrefillStore: Sendable {
    public static let lifetime: TimeInterval = 3600
    public static let unclaimedPerClient = 20

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Keeps `fields` left by the client at `clientAddress`; answers the token that names them, or nil when that client
    /// already has ``unclaimedPerClient`` unclaimed.
    public func keep(_ fields: [String: String], clientAddress: String, now: Date = Date()) async throws -> String? {
        let token = SecretTokens.random()
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        let clientDigest = TokenDigest.of("client:" + clientAddress)
        return try await client.withTransaction(logger: logger) { connection -> String? in
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\("prefill:" + clientAddress)))", logger: logger)
            try await connection.query("DELETE FROM backoffice.form_prefills WHERE expires_at < \(now)", logger: logger)
            let rows = try await connection.query(
                """
                SELECT count(*) FROM backoffice.form_prefills
                WHERE client_digest = \(clientDigest) AND claimed_by IS NULL AND created_at > \(now.addingTimeInterval(-Self.lifetime))
                """, logger: logger)
            var unclaimed = 0
            for try await count in rows.decode(Int.self) { unclaimed = count }
            guard unclaimed < Self.unclaimedPerClient else { return nil }
            try await connection.query(
                """
                INSERT INTO backoffice.form_prefills (token_digest, fields, expires_at, client_digest, created_at)
                VALUES (\(TokenDigest.of(token)), \(json)::jsonb, \(now.addingTimeInterval(Self.lifetime)), \(clientDigest), \(now))
                """,
                logger: logger)
            return token
        }
    }

    /// The answer to a client that has left too many links unclaimed.
    public static func tooMany(_ auth: BackOfficeAuth) -> Response {
        auth.page(
            "error", ["title": "För många öppna länkar", "message": "Logga in och öppna länkarna du redan har följt, eller vänta en stund."],
            status: .tooManyRequests)
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
