public import AvtalDomain
import AvtalMessaging
public import AvtalPersistence
public import Foundation
public import Logging
import Metrics
public import PostgresNIO

/// The contract store: the `webbavtal` schema's contracts, facilities, audit trail and outbox.
///
/// Every operation runs on a connection the caller holds inside a transaction, so the caller can make it part of a
/// larger unit (an inbox entry, an idempotency record): the contract, its audit record and its events commit together
/// or not at all. Intake services use ``insert(_:by:now:on:)``; after that only webbavtal changes a contract, through
/// ``apply(_:to:by:cause:attachments:now:on:)``.
public struct ContractStore: Sendable {
    public static let schema: SchemaName = "webbavtal"
    /// The store's schema with all its migrations (outbox and inbox first), for every service that writes to it: run
    /// by whichever starts first, under the advisory lock.
    public static let schemaMigrations = SchemaMigrations(schema: schema, migrations: ContractStoreMigrations.all)
    /// The store's own migrations, after the messaging ones: for webbavtal, whose own schema the store is.
    public static let ownMigrations: [Migration] = ContractStoreMigrations.own

    let outbox = Outbox(schema: Self.schema)
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    // MARK: Insert

    public enum InsertOutcome: Sendable, Equatable {
        /// Stored, with `ContractStored` in the outbox.
        case created(StoredContract)
        /// The partner already sent this external reference: nothing was written.
        case existingReference(UUID)
    }

    /// Validates `details` with the shared rules, flags open contracts for the same facilities as possible
    /// duplicates, and writes the contract, its first audit record and `ContractStored` on `connection`. Throws
    /// ``ValidationFailure`` (writing nothing) when the details break a rule.
    public func insert(_ details: ContractDetails, by actor: Actor, now: Date, on connection: PostgresConnection) async throws -> InsertOutcome {
        let valid = try ContractValidator(today: CivilDate(swedishDateAt: now)).validated(details).get()
        let meteringPoints = Array(Set(valid.facilities.compactMap(\.meteringPointId))).sorted()
        // Two intakes for one facility at once must not both miss each other: serialise on the facility.
        if !meteringPoints.isEmpty {
            let keys = meteringPoints.map { "avtal.facility." + $0 }
            try await connection.query(
                "SELECT pg_advisory_xact_lock(hashtext(key)) FROM unnest(\(keys)::text[]) AS key ORDER BY key", logger: logger)
        }
        let duplicates = try await openContracts(with: meteringPoints, on: connection)
        let id = UUID()
        let state = ContractState.initial(for: valid.kind)
        let confirmedAt: Date? = valid.requiresSignature ? nil : now
        let inserted = try await connection.query(
            """
            INSERT INTO webbavtal.contracts (id, kind, sales_channel, state, details, requires_signature, partner_id, external_reference,
                foa_id, possible_duplicate_of, confirmed_at, created_at, created_by, state_changed_at)
            VALUES (\(id), \(valid.kind.rawValue), \(valid.salesChannel.rawValue), \(state.rawValue), \(try StoreJSON.encode(valid))::jsonb,
                \(valid.requiresSignature), \(valid.partner?.partnerId), \(valid.partner?.externalReference), \(valid.foaId), \(duplicates),
                \(confirmedAt), \(now), \(actor.description), \(now))
            ON CONFLICT (partner_id, external_reference) WHERE partner_id IS NOT NULL DO NOTHING
            RETURNING id
            """,
            logger: logger
        )
        var created = false
        for try await _ in inserted { created = true }
        if !created, let partner = valid.partner {
            let existing = try await connection.query(
                "SELECT id FROM webbavtal.contracts WHERE partner_id = \(partner.partnerId) AND external_reference = \(partner.externalReference)",
                logger: logger
            )
            for try await existingId in existing.decode(UUID.self) { return .existingReference(existingId) }
        }
        return try await finishInsert(id: id, details: valid, state: state, duplicates: duplicates, actor: actor, now: now, on: connection)
    }

    private func finishInsert(
        id: UUID, details: ContractDetails, state: ContractState, duplicates: [UUID], actor: Actor, now: Date, on connection: PostgresConnection
    ) async throws -> InsertOutcome {
        let meteringPoints = Array(Set(details.facilities.compactMap(\.meteringPointId))).sorted()
        if !meteringPoints.isEmpty {
            try await connection.query(
                "INSERT INTO webbavtal.contract_facilities (contract_id, metering_point_id) SELECT \(id), unnest(\(meteringPoints)::text[])",
                logger: logger)
        }
        let event = EventEnvelope(
            payload: ContractStored(contractId: id, snapshot: details, possibleDuplicateOf: duplicates), contractId: id, occurredAt: now)
        try await audit(
            id, actor: actor, action: "created", from: nil, to: state,
            reason: duplicates.isEmpty ? nil : "possible duplicate of \(duplicates.map(\.uuidString).joined(separator: ", "))",
            cause: nil, at: now, on: connection
        )
        try await outbox.enqueue(event, on: connection, logger: logger)
        // What the INSERT wrote, without reading it back.
        return .created(
            StoredContract(
                id: id, details: details, state: state, version: 1, possibleDuplicateOf: duplicates, findings: nil, needsMKAReasons: [],
                resubmittedWithCreditCheck: nil, signingDocumentId: nil, confirmedAt: details.requiresSignature ? nil : now, createdAt: now,
                createdBy: actor.description, stateChangedAt: now, creditRound: 1))
    }

    /// Records which metering points contract `id` covers, replacing what was recorded before.
    func writeFacilities(of id: UUID, _ details: ContractDetails, on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM webbavtal.contract_facilities WHERE contract_id = \(id)", logger: logger)
        for meteringPoint in Set(details.facilities.compactMap(\.meteringPointId)).sorted() {
            try await connection.query(
                "INSERT INTO webbavtal.contract_facilities (contract_id, metering_point_id) VALUES (\(id), \(meteringPoint))", logger: logger
            )
        }
    }

    private func openContracts(with meteringPoints: [String], on connection: PostgresConnection) async throws -> [UUID] {
        guard !meteringPoints.isEmpty else { return [] }
        let closed = ContractState.allCases.filter { !$0.isOpen }.map(\.rawValue)
        let rows = try await connection.query(
            """
            SELECT DISTINCT c.id FROM webbavtal.contract_facilities f JOIN webbavtal.contracts c ON c.id = f.contract_id
            WHERE f.metering_point_id = ANY(\(meteringPoints)) AND NOT (c.state = ANY(\(closed)))
            ORDER BY c.id
            """,
            logger: logger
        )
        var ids: [UUID] = []
        for try await id in rows.decode(UUID.self) { ids.append(id) }
        return ids
    }

    // MARK: Lifecycle

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
    /// the contract, writes the audit record and puts the events the transition asks for in the outbox; on a refusal,
    /// records the refusal and changes nothing else.
    public func apply(
        _ input: LifecycleInput,
        to id: UUID,
        by actor: Actor,
        cause: EnvelopeHeader? = nil,
        attachments: Attachments = Attachments(),
        now: Date,
        on connection: PostgresConnection
    ) async throws -> ApplyOutcome {
        guard let contract = try await contract(id, on: connection, forUpdate: true) else { return .notFound }
        switch Lifecycle.apply(input, to: contract.state, facts: contract.facts, now: now) {
        case .failure(let refusal):
            try await audit(
                id, actor: actor, action: "refused", from: contract.state, to: contract.state, reason: refusal.reason, cause: cause, at: now,
                on: connection)
            Counter(label: "avtal_lifecycle_refused_total", dimensions: [("input", input.kind.rawValue), ("state", contract.state.rawValue)])
                .increment()
            logger.notice(
                "lifecycle input refused",
                metadata: ["avtal.contract.id": "\(id)", "avtal.input": "\(input.kind.rawValue)", "avtal.state": "\(contract.state.rawValue)"]
            )
            return .refused(refusal)
        case .success(let transition):
            try await record(transition, of: contract, input: input, attachments: attachments, now: now, on: connection)
            try await audit(
                id, actor: actor, action: "transition", from: transition.from, to: transition.to, reason: reason(of: input), cause: cause, at: now,
                on: connection)
            for emission in transition.emissions {
                try await publish(emission, for: contract, cause: cause, now: now, on: connection)
            }
            Counter(label: "avtal_lifecycle_transitions_total", dimensions: [("to", transition.to.rawValue)]).increment()
            return .transitioned(transition)
        }
    }

    private func record(
        _ transition: Lifecycle.Transition, of contract: StoredContract, input: LifecycleInput, attachments: Attachments, now: Date,
        on connection: PostgresConnection
    ) async throws {
        var reasons = contract.needsMKAReasons
        var confirmedAt = contract.confirmedAt
        var resubmitted = contract.resubmittedWithCreditCheck
        var raisesCreditRound = false
        switch input {
        case .needsMKA(let why): reasons = why
        case .signingRejected: reasons = [NeedsMKAReason.signingRejected]
        case .signingExpired: reasons = [NeedsMKAReason.signingExpired]
        case .contractSigned(let at): confirmedAt = at
        case .resubmittedByMKA(let newCreditCheck):
            reasons = []
            resubmitted = newCreditCheck
            raisesCreditRound = newCreditCheck
        case .approvedByMKA, .contractExported: reasons = []
        case .exportFailed(let reason): reasons = [NeedsMKAReason.exportFailed + ": " + reason]
        default: break
        }
        let findings = try (attachments.findings ?? contract.findings).map { try StoreJSON.encode($0) }
        try await connection.query(
            """
            UPDATE webbavtal.contracts SET state = \(transition.to.rawValue), version = version + 1, state_changed_at = \(now),
                needs_mka_reasons = \(reasons), confirmed_at = \(confirmedAt), resubmitted_with_credit_check = \(resubmitted),
                credit_round = credit_round + \(raisesCreditRound ? 1 : 0),
                findings = \(findings)::jsonb, signing_document_id = \(attachments.signingDocumentId ?? contract.signingDocumentId)
            WHERE id = \(contract.id)
            """,
            logger: logger
        )
    }

    private func publish(
        _ emission: Lifecycle.Emission, for contract: StoredContract, cause: EnvelopeHeader?, now: Date, on connection: PostgresConnection
    ) async throws {
        let id = contract.id
        let snapshot = contract.details
        func envelope<Event: DomainEvent>(_ event: Event) -> EventEnvelope<Event> {
            if let cause { return EventEnvelope(payload: event, causedBy: cause, contractId: id, occurredAt: now) }
            return EventEnvelope(payload: event, contractId: id, occurredAt: now)
        }
        switch emission {
        case .contractApproved:
            try await outbox.enqueue(envelope(ContractApproved(contractId: id, snapshot: snapshot)), on: connection, logger: logger)
        case .contractResubmitted(let newCreditCheck):
            let round = contract.creditRound + (newCreditCheck ? 1 : 0)
            try await outbox.enqueue(
                envelope(ContractResubmitted(contractId: id, snapshot: snapshot, newCreditCheck: newCreditCheck, creditRound: round)),
                on: connection, logger: logger)
        case .contractRejected(let reason):
            try await outbox.enqueue(envelope(ContractRejected(contractId: id, reason: reason)), on: connection, logger: logger)
        case .contractCancelled(let reason):
            try await outbox.enqueue(envelope(ContractCancelled(contractId: id, reason: reason)), on: connection, logger: logger)
        case .specialContractFinalized:
            try await outbox.enqueue(envelope(SpecialContractFinalized(contractId: id, snapshot: snapshot)), on: connection, logger: logger)
        case .exportRetryRequested:
            try await outbox.enqueue(envelope(ExportRetryRequested(contractId: id, snapshot: snapshot)), on: connection, logger: logger)
        }
    }

    private func reason(of input: LifecycleInput) -> String? {
        switch input {
        case .needsMKA(let reasons): reasons.joined(separator: ", ")
        case .exportFailed(let reason), .approvedByMKA(let reason), .rejectedByMKA(let reason), .cancelled(let reason): reason
        case .resubmittedByMKA(let newCreditCheck): newCreditCheck ? "resubmitted with a new credit check" : "resubmitted"
        default: nil
        }
    }

    // MARK: Reading

    public func contract(_ id: UUID, on connection: PostgresConnection) async throws -> StoredContract? {
        try await contract(id, on: connection, forUpdate: false)
    }

    func contract(_ id: UUID, on connection: PostgresConnection, forUpdate: Bool) async throws -> StoredContract? {
        let rows = try await connection.query(
            """
            SELECT id, state, version, details::text, possible_duplicate_of, findings::text, needs_mka_reasons, resubmitted_with_credit_check,
                signing_document_id, confirmed_at, created_at, created_by, state_changed_at, credit_round
            FROM webbavtal.contracts WHERE id = \(id) \(unescaped: forUpdate ? "FOR UPDATE" : "")
            """,
            logger: logger
        )
        for try await row in rows {
            let (
                id, state, version, details, duplicates, findings, reasons, resubmitted, document, confirmedAt, createdAt, createdBy, changedAt, round
            ) =
                try row.decode((UUID, String, Int, String, [UUID], String?, [String], Bool?, String?, Date?, Date, String, Date, Int).self)
            guard let state = ContractState(rawValue: state) else { throw StoreError.unknownState(state) }
            return StoredContract(
                id: id, details: try StoreJSON.decode(ContractDetails.self, from: details), state: state, version: version,
                possibleDuplicateOf: duplicates, findings: try findings.map { try StoreJSON.decode(CheckFindings.self, from: $0) },
                needsMKAReasons: reasons, resubmittedWithCreditCheck: resubmitted, signingDocumentId: document, confirmedAt: confirmedAt,
                createdAt: createdAt, createdBy: createdBy, stateChangedAt: changedAt, creditRound: round
            )
        }
        return nil
    }

    public func auditTrail(_ id: UUID, on connection: PostgresConnection) async throws -> [AuditRecord] {
        let rows = try await connection.query(
            """
            SELECT id, contract_id, at, actor_kind, actor_id, action, from_state, to_state, reason, cause_message_id
            FROM webbavtal.audit_trail WHERE contract_id = \(id) ORDER BY id
            """,
            logger: logger
        )
        var records: [AuditRecord] = []
        for try await (id, contract, at, actorKind, actorId, action, from, to, reason, cause) in rows.decode(
            (Int64, UUID, Date, String, String, String, String?, String?, String?, UUID?).self
        ) {
            records.append(
                AuditRecord(
                    id: id, contractId: contract, at: at, actor: Actor(kind: actorKind, id: actorId) ?? .service(actorId), action: action,
                    fromState: from.flatMap(ContractState.init(rawValue:)), toState: to.flatMap(ContractState.init(rawValue:)), reason: reason,
                    causeMessageId: cause
                )
            )
        }
        return records
    }

    func audit(
        _ id: UUID, actor: Actor, action: String, from: ContractState?, to: ContractState?, reason: String?, cause: EnvelopeHeader?, at: Date,
        detail: String? = nil, on connection: PostgresConnection
    ) async throws {
        try await connection.query(
            """
            INSERT INTO webbavtal.audit_trail (contract_id, at, actor_kind, actor_id, action, from_state, to_state, reason, cause_message_id, detail)
            VALUES (\(id), \(at), \(actor.kind), \(actor.id), \(action), \(from?.rawValue), \(to?.rawValue), \(reason), \(cause?.messageId),
                \(detail)::jsonb)
            """,
            logger: logger
        )
    }
}

enum StoreError: Error, CustomStringConvertible {
    case vanished(UUID)
    case unknownState(String)

    var description: String {
        switch self {
        case .vanished(let id): "contract \(id) vanished inside its own transaction"
        case .unknownState(let state): "the store holds an unknown state '\(state)'"
        }
    }
}
