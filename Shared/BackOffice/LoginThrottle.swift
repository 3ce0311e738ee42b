public import Foundation
public import Logging
public import PostgresNIO

/// At most `perUser` attempts per username and `perAddress` per client address within `window`, counted in the
/// database so every replica shares them. An attempt is reserved — counted — before its password is checked, under a
/// lock per key, so that parallel attempts cannot all pass the check before any is recorded; a successful attempt's
/// reservation is released, a failed one's stays until the window has passed. Nothing an attacker sends clears a count.
public struct LoginThrottle: Sendable {
    public let perUser: Int
    public let perAddress: Int
    public let window: Duration
    let logger: Logger

    public init(perUser: Int = 5, perAddress: Int = 20, window: Duration = .seconds(900), logger: Logger) {
        self.perUser = perUser
        self.perAddress = perAddress
        self.window = window
        self.logger = logger
    }

    /// A reserved attempt: its rows, released if the password is right.
    public struct Reservation: Sendable {
        let ids: [Int64]
    }

    /// Reserves an attempt for `username` from `address`; nil when either has used up its attempts in the window.
    public func reserve(username: String, address: String, client: PostgresClient) async throws -> Reservation? {
        let keys = [("user:" + username, perUser), ("address:" + address, perAddress)].sorted { $0.0 < $1.0 }
        let seconds = Double(window.components.seconds)
        return try await client.withTransaction(logger: logger) { connection -> Reservation? in
            // Both keys locked (in one order, so two attempts never wait on each other crosswise), both counted, and
            // only then both recorded: a refused attempt records nothing, so no one can use up a stranger's attempts.
            for (key, _) in keys {
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext(\(key)))", logger: logger)
            }
            for (key, limit) in keys {
                let rows = try await connection.query(
                    """
                    SELECT count(*) FROM backoffice.login_attempts WHERE key = \(key) AND at > now() - make_interval(secs => \(seconds))
                    """, logger: logger)
                var used = 0
                for try await count in rows.decode(Int.self) { used = count }
                guard used < limit else { return nil }
            }
            var ids: [Int64] = []
            for (key, _) in keys {
                let inserted = try await connection.query(
                    "INSERT INTO backoffice.login_attempts (key) VALUES (\(key)) RETURNING id", logger: logger)
                for try await id in inserted.decode(Int64.self) { ids.append(id) }
            }
            // Now and then, forget what no window remembers.
            if Int.random(in: 0..<100) == 0 {
                try await connection.query(
                    "DELETE FROM backoffice.login_attempts WHERE at < now() - make_interval(secs => \(seconds))", logger: logger)
            }
            return Reservation(ids: ids)
        }
    }

    /// The password was right: the attempt does not count.
    public func release(_ reservation: Reservation, client: PostgresClient) async throws {
        try await client.query("DELETE FROM backoffice.login_attempts WHERE id = ANY(\(reservation.ids))", logger: logger)
    }
}
