import AvtalContractStore
public import AvtalDomain
import AvtalMessaging
import AvtalPersistence
import AvtalTracing
public import Foundation
public import Logging
import Metrics
public import PostgresNIO
import Tracing

/// The one writer of a stored contract: applies lifecycle inputs (other services' events, MKA's decisions) through
/// the pure state machine, MKA's edits, and the sweep's re-publications — each with its audit record and the events
/// it causes, on the caller's transaction. Only webbavtal links this, so only webbavtal changes a contract.
public struct ContractLifecycle: Sendable {
    let store: ContractStore
    let outbox = Outbox(schema: ContractStore.schema)
    let logger: Logger

    public init(logger: Logger) {
        self.store = ContractStore(logger: logger)
        self.logger = logger
    }

    /// Data that arrives with an input and is kept on the contract.
    public struct Attachments: Sendable, Equatable {
        public var findings: CheckFindings?
        public var signingDocumentId: String?

        public init(findings: CheckFindings? = nil, signingDocumentId: String? = nil) {
            self.findings = findings
            self.signingDocumentId = signingDocumentId
        }
    }

    public enum ApplyOutcome: Sendable, Equatable {
        case transitioned(Lifecycle.Transition)
        /// The input did not fit the contract's state: nothing changed but the audit trail, which records the refusal.
        case refused(LifecycleRefusal)
        case notFound
    }

    /// Applies `input` to contract `id` through the lifecycle state machine, under a row lock: on a transition, updates
    /// the contract as the domain's ``LifecycleRecord`` says, writes the audit record and puts the events the transition
    /// asks for in the outbox; on a refusal, records the refusal and changes nothing else.
    public func apply(
        _ input: LifecycleInput,
        to id: UUID,
        by actor: Actor,
        cause: EnvelopeHeader? = nil,
        attachments: Attachments = Attachments(),
        now: Date,
        on connection: PostgresConnection
    ) async throws -> ApplyOutcome {
        guard let contract = try await store.lockedContract(id, on: connection) else { return .notFound }
        return try await settled(apply(input, to: contract, by: actor, cause: cause, attachments: attachments, now: now, on: connection))
    }

    /// ``apply(_:to:by:cause:attachments:now:on:)`` for another service's event, `message`, which this enters in
    /// webbavtal's inbox in the same statement that reads and locks the contract (``ContractStore/lockedContract(_:entering:on:)``):
    /// nil when the message was applied before. Runs on the caller's transaction, which must not commit on `.notFound`.
    public func apply(
        _ input: LifecycleInput, to id: UUID, by actor: Actor, message: EnvelopeHeader, attachments: Attachments = Attachments(), now: Date,
        on connection: PostgresConnection
    ) async throws -> ApplyOutcome? {
        switch try await store.lockedContract(id, entering: message, on: connection) {
        case .applied: return nil
        case .notFound: return .notFound
        case .contract(let contract):
            return try await settled(apply(input, to: contract, by: actor, cause: message, attachments: attachments, now: now, on: connection))
        }
    }

    /// Another service's event, `message`, applied without a transaction or a row lock — the common case in two round
    /// trips instead of a transaction's four: the contract is read unless the message is in webbavtal's inbox, the
    /// lifecycle decides, and the transition is written in one statement that takes effect only if the contract is
    /// still at the version read and the message still new (``GuardedContractTransitionWrite``), entering it in the
    /// inbox with the change. Looks again when the contract changed in between, up to `attempts` times.
    ///
    /// nil when this does not settle the message — it was applied before, the contract is unknown, the input is
    /// refused (a refusal is recorded under the lock), or the contract kept changing: the caller then applies it with
    /// ``apply(_:to:by:message:attachments:now:on:)`` in a transaction, which decides each of those cases.
    public func applyIfUnchanged(
        _ input: LifecycleInput, to id: UUID, by actor: Actor, message: EnvelopeHeader, attachments: Attachments = Attachments(), now: Date,
        attempts: Int = 3, on connection: PostgresConnection
    ) async throws -> ApplyOutcome? {
        for _ in 0..<attempts {
            guard let contract = try await store.contract(id, unlessApplied: message, on: connection) else { return nil }
            let outcome = try await apply(
                input, to: contract, by: actor, cause: message, attachments: attachments, now: now, ifUnchangedSince: message, on: connection)
            switch outcome {
            case .refused: return nil
            case .transitioned, .notFound: return outcome
            case nil: continue
            }
        }
        return nil
    }

    /// What the locked path's ``apply(_:to:by:cause:attachments:now:ifUnchangedSince:on:)`` returns: always an outcome,
    /// for the row's lock keeps the contract as read.
    private func settled(_ outcome: ApplyOutcome?) throws -> ApplyOutcome {
        guard let outcome else { throw LockedWriteNotApplied() }
        return outcome
    }

    private struct LockedWriteNotApplied: Error {}

    /// In a span of the contract's trace (`lifecycle <input>`, ``ContractTrace``): the events it writes continue it.
    ///
    /// `contract` was read under its row's lock, or — with `ifUnchangedSince` — without one: then a refusal writes
    /// nothing (it is returned, to be decided again under the lock), and a transition is written only if the contract
    /// is still the version read and the message still new; nil when it was not.
    private func apply(
        _ input: LifecycleInput, to contract: StoredContract, by actor: Actor, cause: EnvelopeHeader?, attachments: Attachments, now: Date,
        ifUnchangedSince unlocked: EnvelopeHeader? = nil, on connection: PostgresConnection
    ) async throws -> ApplyOutcome? {
        try await ContractTrace.withSpan("lifecycle \(input.kind.rawValue)", continuing: contract.traceparent) { span in
            span.attributes["avtal.contract.id"] = contract.id.uuidString.lowercased()
            span.attributes["avtal.state.from"] = contract.state.rawValue
            let outcome = try await applyInSpan(
                input, to: contract, by: actor, cause: cause, attachments: attachments, now: now, ifUnchangedSince: unlocked, on: connection)
            switch outcome {
            case .transitioned(let transition)?: span.attributes["avtal.state.to"] = transition.to.rawValue
            // Unlocked, a refusal is not recorded: it is decided again under the lock, in a span of its own.
            case .refused?: span.attributes[unlocked == nil ? "avtal.refused" : "avtal.left_to_lock"] = true
            case .notFound?: break
            case nil: span.attributes["avtal.changed_meanwhile"] = true
            }
            return outcome
        }
    }

    private func applyInSpan(
        _ input: LifecycleInput, to contract: StoredContract, by actor: Actor, cause: EnvelopeHeader?, attachments: Attachments, now: Date,
        ifUnchangedSince unlocked: EnvelopeHeader?, on connection: PostgresConnection
    ) async throws -> ApplyOutcome? {
        let audit = ContractAudit(logger: logger)
        switch Lifecycle.apply(input, to: contract.state, facts: contract.facts, now: now) {
        case .failure(let refusal) where unlocked != nil:
            return .refused(refusal)
        case .failure(let refusal):
            try await audit.append(
                contract.id, by: actor, .refused, from: contract.state, to: contract.state, reason: refusal.reason, cause: cause, at: now,
                on: connection)
            Counter(label: "avtal_lifecycle_refused_total", dimensions: [("input", input.kind.rawValue), ("state", contract.state.rawValue)])
                .increment()
            logger.notice(
                "lifecycle input refused",
                metadata: [
                    "avtal.contract.id": "\(contract.id)", "avtal.input": "\(input.kind.rawValue)", "avtal.state": "\(contract.state.rawValue)",
                ]
            )
            return .refused(refusal)
        case .success(let transition):
            let record = contract.record.after(input)
            let events = LifecycleEvents(contract: contract, record: record, cause: cause, now: now, outbox: outbox)
            let findings = try (attachments.findings ?? contract.findings).map { try StoreJSON.encode($0) }
            let write = ContractTransitionWrite(
                id: contract.id, transition: transition, at: now, record: record, findings: findings,
                signingDocumentId: attachments.signingDocumentId ?? contract.signingDocumentId, actor: actor,
                reason: LifecycleRecord.reason(of: input), cause: cause?.messageId,
                events: try events.rows(for: transition, version: contract.version + 1), traceparent: TraceParent.current())
            if let unlocked {
                var written = false
                let guarded = GuardedContractTransitionWrite(write: write, expectedVersion: contract.version, message: unlocked)
                for try await _ in try await connection.execute(guarded, logger: logger) { written = true }
                guard written else { return nil }
            } else {
                try await connection.run(write, logger: logger)
            }
            Counter(label: "avtal_lifecycle_transitions_total", dimensions: [("to", transition.to.rawValue)]).increment()
            // How long the contract stayed in the state it leaves: the latency of each step of the flow.
            let stayed = max(0, now.timeIntervalSince(contract.stateChangedAt))
            Timer(label: "avtal_lifecycle_step_seconds", dimensions: [("from", transition.from.rawValue), ("to", transition.to.rawValue)])
                .recordNanoseconds(Int64(stayed * 1e9))
            return .transitioned(transition)
        }
    }

    // MARK: A person's decision

    public enum DecisionOutcome: Sendable, Equatable {
        case applied(ApplyOutcome)
        /// Someone changed the contract since the person deciding loaded it: nothing was written.
        case versionConflict(current: Int)
    }

    /// A person's decision (approve, reject, cancel, resubmit, retry an export), applied only if the contract is still
    /// at `expectedVersion`, the version the person saw: optimistic concurrency, so no decision is taken on data the
    /// person did not see. The row stays locked from the check to the change.
    public func decide(
        _ input: LifecycleInput, on id: UUID, expectedVersion: Int, by actor: Actor, now: Date, on connection: PostgresConnection
    ) async throws -> DecisionOutcome {
        guard let contract = try await store.lockedContract(id, on: connection) else { return .applied(.notFound) }
        guard contract.version == expectedVersion else { return .versionConflict(current: contract.version) }
        return .applied(try settled(await apply(input, to: contract, by: actor, cause: nil, attachments: Attachments(), now: now, on: connection)))
    }
}
