public import AvtalDomain
public import PostgresNIO

extension Inbox {
    /// The skeleton of every handler whose work calls another system (kontroll's registers and bureau, signering's
    /// GetAccept, gordis-export's Xellent):
    ///
    /// 1. a message applied before is skipped before any call is made;
    /// 2. `call` talks to the other system, outside any transaction (it must be safe to repeat: each call carries our
    ///    own reference, and asks first what happened to it);
    /// 3. `record` writes what came of it — the ledger's row, the events it causes — in the transaction that records
    ///    the message in the inbox, so the outcome and the message's being handled commit together.
    ///
    /// Returns what `record` returned, or nil when the message had been applied before (by an earlier delivery, or by
    /// another replica while the call was in flight).
    @discardableResult
    public func once<Outcome: Sendable, Recorded>(
        _ header: EnvelopeHeader,
        call: () async throws -> Outcome,
        record: (Outcome, PostgresConnection) async throws -> Recorded
    ) async throws -> Recorded? {
        guard try await !hasApplied(header) else { return nil }
        let outcome = try await call()
        var result: Recorded?
        try await apply(header) { connection in result = try await record(outcome, connection) }
        return result
    }

    /// ``once(_:call:record:)`` for a handler whose whole record is one statement that also enters the message in
    /// the inbox (its first `WITH` part ``InboxRow/withPart(schema:messageId:messageType:)``, every other part writing
    /// `FROM message`) and answers a row only when the message was new: one round trip and no transaction of its
    /// own, a single statement being atomic. Returns false when the message had been applied before.
    @discardableResult
    public func once<Outcome: Sendable, Statement: PostgresPreparedStatement>(
        _ header: EnvelopeHeader,
        call: () async throws -> Outcome,
        recordingInOneStatement record: (Outcome) throws -> Statement
    ) async throws -> Bool {
        guard try await !hasApplied(header) else { return false }
        let outcome = try await call()
        return try await OutboxWrites.announcing { try await run(try record(outcome), for: header) }
    }
}
