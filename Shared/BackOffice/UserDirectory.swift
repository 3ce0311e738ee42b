import AvtalSecrets
public import Foundation
public import Logging
public import PostgresNIO

/// The back office's users in `backoffice.users`.
public struct UserDirectory: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Creates the user, or sets its name, role and password when it exists.
    public func upsert(_ user: User, password: String, cost: UInt8 = Passwords.defaultCost, on connection: PostgresConnection) async throws {
        let hash = try await Passwords.hash(password, cost: cost)
        try await connection.query(
            """
            INSERT INTO backoffice.users (username, display_name, role, password_hash) VALUES (\(user.username), \(user.displayName),
                \(user.role.rawValue), \(hash))
            ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
                password_hash = excluded.password_hash, enabled = true
            """,
            logger: logger
        )
    }

    /// The enabled user whose password this is, or nil. Unknown users cost a bcrypt check too, so timing does not
    /// tell which usernames exist.
    public func authenticate(username: String, password: String, client: PostgresClient) async throws -> User? {
        let rows = try await client.query(
            "SELECT display_name, role, password_hash FROM backoffice.users WHERE username = \(username) AND enabled", logger: logger)
        var found: (User, String)?
        for try await (name, role, hash) in rows.decode((String, String, String).self) {
            if let role = Role(rawValue: role) { found = (User(username: username, displayName: name, role: role), hash) }
        }
        guard let (user, hash) = found else {
            _ = try await Passwords.verify(password, hash: Self.decoyHash.value)
            return nil
        }
        return try await Passwords.verify(password, hash: hash) ? user : nil
    }

    /// A bcrypt hash of a random value, checked against when the username is unknown. Made once, on first need, by
    /// `Passwords` off the cooperative threads: computed in the initializer of a `static let` it held the first
    /// caller's thread for a whole bcrypt (seconds in a debug build), and every caller meanwhile waited on it too.
    static let decoyHash = Task { try await Passwords.hash(SecretTokens.random()) }
}
