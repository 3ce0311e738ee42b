import AvtalContractStore
import AvtalDomain
import AvtalPersistence
public import Foundation
public import Logging
import Metrics
public import PostgresNIO
public import ServiceLifecycle

/// The seed's "every 10 minutes" job, kept as a safety net: contracts stuck longer than expected get the event that
/// drives their next step published again (with a new message id, so consumers that dedupe by message id look at
/// it; they are idempotent per contract):
///
/// - `stored` without an outcome → `ContractStored` (or `ContractResubmitted` after MKA resubmitted it);
/// - `approved`, needing a signature, without a signing request → `ContractApproved`;
/// - `finalized` without an export → `SpecialContractFinalized`.
///
/// One replica at a time sweeps (a transaction-level advisory lock; the others skip the round). Each re-publication
/// is recorded in the contract's audit trail.
public final class SafetyNetSweep: Service {
    private let client: PostgresClient
    private let lifecycle: ContractLifecycle
    private let interval: Duration
    private let stuckAfter: Duration
    private let logger: Logger

    public init(client: PostgresClient, lifecycle: ContractLifecycle, interval: Duration, stuckAfter: Duration, logger: Logger) {
        self.client = client
        self.lifecycle = lifecycle
        self.interval = interval
        self.stuckAfter = stuckAfter
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "safety-net sweep failed; the next round tries again") {
            try await self.sweep(now: Date())
        }
    }

    /// One round. Returns the ids of the contracts whose next event was published again; nil when another replica
    /// holds the sweep.
    @discardableResult
    public func sweep(now: Date) async throws -> [UUID]? {
        let cutoff = now.addingTimeInterval(-Double(stuckAfter.components.seconds) - Double(stuckAfter.components.attoseconds) / 1e18)
        return try await client.withTransaction(logger: logger) { connection -> [UUID]? in
            let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(hashtext('avtal.sweep.webbavtal'))", logger: logger)
            var acquired = false
            for try await value in locked.decode(Bool.self) { acquired = value }
            guard acquired else { return nil }
            let rows = try await connection.query(
                """
                SELECT id FROM webbavtal.contracts
                WHERE state_changed_at < \(cutoff)
                  AND (state IN ('stored', 'finalized') OR (state = 'approved' AND requires_signature AND signing_document_id IS NULL))
                ORDER BY state_changed_at
                LIMIT 500
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            )
            var ids: [UUID] = []
            for try await id in rows.decode(UUID.self) { ids.append(id) }
            for id in ids {
                try await lifecycle.republishNextStep(of: id, now: now, on: connection)
            }
            if !ids.isEmpty {
                logger.warning("safety-net sweep re-published stuck contracts", metadata: ["avtal.count": "\(ids.count)"])
                Counter(label: "avtal_sweep_republished_total").increment(by: ids.count)
            }
            return ids
        }
    }
}

extension ContractLifecycle {
    /// Puts the event that drives contract `id`'s next step in the outbox again, and records that in its audit trail.
    func republishNextStep(of id: UUID, now: Date, on connection: PostgresConnection) async throws {
        guard let contract = try await store.contract(id, on: connection) else { return }
        switch contract.state {
        case .stored:
            if let newCreditCheck = contract.resubmittedWithCreditCheck {
                let event = ContractResubmitted(
                    contractId: id, snapshot: contract.details, newCreditCheck: newCreditCheck, creditRound: contract.creditRound
                )
                try await outbox.enqueue(EventEnvelope(payload: event, contractId: id, occurredAt: now), on: connection, logger: logger)
            } else {
                let event = ContractStored(contractId: id, snapshot: contract.details, possibleDuplicateOf: contract.possibleDuplicateOf)
                try await outbox.enqueue(EventEnvelope(payload: event, contractId: id, occurredAt: now), on: connection, logger: logger)
            }
        case .approved:
            try await outbox.enqueue(
                EventEnvelope(payload: ContractApproved(contractId: id, snapshot: contract.details), contractId: id, occurredAt: now),
                on: connection, logger: logger
            )
        case .finalized:
            try await outbox.enqueue(
                EventEnvelope(payload: SpecialContractFinalized(contractId: id, snapshot: contract.details), contractId: id, occurredAt: now),
                on: connection, logger: logger
            )
        default:
            return
        }
        try await ContractAudit(logger: logger).append(
            id, by: .service("webbavtal"), .republished, from: contract.state, to: contract.state,
            reason: "stuck in \(contract.state.rawValue) since \(Timestamp.string(contract.stateChangedAt)): next step published again",
            cause: nil, at: now, on: connection
        )
    }
}
