import AvtalContractStore
import AvtalDomain
import AvtalPersistence
public import Foundation
public import Logging
import Metrics
public import PostgresNIO
public import ServiceLifecycle

/// The seed's "every 10 minutes" job, kept as a safety net: contracts waiting on a service longer than expected get
/// the event that drives their next step published again (with a new message id, so consumers that dedupe by message
/// id look at it; they are idempotent per contract):
///
/// - `stored` without an outcome (kontroll) → `ContractStored` (or `ContractResubmitted` after MKA resubmitted it);
/// - `approved`, needing a signature, without a signing request (signering) → `ContractApproved`;
/// - `finalized` without an export (gordis-export) → `SpecialContractFinalized`.
///
/// (`awaitingSignature` waits on the customer, and signering's own sweep on GetAccept; the other states on MKA.)
///
/// Per contract, with back-off: first `stuckAfter` after its last change, then each round twice as long after the one
/// before; after `maximumRounds` the service is given up on — the contract goes to MKA (`needsMKA`, or `exportFailed`
/// for a special contract) with the reason `process.no_progress`, naming the service and since when. Any change of
/// state starts the count again. The most overdue come first, at most 500 a round, so a backed-off contract never
/// starves the rest. One replica at a time sweeps (a transaction-level advisory lock; the others skip the round).
/// Each re-publication is recorded in the contract's audit trail.
public final class SafetyNetSweep: Service {
    /// What one round did.
    public struct Round: Sendable, Equatable {
        public var republished: [UUID] = []
        public var handedToMKA: [UUID] = []
    }

    private let client: PostgresClient
    private let lifecycle: ContractLifecycle
    private let interval: Duration
    private let stuckAfter: Duration
    private let maximumRounds: Int
    private let logger: Logger

    public init(
        client: PostgresClient, lifecycle: ContractLifecycle, interval: Duration, stuckAfter: Duration, maximumRounds: Int = 4, logger: Logger
    ) {
        self.client = client
        self.lifecycle = lifecycle
        self.interval = interval
        self.stuckAfter = stuckAfter
        self.maximumRounds = max(1, maximumRounds)
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "safety-net sweep failed; the next round tries again") {
            try await self.sweep(now: Date())
        }
    }

    /// One round; nil when another replica holds the sweep.
    @discardableResult
    public func sweep(now: Date) async throws -> Round? {
        let stuck = stuckAfter.timeInterval
        return try await OutboxWrites.announcing { try await round(now: now, stuckAfter: stuck) }
    }

    /// The round in one transaction, its events written there: the scope around it rings the relay after the commit.
    private func round(now: Date, stuckAfter stuck: TimeInterval) async throws -> Round? {
        try await client.withTransaction(logger: logger) { connection -> Round? in
            let locked = try await connection.query("SELECT pg_try_advisory_xact_lock(hashtext('avtal.sweep.webbavtal'))", logger: logger)
            var acquired = false
            for try await value in locked.decode(Bool.self) { acquired = value }
            guard acquired else { return nil }
            let rows = try await connection.query(
                """
                SELECT id, state, state_changed_at, sweep_rounds FROM webbavtal.contracts
                WHERE (state IN ('stored', 'finalized') OR (state = 'approved' AND requires_signature AND signing_document_id IS NULL))
                  AND COALESCE(next_sweep_at, state_changed_at + make_interval(secs => \(stuck))) <= \(now)
                ORDER BY COALESCE(next_sweep_at, state_changed_at + make_interval(secs => \(stuck)))
                LIMIT 500
                FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            )
            var due: [(UUID, String, Date, Int)] = []
            for try await row in rows.decode((UUID, String, Date, Int).self) { due.append(row) }
            var round = Round()
            for (id, state, since, rounds) in due {
                if rounds >= maximumRounds {
                    let service = Self.awaitedService[state] ?? state
                    let detail = "\(service) never answered: the next step was published again \(rounds) times since \(Timestamp.string(since))"
                    _ = try await lifecycle.apply(.stalled(detail: detail), to: id, by: .service("webbavtal"), now: now, on: connection)
                    round.handedToMKA.append(id)
                    continue
                }
                try await lifecycle.republishNextStep(of: id, now: now, on: connection)
                let wait = stuck * Double(1 << min(rounds + 1, 20))
                try await connection.query(
                    """
                    UPDATE webbavtal.contracts SET sweep_rounds = sweep_rounds + 1, next_sweep_at = \(now.addingTimeInterval(wait))
                    WHERE id = \(id)
                    """,
                    logger: logger)
                round.republished.append(id)
            }
            if !round.republished.isEmpty {
                logger.warning("safety-net sweep re-published stuck contracts", metadata: ["avtal.count": "\(round.republished.count)"])
                Counter(label: "avtal_sweep_republished_total").increment(by: round.republished.count)
            }
            if !round.handedToMKA.isEmpty {
                logger.error(
                    "safety-net sweep gave up on contracts whose service never answered; they wait for MKA",
                    metadata: ["avtal.count": "\(round.handedToMKA.count)"])
                Counter(label: "avtal_sweep_handed_to_mka_total").increment(by: round.handedToMKA.count)
            }
            return round
        }
    }

    /// The service a contract in each swept state waits on.
    static let awaitedService = ["stored": "kontroll", "approved": "signering", "finalized": "gordis-export"]
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
