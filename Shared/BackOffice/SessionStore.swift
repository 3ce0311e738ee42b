import AvtalSecrets
public import Foundation
public import Logging
import NIOCore
public import PostgresNIO

/// Sessions in `backoffice.sessions`: the cookie carries a random 256-bit token, the table only its SHA-256, with
/// the session's CSRF token and expiry.
public struct SessionStore: Sendable {
    public struct Session: Sendable, Equatable {
        public var user: User
        public var csrfToken: String
    }

    public static let lifetime: TimeInterval = 10 * 3600

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Starts a session; answers the cookie's token.
    public func start(for user: User, now: Date = Date()) async throws -> (token: String, session: Session) {
        let token = SecretTokens.random()
        let csrf = SecretTokens.random()
        try await client.query(
            """
            INSERT INTO backoffice.sessions (token_digest, username, csrf_token, expires_at)
            VALUES (\(TokenDigest.of(token)), \(user.username), \(csrf), \(now.addingTimeInterval(Self.lifetime)))
            """,
            logger: logger)
        return (token, Session(user: user, csrfToken: csrf))
    }

    public func session(token: String, now: Date = Date()) async throws -> Session? {
        guard token.count == 43 else { return nil }
        let rows = try await client.execute(SessionLookup(tokenDigest: TokenDigest.of(token), now: now), logger: logger)
        for try await (username, name, role, csrf) in rows {
            guard let role = Role(rawValue: role) else { return nil }
            return Session(user: User(username: username, displayName: name, role: role), csrfToken: csrf)
        }
        return nil
    }

    public func end(token: String) async throws {
        try await client.query("DELETE FROM backoffice.sessions WHERE token_digest = \(TokenDigest.of(token))", logger: logger)
    }

}
