import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import AvtalTestSupport
import Foundation
import PostgresNIO
import Testing
import Webbavtal

/// The contract store against the real PostgreSQL: the insert path, the lifecycle with its audit trail and outbox,
/// and the audit trail's immutability.
@Suite("Contract store")
struct ContractStoreTests {
    let logger = TestEnvironment.logger
    let store = ContractStore(logger: TestEnvironment.logger)
    let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
    let partner = Actor.partner("elpriskollen")

    static func withStore<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await TestDatabase.withFreshDatabase { client, _ in
            try await MigrationRunner.migrate(
                .contractStore, client: client, logger: TestEnvironment.logger
            )
            return try await body(client)
        }
    }

    func insert(_ details: ContractDetails, _ client: PostgresClient) async throws -> StoredContract {
        let outcome = try await client.withTransaction(logger: logger) { connection in
            try await store.insert(details, by: partner, now: Samples.now, on: connection)
        }
        guard case .created(let contract) = outcome else { throw SetupError("expected a new contract, got \(outcome)") }
        return contract
    }

    func outboxTypes(_ client: PostgresClient, _ id: UUID) async throws -> [String] {
        var types: [String] = []
        let rows = try await client.query(
            "SELECT message_type || ' ' || routing_key FROM webbavtal.outbox WHERE convert_from(body, 'UTF8') ILIKE \("%" + id.uuidString + "%") ORDER BY id"
        )
        for try await type in rows.decode(String.self) { types.append(type) }
        return types
    }

    @Test("the insert path writes the contract, its first audit record and ContractStored together")
    func insertWritesAll() async throws {
        try await Self.withStore { client in
            let standard = try await insert(Samples.privateContract(facility: 1), client)
            #expect(standard.state == .stored)
            #expect(standard.details.customer.personalIdentityNumber == "196408233234")
            #expect(standard.confirmedAt == Samples.now, "a contract needing no signature is confirmed when submitted")
            #expect(try await outboxTypes(client, standard.id) == ["ContractStored contract.stored.standard"])
            let trail = try await client.withConnection { try await store.auditTrail(standard.id, on: $0) }
            #expect(trail.map(\.action) == [.created])
            #expect(trail.first?.actor == partner)
            #expect(trail.first?.toState == .stored)

            let special = try await insert(Samples.specialContract(facility: 2), client)
            #expect(special.state == .readyForMKA)
            #expect(try await outboxTypes(client, special.id) == ["ContractStored contract.stored.special"])
        }
    }

    @Test("an insert inside a transaction that rolls back leaves nothing behind")
    func insertIsAtomic() async throws {
        try await Self.withStore { client in
            await #expect(throws: (any Error).self) {
                try await client.withTransaction(logger: logger) { connection in
                    _ = try await store.insert(Samples.privateContract(), by: partner, now: Samples.now, on: connection)
                    throw TestFailure.transient
                }
            }
            for table in ["contracts", "contract_facilities", "audit_trail", "outbox"] {
                let rows = try await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.\(table)")
                #expect(rows == 0, "\(table)")
            }
        }
    }

    @Test("invalid details are refused with every issue, and nothing is written")
    func invalidRefused() async throws {
        try await Self.withStore { client in
            var details = Samples.privateContract()
            details.customer.personalIdentityNumber = "640823-3235"
            details.facilities = []
            await #expect {
                try await client.withTransaction(logger: logger) { try await store.insert(details, by: partner, now: Samples.now, on: $0) }
            } throws: { error in
                let failure = (error as? PostgresTransactionError)?.closureError as? ValidationFailure
                return failure?.issues.map(\.field) == ["customer.personalIdentityNumber", "facilities"]
            }
            let stored = try await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.contracts")
            #expect(stored == 0)
        }
    }

    @Test("an open contract for the same facility is flagged as a possible duplicate; a closed one is not")
    func duplicates() async throws {
        try await Self.withStore { client in
            let first = try await insert(Samples.privateContract(facility: 7), client)
            var again = Samples.privateContract(facility: 7)
            again.partner?.externalReference = "another-order"
            let second = try await insert(again, client)
            #expect(second.possibleDuplicateOf == [first.id])
            let trail = try await client.withConnection { try await store.auditTrail(second.id, on: $0) }
            #expect(trail.first?.reason?.contains(first.id.uuidString) == true)

            // Close both: a third contract for the facility is no duplicate.
            for id in [first.id, second.id] {
                try await client.withTransaction(logger: logger) { connection in
                    _ = try await lifecycle.apply(
                        .needsMKA(reasons: [.possibleDuplicate]), to: id, by: .service("kontroll"), now: Samples.now, on: connection)
                    _ = try await lifecycle.apply(.rejectedByMKA(reason: "duplicate"), to: id, by: .user("mka-1"), now: Samples.now, on: connection)
                }
            }
            again.partner?.externalReference = "third-order"
            #expect(try await insert(again, client).possibleDuplicateOf == [])
        }
    }

    @Test("the same partner reference again creates nothing and names the existing contract")
    func partnerReferenceIsIdempotent() async throws {
        try await Self.withStore { client in
            let first = try await insert(Samples.privateContract(facility: 3), client)
            let again = try await client.withTransaction(logger: logger) { connection in
                try await store.insert(Samples.privateContract(facility: 3), by: partner, now: Samples.now, on: connection)
            }
            #expect(again == .existingReference(first.id))
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.contracts") == 1)
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.outbox") == 1)
        }
    }

    @Test("the database refuses to update, delete or truncate the audit trail")
    func auditTrailIsAppendOnly() async throws {
        try await Self.withStore { client in
            let contract = try await insert(Samples.privateContract(), client)
            for statement in [
                "UPDATE webbavtal.audit_trail SET reason = 'rewritten'", "DELETE FROM webbavtal.audit_trail",
                "TRUNCATE webbavtal.audit_trail CASCADE",
            ] {
                await #expect(throws: PSQLError.self, "\(statement)") {
                    try await client.query(PostgresQuery(unsafeSQL: statement))
                }
            }
            let trail = try await client.withConnection { try await store.auditTrail(contract.id, on: $0) }
            #expect(trail.count == 1)
            #expect(trail.first?.reason == nil)
        }
    }

    @Test("a transition updates the contract, records who and why, and publishes what the lifecycle asks for")
    func transitions() async throws {
        try await Self.withStore { client in
            let contract = try await insert(Samples.outboundBusinessContract(facility: 4), client)
            let findings = CheckFindings(existingCustomer: false, creditCheckPerformed: true)
            let outcome = try await client.withTransaction(logger: logger) { connection in
                try await lifecycle.apply(
                    .creditChecked, to: contract.id, by: .service("kontroll"), attachments: .init(findings: findings), now: Samples.now,
                    on: connection
                )
            }
            guard case .transitioned(let transition) = outcome else { throw SetupError("refused: \(outcome)") }
            #expect(transition.to == .approved)
            let approved = try #require(try await client.withConnection { try await store.contract(contract.id, on: $0) })
            #expect(approved.state == .approved)
            #expect(approved.version == contract.version + 1)
            #expect(approved.findings == findings)
            #expect(approved.confirmedAt == nil, "a contract needing a signature is not confirmed until signed")
            #expect(try await outboxTypes(client, contract.id) == ["ContractStored contract.stored.standard", "ContractApproved contract.approved"])
            let approvedEvent = try await client.query(
                "SELECT body FROM webbavtal.outbox WHERE message_type = 'ContractApproved' AND convert_from(body, 'UTF8') ILIKE \("%" + contract.id.uuidString + "%")"
            )
            for try await body in approvedEvent.decode(ByteBuffer.self) {
                let envelope = try EnvelopeCoding.decode(ContractApproved.self, from: Array(buffer: body))
                #expect(envelope.payload.requiresSignature)
                #expect(envelope.payload.snapshot == approved.details)
            }
        }
    }

    @Test("an input that does not fit is refused: nothing changes but the audit trail")
    func refusalsAreRecorded() async throws {
        try await Self.withStore { client in
            let contract = try await insert(Samples.privateContract(facility: 5), client)
            let outcome = try await client.withTransaction(logger: logger) { connection in
                try await lifecycle.apply(.contractExported, to: contract.id, by: .service("gordis-export"), now: Samples.now, on: connection)
            }
            guard case .refused(let refusal) = outcome else { throw SetupError("not refused: \(outcome)") }
            #expect(refusal.reason.contains("contractExported"))
            let after = try #require(try await client.withConnection { try await store.contract(contract.id, on: $0) })
            #expect(after == contract)
            let trail = try await client.withConnection { try await store.auditTrail(contract.id, on: $0) }
            #expect(trail.map(\.action) == [.created, .refused])
            #expect(trail.last?.fromState == .stored && trail.last?.toState == .stored)
            #expect(try await outboxTypes(client, contract.id).count == 1)
        }
    }

    /// kontroll's answer about `id`, as its message's header.
    func creditChecked(_ id: UUID) -> EnvelopeHeader {
        EventEnvelope(payload: CreditChecked(contractId: id, outcome: .approved), contractId: id).header
    }

    @Test(
        "an event applied without a lock: the transition and the message's inbox entry in one write; the same message again, a refusal and an unknown contract are left to the locked path, having written nothing"
    )
    func applyIfUnchanged() async throws {
        try await Self.withStore { client in
            let contract = try await insert(Samples.outboundBusinessContract(facility: 6), client)
            let message = creditChecked(contract.id)
            let kontroll = Actor.service("kontroll")
            let first = try await client.withConnection { connection in
                try await lifecycle.applyIfUnchanged(
                    .creditChecked, to: contract.id, by: kontroll, message: message, now: Samples.now, on: connection)
            }
            guard case .transitioned(let transition)? = first else { throw SetupError("not transitioned: \(String(describing: first))") }
            #expect(transition.to == .approved)
            let entered = try await TestDatabase.count(client, "SELECT count(*)::int FROM webbavtal.inbox WHERE message_id = '\(message.messageId)'")
            #expect(entered == 1, "the message is in the inbox with its effect")
            let approved = try #require(try await client.withConnection { try await store.contract(contract.id, on: $0) })
            #expect(approved.version == contract.version + 1)
            #expect(try await outboxTypes(client, contract.id) == ["ContractStored contract.stored.standard", "ContractApproved contract.approved"])

            let again = try await client.withConnection { connection in
                try await lifecycle.applyIfUnchanged(
                    .creditChecked, to: contract.id, by: kontroll, message: message, now: Samples.now, on: connection)
            }
            #expect(again == nil, "a redelivery is left to the locked path, which skips it")
            let refused = try await client.withConnection { connection in
                try await lifecycle.applyIfUnchanged(
                    .creditChecked, to: contract.id, by: kontroll, message: creditChecked(contract.id), now: Samples.now, on: connection)
            }
            #expect(refused == nil, "a refusal is recorded under the lock, not here")
            let unknown = UUID()
            let nowhere = try await client.withConnection { connection in
                try await lifecycle.applyIfUnchanged(
                    .creditChecked, to: unknown, by: kontroll, message: creditChecked(unknown), now: Samples.now, on: connection)
            }
            #expect(nowhere == nil)
            let after = try #require(try await client.withConnection { try await store.contract(contract.id, on: $0) })
            #expect(after == approved, "nothing changed after the first")
            let trail = try await client.withConnection { try await store.auditTrail(contract.id, on: $0) }
            #expect(trail.map(\.action) == [.created, .transition])
            let inboxRows = try await TestDatabase.count(client, "SELECT count(*)::int FROM webbavtal.inbox")
            #expect(inboxRows == 1, "only the applied message was entered")
        }
    }

    @Test("eight messages about one contract, all read before any writes: one transition, seven refusals under the lock, every message entered once")
    func concurrentUnlockedApplies() async throws {
        try await Self.withStore { client in
            let contract = try await insert(Samples.outboundBusinessContract(facility: 7), client)
            let kontroll = Actor.service("kontroll")
            let messages = (0..<8).map { _ in creditChecked(contract.id) }
            /// Each as webbavtal's consumer does it (ContractEventHandlers): without a lock first, then under it.
            @Sendable func applyAll() async throws -> [ContractLifecycle.ApplyOutcome?] {
                try await withThrowingTaskGroup(of: ContractLifecycle.ApplyOutcome?.self) { group in
                    for message in messages {
                        group.addTask { [lifecycle] in
                            let unlocked = try await client.withConnection { connection in
                                try await lifecycle.applyIfUnchanged(
                                    .creditChecked, to: contract.id, by: kontroll, message: message, now: Samples.now, on: connection)
                            }
                            if let unlocked { return unlocked }
                            return try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                                try await lifecycle.apply(
                                    .creditChecked, to: contract.id, by: kontroll, message: message, now: Samples.now, on: connection)
                            }
                        }
                    }
                    return try await group.reduce(into: [ContractLifecycle.ApplyOutcome?]()) { $0.append($1) }
                }
            }
            // The row held locked (and left unchanged) until all eight have read it and wait to write: every write then
            // meets a contract that one of the others may have changed since it was read.
            let applying = try await client.withTransaction(logger: logger) { holder in
                _ = try await holder.query("SELECT 1 FROM webbavtal.contracts WHERE id = \(contract.id) FOR UPDATE", logger: logger).collect()
                let applying = Task { try await applyAll() }
                let waiting = "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                let allWaiting = try await eventually { try await TestDatabase.count(client, waiting) == messages.count }
                #expect(allWaiting, "all eight wait for the row's lock")
                return applying
            }
            let outcomes = try await applying.value
            #expect(outcomes.filter { if case .transitioned? = $0 { true } else { false } }.count == 1)
            #expect(outcomes.filter { if case .refused? = $0 { true } else { false } }.count == 7)
            let after = try #require(try await client.withConnection { try await store.contract(contract.id, on: $0) })
            #expect(after.state == .approved)
            #expect(after.version == contract.version + 1, "one write took effect")
            #expect(try await outboxTypes(client, contract.id) == ["ContractStored contract.stored.standard", "ContractApproved contract.approved"])
            let trail = try await client.withConnection { try await store.auditTrail(contract.id, on: $0) }
            #expect(trail.filter { $0.action == .transition }.count == 1)
            #expect(trail.filter { $0.action == .refused }.count == 7)
            let entered = try await TestDatabase.count(client, "SELECT count(DISTINCT message_id)::int FROM webbavtal.inbox")
            #expect(entered == 8)
        }
    }

    @Test("MKA completes a contract under optimistic concurrency, keeping before and after, then resubmits it")
    func editAndResubmit() async throws {
        try await Self.withStore { client in
            var details = Samples.privateContract(facility: 8)
            details.facilities[0].meteringPointId = nil
            let contract = try await insert(details, client)
            let mka = Actor.user("mka-anna")
            let early = try await client.withTransaction(logger: logger) { connection in
                try await lifecycle.edit(contract.id, to: details, expectedVersion: 1, by: mka, reason: "x", now: Samples.now, on: connection)
            }
            #expect(early == .notEditable(.stored))

            _ = try await client.withTransaction(logger: logger) { connection in
                try await lifecycle.apply(
                    .needsMKA(reasons: [.facilityIdMissing]), to: contract.id, by: .service("kontroll"), now: Samples.now, on: connection)
            }
            var completed = details
            completed.facilities[0].meteringPointId = Samples.meteringPointId(8)
            let stale = try await client.withTransaction(logger: logger) { connection in
                try await lifecycle.edit(contract.id, to: completed, expectedVersion: 1, by: mka, reason: "x", now: Samples.now, on: connection)
            }
            #expect(stale == .versionConflict(current: 2))

            let edited = try await client.withTransaction(logger: logger) { connection in
                try await lifecycle.edit(
                    contract.id, to: completed, expectedVersion: 2, by: mka, reason: "facility id from the customer", now: Samples.now, on: connection
                )
            }
            guard case .edited(let after) = edited else { throw SetupError("not edited: \(edited)") }
            #expect(after.details.facilities[0].meteringPointId == Samples.meteringPointId(8))
            #expect(after.version == 3)
            #expect(after.state == .needsMKA)
            let detail = try await TestDatabase.count(
                client,
                "SELECT count(*) FROM webbavtal.audit_trail WHERE action = 'edited' AND detail->'before'->'facilities'->0->>'meteringPointId' IS NULL AND detail->'after'->'facilities'->0->>'meteringPointId' IS NOT NULL"
            )
            #expect(detail == 1)

            _ = try await client.withTransaction(logger: logger) { connection in
                try await lifecycle.apply(.resubmittedByMKA(newCreditCheck: true), to: contract.id, by: mka, now: Samples.now, on: connection)
            }
            // Back to kontroll; and, the contract being a partner's, the partner is told it is `received` again.
            #expect(
                try await outboxTypes(client, contract.id).suffix(2) == [
                    "ContractResubmitted contract.resubmitted", "PartnerStatusChanged contract.partner-status-changed",
                ])
            let resubmitted = try #require(try await client.withConnection { try await store.contract(contract.id, on: $0) })
            #expect(resubmitted.state == .stored)
            #expect(resubmitted.needsMKAReasons == [])
            #expect(resubmitted.resubmittedWithCreditCheck == true)
            #expect(resubmitted.creditRound == 2, "MKA's ordered credit check opens round 2")
            let rounds = try await TestDatabase.count(
                client,
                "SELECT count(*) FROM webbavtal.outbox WHERE message_type = 'ContractResubmitted' AND convert_from(body, 'UTF8')::jsonb->'payload'->>'creditRound' = '2'"
            )
            #expect(rounds == 1)
            let trail = try await client.withConnection { try await store.auditTrail(contract.id, on: $0) }
            #expect(trail.map(\.action) == [.created, .transition, .edited, .transition])
            #expect(trail[2].actor == mka)
        }
    }
}
