public import AvtalDomain
import AvtalMessaging
public import AvtalPersistence
import AvtalTracing
public import Foundation
public import Logging
import Metrics
public import PostgresNIO
import Tracing

/// The contract store: the `webbavtal` schema's contracts, facilities and audit trail.
///
/// Every operation runs on a connection the caller holds inside a transaction, so the caller can make it part of a
/// larger unit (an inbox entry, an idempotency record): the contract, its audit record and its events commit together
/// or not at all. This is the intake path and the reads, linked by every service that takes contracts in (partner-api,
/// webbavtal's form, foa); after the insert only webbavtal changes a contract, through its `ContractLifecycle`, which
/// no other service links.
public struct ContractStore: Sendable {
    /// The store's schema, `webbavtal` (``DatabaseSchema/contractStore``): migrated by every service that writes to
    /// it, whichever starts first, under the advisory lock.
    public static let schema: SchemaName = DatabaseSchema.contractStore.name

    private let outbox: Outbox
    private let logger: Logger

    /// `outbox`: where a new contract's `ContractStored` goes — the intake service's own, which its own relay
    /// publishes, so that intake never depends on another service running (webbavtal's by default).
    public init(logger: Logger, outbox: Outbox = Outbox(schema: Self.schema)) {
        self.logger = logger
        self.outbox = outbox
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
    ///
    /// The insert is a span of its own (`contract store`), the root of the contract's trace when the caller's is not
    /// traced; the contract keeps it (`traceparent`), and `ContractStored` carries it.
    public func insert(_ details: ContractDetails, by actor: Actor, now: Date, on connection: PostgresConnection) async throws -> InsertOutcome {
        try await withSpan("contract store") { span in
            span.attributes["avtal.channel"] = details.salesChannel.rawValue
            span.attributes["avtal.kind"] = details.kind.rawValue
            let outcome = try await insertValidated(details, by: actor, now: now, on: connection)
            switch outcome {
            case .created(let contract): span.attributes["avtal.contract.id"] = contract.id.uuidString.lowercased()
            case .existingReference(let id): span.attributes["avtal.contract.id"] = id.uuidString.lowercased()
            }
            return outcome
        }
    }

    private func insertValidated(
        _ details: ContractDetails, by actor: Actor, now: Date, on connection: PostgresConnection
    ) async throws
        -> InsertOutcome
    {
        let valid = try ContractValidator(today: CivilDate(swedishDateAt: now)).validated(details).get()
        let meteringPoints = Array(Set(valid.facilities.compactMap(\.meteringPointId))).sorted()
        // Two intakes for one facility at once must not both miss each other: serialise on the facility — through
        // one of 64 lock buckets per facility, so a mass contract of 1 000 facilities takes at most 64 locks, in order.
        if !meteringPoints.isEmpty {
            let buckets = Array(Set(meteringPoints.map(Self.lockBucket))).sorted()
            try await connection.run(FacilityBucketLocks(buckets: buckets), logger: logger)
        }
        let duplicates = try await openContracts(with: meteringPoints, on: connection)
        let id = UUID.random()
        let state = ContractState.initial(for: valid.kind)
        let confirmedAt: Date? = valid.requiresSignature ? nil : now
        let traceparent = TraceParent.current()
        let event = EventEnvelope(
            payload: ContractStored(contractId: id, snapshot: valid, possibleDuplicateOf: duplicates), contractId: id, occurredAt: now)
        let written = try await write(
            in: outbox.slot, id: id, details: valid, state: state, duplicates: duplicates, confirmedAt: confirmedAt, now: now, actor: actor,
            traceparent: traceparent, meteringPoints: meteringPoints, event: try outbox.row(event, traceparent: traceparent), on: connection)
        guard written else {
            guard let partner = valid.partner else { throw StoreError.notWritten(id) }
            let existing = try await connection.query(
                "SELECT id FROM webbavtal.contracts WHERE partner_id = \(partner.partnerId) AND external_reference = \(partner.externalReference)",
                logger: logger
            )
            for try await existingId in existing.decode(UUID.self) { return .existingReference(existingId) }
            throw StoreError.notWritten(id)
        }
        // Intake per channel and kind, for the dashboard (counted in the transaction: one that then rolls back, which
        // only a failed commit does, is counted too).
        Counter(
            label: "avtal_contracts_stored_total", dimensions: [("channel", valid.salesChannel.rawValue), ("kind", valid.kind.rawValue)]
        ).increment()
        // What the INSERT wrote, without reading it back.
        return .created(
            StoredContract(
                id: id, details: valid, state: state, version: 1, possibleDuplicateOf: duplicates, findings: nil, needsMKAReasons: [],
                resubmittedWithCreditCheck: nil, signingDocumentId: nil, confirmedAt: confirmedAt, createdAt: now,
                createdBy: actor.description, stateChangedAt: now, creditRound: 1, traceparent: traceparent))
    }

    /// The lock bucket of a metering point (0–63): the same facility always in the same bucket.
    static func lockBucket(_ meteringPoint: String) -> Int {
        Int(meteringPoint.utf8.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 } % 64)
    }

    /// Writes the contract with its facilities, first audit record and event (``ContractIntakeWrite``); false when
    /// nothing was written (the partner's external reference exists).
    private func write<Slot: SchemaSlot>(
        in _: Slot.Type, id: UUID, details: ContractDetails, state: ContractState, duplicates: [UUID], confirmedAt: Date?, now: Date,
        actor: Actor, traceparent: String?, meteringPoints: [String], event: OutboxRow, on connection: PostgresConnection
    ) async throws -> Bool {
        let reason = duplicates.isEmpty ? nil : "possible duplicate of \(duplicates.map(\.uuidString).joined(separator: ", "))"
        let statement = ContractIntakeWrite<Slot>(
            id: id, details: details, detailsJSON: try StoreJSON.encode(details), state: state, duplicates: duplicates, confirmedAt: confirmedAt,
            now: now, actor: actor, traceparent: traceparent, meteringPoints: meteringPoints, reason: reason, event: event)
        var written = false
        for try await _ in try await connection.execute(statement, logger: logger) { written = true }
        return written
    }

    private func openContracts(with meteringPoints: [String], on connection: PostgresConnection) async throws -> [UUID] {
        guard !meteringPoints.isEmpty else { return [] }
        let closed = ContractState.allCases.filter { !$0.isOpen }.map(\.rawValue)
        let rows = try await connection.execute(OpenContractsForFacilities(meteringPoints: meteringPoints, closedStates: closed), logger: logger)
        var ids: [UUID] = []
        for try await id in rows { ids.append(id) }
        return ids
    }

    // MARK: Reading

    public func contract(_ id: UUID, on connection: PostgresConnection) async throws -> StoredContract? {
        try await contract(id, on: connection, forUpdate: false)
    }

    /// The contract, its row locked until `connection`'s transaction ends: for the one writer that changes it.
    public func lockedContract(_ id: UUID, on connection: PostgresConnection) async throws -> StoredContract? {
        try await contract(id, on: connection, forUpdate: true)
    }

    /// What a message about a contract finds, its entry in webbavtal's inbox made in the same statement as the read.
    public enum Entered: Sendable {
        /// The message is new (now entered) and the contract's row locked until the transaction ends.
        case contract(StoredContract)
        /// The message was applied before: nothing to do.
        case applied
        /// No such contract (and the message entered, if it was new: the caller's transaction should not commit).
        case notFound
    }

    /// The contract, its row locked, if `message` is new to webbavtal's inbox — which this enters it in, in the same
    /// round trip (``EnteringLockedContractRowRead``).
    public func lockedContract(_ id: UUID, entering message: EnvelopeHeader, on connection: PostgresConnection) async throws -> Entered {
        if let contract = try await decoded(try await connection.execute(EnteringLockedContractRowRead(id: id, message: message), logger: logger)) {
            return .contract(contract)
        }
        for try await _ in try await connection.execute(ContractExists(id: id), logger: logger) { return .applied }
        return .notFound
    }

    /// The contract, unlocked, if `message` is not in webbavtal's inbox yet; nil when it is (applied before) or when
    /// there is no such contract. For a writer that then changes it only if it is still the version read.
    public func contract(_ id: UUID, unlessApplied message: EnvelopeHeader, on connection: PostgresConnection) async throws -> StoredContract? {
        try await decoded(try await connection.execute(UnappliedContractRowRead(id: id, messageId: message.messageId), logger: logger))
    }

    private func contract(_ id: UUID, on connection: PostgresConnection, forUpdate: Bool) async throws -> StoredContract? {
        let rows =
            forUpdate
            ? try await connection.execute(LockedContractRowRead(id: id), logger: logger)
            : try await connection.execute(ContractRowRead(id: id), logger: logger)
        return try await decoded(rows)
    }

    private func decoded(_ rows: some AsyncSequence<PostgresRow, any Error>) async throws -> StoredContract? {
        for try await row in rows {
            let (
                id, state, version, details, duplicates, findings, codes, detail, resubmitted, document, confirmedAt, createdAt, createdBy, changedAt,
                round, traceparent
            ) =
                try row.decode(
                    (UUID, String, Int, String, [UUID], String?, [String], String?, Bool?, String?, Date?, Date, String, Date, Int, String?).self)
            guard let state = ContractState(rawValue: state) else { throw StoreError.unknownState(state) }
            let reasons = try codes.map { code in try NeedsMKAReason(rawValue: code) ?? { throw StoreError.unknownReason(code) }() }
            return StoredContract(
                id: id, details: try StoreJSON.decode(ContractDetails.self, from: details), state: state, version: version,
                possibleDuplicateOf: duplicates, findings: try findings.map { try StoreJSON.decode(CheckFindings.self, from: $0) },
                needsMKAReasons: reasons, needsMKADetail: detail, resubmittedWithCreditCheck: resubmitted, signingDocumentId: document,
                confirmedAt: confirmedAt,
                createdAt: createdAt, createdBy: createdBy, stateChangedAt: changedAt, creditRound: round, traceparent: traceparent
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
                    id: id, contractId: contract, at: at, actor: Actor(kind: actorKind, id: actorId) ?? .service(actorId),
                    action: try AuditAction(rawValue: action) ?? { throw StoreError.unknownAuditAction(action) }(),
                    fromState: from.flatMap(ContractState.init(rawValue:)), toState: to.flatMap(ContractState.init(rawValue:)), reason: reason,
                    causeMessageId: cause
                )
            )
        }
        return records
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case unknownState(String)
    case unknownAuditAction(String)
    case unknownReason(String)
    /// The intake's insert wrote nothing and no contract holds its partner reference: never expected.
    case notWritten(UUID)

    public var description: String {
        switch self {
        case .unknownState(let state): "the store holds an unknown state '\(state)'"
        case .unknownAuditAction(let action): "the audit trail holds an unknown action '\(action)'"
        case .unknownReason(let code): "the store holds an unknown reason for MKA '\(code)'"
        case .notWritten(let id): "contract \(id) was not written, and no contract has its partner reference"
        }
    }
}
