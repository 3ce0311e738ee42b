public import Foundation
public import Logging
public import PostgresNIO

/// One special contract being built in FOA, as saved.
public struct Draft: Sendable, Equatable {
    public var foaId: String
    public var fields: [String: String]
    public var version: Int
    public var isReady: Bool
    public var contractId: UUID?
    public var updatedBy: String
    public var updatedAt: Date
}

/// The drafts in `foa.drafts`, one per FOA id, saved under optimistic concurrency: a save names the version the
/// seller's page showed (0 for a draft not saved yet), and a draft someone else saved since is not overwritten.
public struct DraftStore: Sendable {
    public enum SaveOutcome: Sendable, Equatable {
        case saved(Draft)
        /// Someone saved the draft since: nothing was written; here is theirs.
        case conflict(Draft)
        /// The draft was marked ready: it is no longer edited in FOA.
        case alreadyReady(Draft)
    }

    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    public func draft(_ foaId: String, on connection: PostgresConnection, forUpdate: Bool = false) async throws -> Draft? {
        try await drafts(
            connection.query(
                "SELECT \(unescaped: Self.columns) FROM foa.drafts WHERE foa_id = \(foaId) \(unescaped: forUpdate ? "FOR UPDATE" : "")",
                logger: logger)
        ).first
    }

    static let columns = "foa_id, fields::text, version, state, contract_id, updated_by, updated_at"

    private func drafts(_ rows: PostgresRowSequence) async throws -> [Draft] {
        var drafts: [Draft] = []
        for try await (id, fields, version, state, contractId, updatedBy, updatedAt) in rows.decode(
            (String, String, Int, String, UUID?, String, Date).self)
        {
            drafts.append(
                Draft(
                    foaId: id, fields: try JSONDecoder().decode([String: String].self, from: Data(fields.utf8)), version: version,
                    isReady: state == "ready", contractId: contractId, updatedBy: updatedBy, updatedAt: updatedAt))
        }
        return drafts
    }

    public func save(
        _ foaId: String, fields: [String: String], expectedVersion: Int, by username: String, now: Date, on connection: PostgresConnection
    ) async throws -> SaveOutcome {
        let json = String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        guard let current = try await draft(foaId, on: connection, forUpdate: true) else {
            // A new draft; two sellers creating the same one at once: the second finds the first's and conflicts.
            let inserted = try await connection.query(
                """
                INSERT INTO foa.drafts (foa_id, fields, created_by, updated_by, created_at, updated_at)
                VALUES (\(foaId), \(json)::jsonb, \(username), \(username), \(now), \(now))
                ON CONFLICT (foa_id) DO NOTHING RETURNING foa_id
                """,
                logger: logger)
            var created = false
            for try await _ in inserted { created = true }
            guard created, expectedVersion == 0, let draft = try await draft(foaId, on: connection) else {
                guard let theirs = try await draft(foaId, on: connection) else { throw DraftStoreError.vanished(foaId) }
                return .conflict(theirs)
            }
            return .saved(draft)
        }
        if current.isReady { return .alreadyReady(current) }
        guard current.version == expectedVersion else { return .conflict(current) }
        try await connection.query(
            """
            UPDATE foa.drafts SET fields = \(json)::jsonb, version = version + 1, updated_by = \(username), updated_at = \(now)
            WHERE foa_id = \(foaId)
            """,
            logger: logger)
        guard let saved = try await draft(foaId, on: connection) else { throw DraftStoreError.vanished(foaId) }
        return .saved(saved)
    }

    /// Marks the draft ready with the contract it became, in the caller's transaction (the one that inserted it).
    public func markReady(_ foaId: String, contractId: UUID, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE foa.drafts SET state = 'ready', contract_id = \(contractId), version = version + 1 WHERE foa_id = \(foaId)",
            logger: logger)
    }

    /// The drafts saved most recently, for the start page.
    public func recent(limit: Int, on connection: PostgresConnection) async throws -> [Draft] {
        try await drafts(
            connection.query("SELECT \(unescaped: Self.columns) FROM foa.drafts ORDER BY updated_at DESC LIMIT \(limit)", logger: logger))
    }
}

enum DraftStoreError: Error, CustomStringConvertible {
    case vanished(String)

    var description: String {
        switch self {
        case .vanished(let id): "the draft for FOA id \(id) vanished inside its own transaction"
        }
    }
}
