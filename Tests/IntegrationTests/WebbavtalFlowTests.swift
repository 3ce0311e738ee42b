import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import AvtalTestSupport
import Foundation
import PostgresNIO
import Testing
import Webbavtal

@testable import AvtalMessaging

/// webbavtal's consumers and safety net with the real broker: events from the other services move contracts exactly
/// once, whatever the broker repeats or reorders, and the sweep moves on contracts whose events were lost.
@Suite("Webbavtal flow")
struct WebbavtalFlowTests {
    let logger = TestEnvironment.logger
    let store = ContractStore(logger: TestEnvironment.logger)
    let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)

    func withWebbavtal(_ body: (WebbavtalHarness) async throws -> Void) async throws {
        try await WebbavtalHarness.run(body)
    }

    func insert(_ details: ContractDetails, _ client: PostgresClient) async throws -> UUID {
        let outcome = try await client.withTransaction(logger: logger) { connection in
            try await store.insert(details, by: .partner("test"), now: Samples.now, on: connection)
        }
        guard case .created(let contract) = outcome else { throw SetupError("not created: \(outcome)") }
        return contract.id
    }

    func state(_ id: UUID, _ client: PostgresClient) async throws -> ContractState? {
        try await client.withConnection { try await store.contract(id, on: $0) }?.state
    }

    func actions(_ id: UUID, _ client: PostgresClient) async throws -> [AuditAction] {
        try await client.withConnection { try await store.auditTrail(id, on: $0) }.map(\.action)
    }

    func publish<Event: DomainEvent>(_ envelope: EventEnvelope<Event>, _ harness: WebbavtalHarness) async throws {
        try await harness.publish(envelope)
    }

    @Test("a redelivered event is applied once; an event out of order is recorded and changes nothing")
    func duplicatesAndDisorder() async throws {
        try await withWebbavtal { harness in
            let client = harness.client
            let id = try await insert(Samples.outboundBusinessContract(facility: 11), client)
            let checked = EventEnvelope(payload: CreditChecked(contractId: id, outcome: .approved), contractId: id)
            try await publish(checked, harness)
            try await publish(checked, harness)  // the same message again, as a redelivery would bring it
            #expect(await eventually { (try? await state(id, client)) == .approved })

            // The signature overtakes its own signing request.
            try await publish(
                EventEnvelope(payload: ContractSigned(contractId: id, documentId: "doc-1", signedAt: Samples.now), contractId: id), harness)
            #expect(await eventually { (try? await state(id, client)) == .signed })
            try await publish(EventEnvelope(payload: SigningRequested(contractId: id, documentId: "doc-1"), contractId: id), harness)
            #expect(await eventually { (try? await actions(id, client).last) == .refused })

            #expect(try await actions(id, client) == [.created, .transition, .transition, .refused])
            #expect(try await state(id, client) == .signed)
            let approvals = try await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.outbox WHERE message_type = 'ContractApproved'")
            #expect(approvals == 1, "a duplicate CreditChecked must not approve twice")
            let confirmed = try await client.withConnection { try await store.contract(id, on: $0) }?.confirmedAt
            #expect(confirmed == Samples.now, "the signature confirms the contract and starts the withdrawal period")
        }
    }

    @Test("an event about a contract the store does not know is parked")
    func unknownContractParked() async throws {
        try await withWebbavtal { harness in
            let unknown = UUID()
            try await publish(EventEnvelope(payload: NeedsMKA(contractId: unknown, reasons: [.creditDenied]), contractId: unknown), harness)
            let parking = ParkingLot(connection: TestEnvironment.broker, topology: harness.webbavtal)
            #expect(await eventually { (try? await parking.list().first?.reason.contains("does not know")) == true })
        }
    }

    @Test("contracts whose ContractStored was lost move on after the sweep re-publishes it")
    func sweepMovesStuckContracts() async throws {
        try await withWebbavtal { harness in
            let client = harness.client
            // A stand-in for kontroll: its queue exists, but it is not running yet.
            let kontroll = ServiceTopology(
                service: TestEnvironment.uniqueName("kontroll"), exchange: harness.exchange, routingKeys: [RoutingKey.contractStoredStandard]
            )
            defer { Task { await TestBroker.delete(kontroll) } }
            let kontrollPublisher = AMQPPublisher(options: TestEnvironment.broker, topology: kontroll.topology, logger: logger)
            try await kontrollPublisher.connect()

            var ids: [UUID] = []
            for facility in 21...23 { ids.append(try await insert(Samples.privateContract(facility: facility), client)) }
            #expect(await eventually { (try? await TestBroker.messageCount(kontroll.workQueue)) == 3 })
            // The events are lost (purged) before kontroll ever sees them.
            _ = try await TestBroker.withConnection(TestEnvironment.broker) { try $0.deleteQueue(kontroll.workQueue) }

            var handlers = EventHandlers()
            handlers.on(ContractStored.eventType) { event in
                let stored = try event.envelope(as: ContractStored.self)
                let reply = EventEnvelope(
                    payload: CreditChecked(contractId: stored.payload.contractId, outcome: .notRequired), causedBy: stored.header,
                    contractId: stored.payload.contractId)
                try await publish(reply, harness)
            }
            let kontrollConsumer = EventConsumer(
                topology: kontroll, handlers: handlers, connection: TestEnvironment.broker, publisher: kontrollPublisher, logger: logger
            )
            let running = Task { try await kontrollConsumer.run() }
            #expect(await eventually { kontrollConsumer.isConsuming })
            for id in ids { #expect(try await state(id, client) == .stored) }

            let sweep = SafetyNetSweep(client: client, lifecycle: lifecycle, interval: .seconds(600), stuckAfter: .zero, logger: logger)
            let swept = try await sweep.sweep(now: Samples.now.addingTimeInterval(1))
            #expect(Set(swept?.republished ?? []) == Set(ids))
            for id in ids {
                #expect(await eventually { (try? await state(id, client)) == .approved }, "\(id) did not move on")
                #expect(try await actions(id, client) == [.created, .republished, .transition])
            }
            kontrollConsumer.stop()
            try await running.value
            await kontrollPublisher.close()
        }
    }

    @Test("a contract whose service never answers is published again with back-off, then handed to MKA saying which service and since when")
    func sweepBacksOffThenHandsToMKA() async throws {
        try await ContractStoreTests.withStore { client in
            let id = try await insert(Samples.privateContract(facility: 41), client)
            let sweep = SafetyNetSweep(
                client: client, lifecycle: lifecycle, interval: .seconds(600), stuckAfter: .seconds(10), maximumRounds: 2, logger: logger)
            func at(_ seconds: Double) async throws -> SafetyNetSweep.Round? { try await sweep.sweep(now: Samples.now.addingTimeInterval(seconds)) }
            #expect(try await at(5)?.republished == [], "not stuck before stuckAfter")
            #expect(try await at(10)?.republished == [id], "first round: stuckAfter after the last change")
            #expect(try await at(29)?.republished == [], "the next waits twice as long")
            #expect(try await at(30)?.republished == [id])
            #expect(try await at(69)?.republished == [], "and the next twice as long again")
            let last = try await at(70)
            #expect(last?.republished == [] && last?.handedToMKA == [id], "after the last round: to MKA")
            let contract = try #require(try await client.withConnection { try await store.contract(id, on: $0) })
            #expect(contract.state == .needsMKA)
            #expect(contract.needsMKAReasons == [.noProgress])
            #expect(contract.needsMKADetail?.hasPrefix("kontroll never answered: the next step was published again 2 times since") == true)
            #expect(try await actions(id, client) == [.created, .republished, .republished, .transition])
            #expect(try await at(10_000)?.republished == [], "a contract waiting for MKA is not swept")

            // MKA resubmits it: the count starts again.
            _ = try await client.withTransaction(logger: logger) { connection in
                try await lifecycle.apply(.resubmittedByMKA(newCreditCheck: false), to: id, by: .user("mona"), now: Samples.now, on: connection)
            }
            #expect(try await at(10)?.republished == [id])
        }
    }

    @Test("only one replica sweeps at a time")
    func oneSweeperAtATime() async throws {
        try await ContractStoreTests.withStore { client in
            _ = try await insert(Samples.privateContract(facility: 31), client)
            let sweep = SafetyNetSweep(client: client, lifecycle: lifecycle, interval: .seconds(600), stuckAfter: .zero, logger: logger)
            let whileHeld = try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext('avtal.sweep.webbavtal'))", logger: logger)
                return try await sweep.sweep(now: Samples.now.addingTimeInterval(1))
            }
            #expect(whileHeld == nil)
            #expect(try await sweep.sweep(now: Samples.now.addingTimeInterval(1))?.republished.count == 1)
        }
    }
}
