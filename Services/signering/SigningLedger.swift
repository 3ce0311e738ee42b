public import AvtalDomain
public import AvtalPersistence
import AvtalTracing
public import Foundation
public import Logging
public import PostgresNIO

/// signering's tables. Every method runs on a connection, inside the caller's transaction where it needs one.
public struct SigningLedger: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// The contract's current round, or a new one (state `intended`) when it has none or the last one ended
    /// without a signature. Needs no transaction (issue 19: it was `BEGIN`, a lock, the read, the insert, `COMMIT`):
    /// the new round takes the number after the latest one only if that number is still free, so of two replicas
    /// opening one at once, one inserts and the other reads the round it opened and returns that.
    public func openRound(
        contractId: UUID, method: SignatureMethod, now: Date, expiresAt: Date, on connection: PostgresConnection
    ) async throws -> SigningRound {
        // A round that ended is final, so each lost race leaves a round that does not end by itself: the second look
        // returns it unless it ended in between, the third unless that happened twice.
        for _ in 1...3 {
            let latest = try await latestRound(contractId: contractId, on: connection)
            if let latest, !latest.state.allowsNewRound { return latest }
            let opened = SigningRound(
                contractId: contractId, round: (latest?.round ?? 0) + 1, state: .intended, method: method, documentId: nil,
                expiresAt: expiresAt, traceparent: TraceParent.current())
            var inserted = false
            for try await _ in try await connection.execute(SigningRoundInsert(round: opened, requestedAt: now), logger: logger) { inserted = true }
            if inserted { return opened }
        }
        throw SigningError(.unavailable, "the contract's signing rounds kept changing while one was opened")
    }

    public func latestRound(contractId: UUID, on connection: PostgresConnection) async throws -> SigningRound? {
        try await first(LatestSigningRound(contractId: contractId), on: connection)
    }

    public func round(contractId: UUID, round: Int, on connection: PostgresConnection) async throws -> SigningRound? {
        try await first(SigningRoundByNumber(contractId: contractId, round: round), on: connection)
    }

    /// Claims the right to call GetAccept for an intended round for `lease`, by the database's clock, for one caller
    /// at a time: the how-many-th claim of the round this is (1: nobody called GetAccept for it before); nil while
    /// another holds it, or once the round is no longer intended. `renewing`: the holder extends its own claim while
    /// its calls run (not counted as another claim).
    @discardableResult
    public func claimSending(_ round: SigningRound, lease: Duration, renewing: Bool = false, on connection: PostgresConnection) async throws -> Int? {
        let rows = try await connection.execute(SigningClaim(round: round, leaseSeconds: lease.timeInterval, renewing: renewing), logger: logger)
        var claims: Int?
        for try await count in rows { claims = count }
        return claims
    }

    /// Gives the claim up once the call to GetAccept has ended, so a retry need not wait for the lease to run out.
    public func releaseSending(_ round: SigningRound, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE signering.signing_requests SET sending_until = NULL WHERE contract_id = \(round.contractId) AND round = \(round.round)",
            logger: logger)
    }

    public func round(documentId: String, on connection: PostgresConnection) async throws -> SigningRound? {
        try await first(SigningRoundByDocument(documentId: documentId), on: connection)
    }

    /// Live rounds sent before `sentBefore` and not yet reminded, and live rounds past their expiry.
    public func dueRounds(
        sentBefore: Date, now: Date, limit: Int, on connection: PostgresConnection
    ) async throws -> (
        remind: [SigningRound], expire: [SigningRound]
    ) {
        let remind = try await rounds(
            "WHERE state = 'live' AND reminded_at IS NULL AND sent_at < $1 AND expires_at > $2 ORDER BY sent_at LIMIT $3",
            on: connection,
            bind: {
                $0.append(sentBefore)
                $0.append(now)
                $0.append(limit)
            })
        let expire = try await rounds(
            "WHERE state = 'live' AND expires_at <= $1 ORDER BY expires_at LIMIT $2", on: connection,
            bind: {
                $0.append(now)
                $0.append(limit)
            })
        return (remind, expire)
    }

    /// Live rounds whose document is due for a status check: first `checkAfter` after it was sent, then each time
    /// twice as long after sending as the last check (so a document costs a handful of checks over its life).
    public func roundsToCheck(checkAfter: Duration, now: Date, limit: Int, on connection: PostgresConnection) async throws -> [SigningRound] {
        try await rounds(
            """
            WHERE state = 'live' AND document_id IS NOT NULL AND expires_at > $1
              AND COALESCE(next_check_at, sent_at + make_interval(secs => $2)) <= $1 ORDER BY sent_at LIMIT $3
            """,
            on: connection,
            bind: {
                $0.append(now)
                $0.append(Double(checkAfter.components.seconds))
                $0.append(limit)
            })
    }

    /// Records a status check that found the document still pending: the next comes as long after this one as this
    /// one came after sending (at least `checkAfter`).
    public func markChecked(_ round: SigningRound, checkAfter: Duration, now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE signering.signing_requests
            SET next_check_at = \(now) + GREATEST(\(now) - sent_at, make_interval(secs => \(Double(checkAfter.components.seconds))))
            WHERE contract_id = \(round.contractId) AND round = \(round.round)
            """,
            logger: logger)
    }

    /// Moves the round from `from` to `to`, and puts `event` in signering's outbox if it moved (one statement);
    /// answers whether it was in `from` (false: someone else moved it first, and no event was written).
    package func move(
        _ round: SigningRound, from: [SigningRound.State], to: SigningRound.State, documentId: String? = nil, recipientId: String? = nil,
        emitting event: OutboxRow? = nil, now: Date, on connection: PostgresConnection
    ) async throws -> Bool {
        let move = SigningRoundMove(round: round, from: from, to: to, documentId: documentId, recipientId: recipientId, now: now, event: event)
        var moved = false
        for try await _ in try await connection.execute(move, logger: logger) { moved = true }
        return moved
    }

    public func markReminded(_ round: SigningRound, now: Date, on connection: PostgresConnection) async throws {
        try await connection.query(
            "UPDATE signering.signing_requests SET reminded_at = \(now) WHERE contract_id = \(round.contractId) AND round = \(round.round)",
            logger: logger)
    }

    /// Whether any webhook about `documentId` was received.
    public func hasWebhooks(documentId: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("SELECT 1 FROM signering.webhooks WHERE document_id = \(documentId) LIMIT 1", logger: logger)
        for try await _ in rows { return true }
        return false
    }

    public func recordWebhook(event: String?, documentId: String?, body: String, on connection: PostgresConnection) async throws -> Int64 {
        for try await id in try await connection.execute(WebhookRecord(event: event, documentId: documentId, body: body), logger: logger) {
            return id
        }
        throw LedgerError.noRowReturned("webhooks")
    }

    /// Records a subscription, by its target URL's digest and with the secret masked; answers false when it was
    /// recorded before.
    func recordSubscription(event: String, targetURL: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO signering.subscriptions (event, target_url, target_digest)
            VALUES (\(event), \(WebhookSecrets.masked(targetURL)), \(ByteBuffer(bytes: WebhookSecrets.digest(targetURL))))
            ON CONFLICT DO NOTHING RETURNING event
            """,
            logger: logger)
        var inserted = false
        for try await _ in rows { inserted = true }
        return inserted
    }

    /// Forgets a subscription that GetAccept did not take after all.
    func forgetSubscription(event: String, targetURL: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            """
            DELETE FROM signering.subscriptions WHERE event = \(event) AND target_digest = \(ByteBuffer(bytes: WebhookSecrets.digest(targetURL)))
            """,
            logger: logger)
    }

    private func first<Statement: SigningRoundStatement>(_ statement: Statement, on connection: PostgresConnection) async throws -> SigningRound? {
        for try await round in try await connection.execute(statement, logger: logger) { return round }
        return nil
    }

    /// The rounds a `WHERE …` clause with `$n` parameters selects, the parameters appended by `bind`.
    private func rounds(_ clause: String, on connection: PostgresConnection, bind: (inout PostgresBindings) -> Void) async throws -> [SigningRound] {
        var bindings = PostgresBindings()
        bind(&bindings)
        let sql = "SELECT contract_id, round, state, method, document_id, expires_at, traceparent FROM signering.signing_requests " + clause
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
        var found: [SigningRound] = []
        for try await (contractId, round, state, method, documentId, expiresAt, traceparent) in rows.decode(
            (UUID, Int, String, String, String?, Date, String?).self)
        {
            found.append(
                SigningRound(
                    contractId: contractId, round: round, state: SigningRound.State(rawValue: state) ?? .failed,
                    method: SignatureMethod(rawValue: method) ?? .email, documentId: documentId, expiresAt: expiresAt, traceparent: traceparent))
        }
        return found
    }
}

enum LedgerError: Error {
    case noRowReturned(String)
}
