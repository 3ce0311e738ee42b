import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import AvtalThirdParty
import Foundation
import Kontroll
import NIOCore
import PostgresNIO
import Testing
import Webbavtal

@testable import AvtalMessaging

/// kontroll as a real process with the sandbox as a real process, and webbavtal's store, consumer and relay in the
/// test: a contract stored through the insert path reaches `approved` or `needsMKA` with the right reasons, with
/// exactly one credit check and one e-mail where the rule asks for them — even when an event is delivered twice.
@Suite("Kontroll end to end", .serialized)
struct KontrollFlowTests {
    struct Call: Decodable {
        var operation: String
    }

    let store = ContractStore(logger: TestEnvironment.logger)

    func calls(_ sandbox: ServiceProcess, key: String) async throws -> [String] {
        let answer = try #require(await sandbox.get("/calls?key=\(key)"))
        return try ThirdPartyJSON.decoder.decode([Call].self, from: Data(answer.body.utf8)).map(\.operation)
    }

    func contract(personnummer: String, facility: Int) -> ContractDetails {
        var details = Samples.privateContract(facility: facility)
        details.customer.personalIdentityNumber = personnummer
        return details
    }

    /// webbavtal's harness with the sandbox and kontroll as processes, both ready; `extra` goes to kontroll, and the
    /// body gets kontroll's environment too.
    func withKontroll(
        _ extra: [String: String] = [:], _ body: (WebbavtalHarness, ServiceProcess, ServiceProcess, [String: String]) async throws -> Void
    ) async throws {
        try await WebbavtalHarness.run { harness in
            let sandbox = try ServiceProcess("sandbox", environment: [:])
            var environment = ServiceProcessTests.isolatedEnvironment(database: harness.database).merging(extra) { $1 }
            environment["AMQP_EXCHANGE"] = harness.exchange
            for key in ["REGISTER_URL", "CREDIT_BUREAU_URL", "MAIL_GATEWAY_URL"] { environment[key] = "http://127.0.0.1:\(sandbox.port)" }
            let kontroll = try ServiceProcess("kontroll", environment: environment)
            for process in [sandbox, kontroll] {
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
                #expect(ready, "\(process.name) is not ready:\n\(process.output)")
            }
            try await body(harness, sandbox, kontroll, environment)
        }
    }

    @Test("MKA's order of a new credit check makes one for that round, even for an existing customer the rule exempts")
    func orderedCheck() async throws {
        try await withKontroll { harness, sandbox, kontroll, _ in
            let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
            func stored(_ id: UUID) async throws -> StoredContract? {
                try await harness.client.withConnection { try await store.contract(id, on: $0) }
            }
            // An existing private customer (no check by the rule) at a facility the register does not know: to MKA.
            let outcome = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await store.insert(
                    contract(personnummer: "197001019103", facility: 9_000_013), by: .partner("test"), now: Samples.now, on: connection)
            }
            guard case .created(let contract) = outcome else { throw SetupError("not created: \(outcome)") }
            #expect(await eventually { (try? await stored(contract.id))?.state == .needsMKA })
            #expect(try await stored(contract.id)?.findings?.creditCheckPerformed == false, "the rule exempts an existing customer")

            // MKA resubmits it with a new credit check: round 2 is checked once, and the customer told once.
            _ = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await lifecycle.apply(
                    .resubmittedByMKA(newCreditCheck: true), to: contract.id, by: .user("mona"), now: Samples.now, on: connection)
            }
            #expect(await eventually { (try? await stored(contract.id))?.findings?.creditCheckPerformed == true }, "\(kontroll.output.suffix(2000))")
            let second = ContractChecks.creditReference(contractId: contract.id, round: 2)
            #expect(try await calls(sandbox, key: second).filter { $0 == "credit-check" }.count == 1)
            #expect(try await calls(sandbox, key: second + "-mail").filter { $0 == "mail-sent" }.count == 1)
            let recorded = try await TestDatabase.count(
                harness.client, "SELECT count(*) FROM kontroll.credit_checks WHERE contract_id = '\(contract.id)' AND credit_round = 2")
            #expect(recorded == 1)

            // Resubmitted again without an order: no check, for round 2 or any other.
            #expect(await eventually { (try? await stored(contract.id))?.state == .needsMKA })
            _ = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await lifecycle.apply(
                    .resubmittedByMKA(newCreditCheck: false), to: contract.id, by: .user("mona"), now: Samples.now, on: connection)
            }
            let settled = await eventually {
                let current = try? await stored(contract.id)
                return current?.state == .needsMKA && current?.findings?.creditCheckPerformed == false
            }
            #expect(settled)
            #expect(try await calls(sandbox, key: second).filter { $0 == "credit-check" }.count == 1, "still one")
            for process in [kontroll, sandbox] { #expect(await process.terminate() == 0) }
        }
    }

    @Test("a mass contract of 1 000 facilities: stored, every facility looked up, approved within 30 s")
    func massContract() async throws {
        try await withKontroll { harness, sandbox, kontroll, _ in
            var details = Samples.outboundBusinessContract()
            details.kind = .mass
            // Sequences ending in 4: known facilities in SE4 (docs/sandbox.md), as the contract says.
            details.facilities = (1...1_000).map {
                Facility(meteringPointId: Samples.meteringPointId(10 * $0 + 4), priceArea: .se4, annualConsumptionKwh: 40_000)
            }
            let started = ContinuousClock.now
            let outcome = try await harness.client.withTransaction(logger: TestEnvironment.logger) { [details] connection in
                try await store.insert(details, by: .user("bo"), now: Samples.now, on: connection)
            }
            let stored = ContinuousClock.now - started
            guard case .created(let contract) = outcome else { throw SetupError("not created: \(outcome)") }
            let approved = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
                (try? await harness.client.withConnection { try await store.contract(contract.id, on: $0) })?.state == .approved
            }
            let took = ContinuousClock.now - started
            print("mass contract of 1 000 facilities: stored in \(stored), approved \(took) after the insert began")
            #expect(approved, "\(kontroll.output.suffix(2000))")
            let facilities = try await TestDatabase.count(
                harness.client, "SELECT count(*) FROM webbavtal.contract_facilities WHERE contract_id = '\(contract.id)'")
            #expect(facilities == 1_000)
            let lookups = try await TestDatabase.count(
                harness.client, "SELECT jsonb_array_length(findings->'knownFacilities') FROM webbavtal.contracts WHERE id = '\(contract.id)'")
            #expect(lookups == 1_000, "every facility looked up and known")
            let records = try await TestDatabase.count(
                harness.client, "SELECT jsonb_array_length(findings->'facilityRecords') FROM webbavtal.contracts WHERE id = '\(contract.id)'")
            #expect(records == 1_000, "every facility's register record kept with the contract")
        }
    }

    @Test("what the registers hold is kept with the contract and shown beside it, differences marked, to MKA and the seller alike")
    func registersShown() async throws {
        try await withKontroll { harness, _, kontroll, _ in
            // Serial 933: an existing private customer registered at another address (docs/sandbox.md); a facility in
            // SE4 whose 14th digit 7 puts it at that other address too, where the contract has the customer's.
            var details = contract(personnummer: "197001019335", facility: 70_000_004)
            details.facilities[0].priceArea = .se4
            let outcome = try await harness.client.withTransaction(logger: TestEnvironment.logger) { [details] connection in
                try await store.insert(details, by: .partner("test"), now: Samples.now, on: connection)
            }
            guard case .created(let created) = outcome else { throw SetupError("not created: \(outcome)") }
            let approved = await eventually {
                (try? await harness.client.withConnection { try await store.contract(created.id, on: $0) })?.state == .approved
            }
            #expect(approved, "\(kontroll.output.suffix(2000))")
            let contract = try #require(try await harness.client.withConnection { try await store.contract(created.id, on: $0) })
            let elsewhere = Address(street: "Sjövägen 12", postalCode: "760 10", city: "Bergshamra")
            let customer = try #require(contract.findings?.registeredCustomer)
            #expect(customer.customerNumber == "K019335")
            #expect(customer.name == "Anna Andersson")
            #expect(customer.type == "private" && !customer.isSoleProprietorship)
            #expect(customer.address == elsewhere)
            let facility = try #require(contract.findings?.facilityRecords?.first)
            #expect(facility.meteringPointId == details.facilities[0].meteringPointId)
            #expect(facility.priceArea == "SE4" && facility.gridArea == "MAL" && facility.currentSupplier == "Annat Elbolag AB")
            #expect(facility.address == elsewhere)

            for viewer in [ContractPageView.Viewer.mka, .seller] {
                let page = ContractPageView.context(contract, trail: [], viewer: viewer, catalogue: .current, now: Samples.now)
                let rows = try #require(page["registeredCustomer"] as? [[String: Any]])
                let marked = rows.filter { ($0["register"] as? [String: Any])?["differs"] as? Bool == true }.compactMap { $0["label"] as? String }
                #expect(marked == ["Adress"], "only the address differs: \(marked)")
                let facilityRow = try #require((page["facilities"] as? [[String: Any]])?.first)
                #expect((facilityRow["registeredAddress"] as? [String: Any])?["differs"] as? Bool == true)
                #expect((facilityRow["registeredPriceArea"] as? [String: Any])?["differs"] as? Bool == false)
            }
        }
    }

    @Test("the rule's cases end in the right state with the right reasons, one credit check and one e-mail each")
    func endToEnd() async throws {
        try await withKontroll(["RETRY_DELAYS_MS": "100,200"]) { harness, sandbox, kontroll, environment in

            // (personnummer, facility, expected state, expected reasons, credit check made)
            let cases: [(String, Int, ContractState, [NeedsMKAReason], Bool)] = [
                ("196408233234", 13, .approved, [], true),  // new customer: checked, approved
                ("197001019103", 23, .approved, [], false),  // existing private customer: no check
                ("197001019954", 33, .needsMKA, [.creditDenied], true),  // the bureau denies
                ("197001019855", 43, .needsMKA, [.creditReferred], true),  // the bureau refers
                ("196408233234", 9_000_003, .needsMKA, [.facilityUnknown], true),  // unknown facility
                ("197001019756", 53, .needsMKA, [.creditUnavailable], false),  // the bureau never answers
                ("197001019418", 63, .needsMKA, [.customerConflict], false),  // registered as Per Persson
                ("196408233234", 8_000_003, .needsMKA, [.switchTooEarly], true),  // a switch already under way
            ]
            // The two sole-proprietorship crossings, with data chosen for them (docs/sandbox.md): 197001019608 (serial 960)
            // is registered as a sole proprietorship, 197001019103 (910) privately; the bureau approves both serials.
            let soleProprietorCases: [(String, Int, ContractState, [NeedsMKAReason], Bool)] = [
                ("197001019608", 73, .approved, [], true),  // a private contract for a registered sole proprietor: checked
                ("197001019103", 83, .approved, [], true),  // a sole proprietorship's contract for a registered private person: checked
            ]
            var ids: [UUID] = []
            for (index, (personnummer, facility, _, _, _)) in (cases + soleProprietorCases).enumerated() {
                var details = contract(personnummer: personnummer, facility: facility)
                if index == cases.count + 1 {
                    // The business contract of Anna Andersson's own sole proprietorship: her personnummer, no organisationsnummer.
                    details.kind = .business
                    details.customer.type = .business
                    details.customer.companyName = "Anna Andersson Konsult"
                }
                let outcome = try await harness.client.withTransaction(logger: TestEnvironment.logger) { [details] connection in
                    try await store.insert(details, by: .partner("test"), now: Samples.now, on: connection)
                }
                guard case .created(let stored) = outcome else { throw SetupError("not created: \(outcome)") }
                ids.append(stored.id)
            }
            #expect(ids.count == cases.count + soleProprietorCases.count)
            for (id, (_, _, state, reasons, checked)) in zip(ids, cases + soleProprietorCases) {
                let reached = await eventually(timeout: .seconds(30)) {
                    (try? await harness.client.withConnection { try await store.contract(id, on: $0) })?.state == state
                }
                #expect(reached, "\(id) did not reach \(state):\n\(kontroll.output.suffix(2000))")
                let stored = try #require(try await harness.client.withConnection { try await store.contract(id, on: $0) })
                #expect(stored.needsMKAReasons == reasons)
                #expect(stored.findings?.creditCheckPerformed == checked)
                let reference = ContractChecks.creditReference(contractId: id, round: 1)
                let creditChecks = try await calls(sandbox, key: reference).filter { $0 == "credit-check" }.count
                #expect(creditChecks == (checked ? 1 : 0), "credit checks for \(id)")
                let mails = try await calls(sandbox, key: reference + "-mail").filter { $0 == "mail-sent" }.count
                #expect(mails == (checked ? 1 : 0), "e-mails for \(id)")
            }

            // The credit decision on record, for MKA: why, the outcome, and the e-mail that told the customer.
            let expectedRules: [CreditCheckRule.Reason?] =
                [.newCustomer, .existingCustomer] + Array(repeating: nil, count: cases.count - 2)
                + [.privateContractForSoleProprietor, .soleProprietorshipContractForPrivateCustomer]
            for (id, rule) in zip(ids, expectedRules) where rule != nil {
                let findings = try #require(try await harness.client.withConnection { try await store.contract(id, on: $0) }?.findings)
                #expect(findings.creditRule == rule, "\(id)")
            }
            let newCustomer = try #require(try await harness.client.withConnection { try await store.contract(ids[0], on: $0) }?.findings)
            #expect(
                newCustomer.creditOutcome == "approved" && newCustomer.creditNoticeRecipient == "anna@example.se"
                    && newCustomer.creditNoticeSentAt != nil)
            let noticeReference = ContractChecks.creditReference(contractId: ids[0], round: 1) + "-mail"
            let notice = try #require(await sandbox.get("/mail-control/messages/\(noticeReference)"))
            let message = try JSONSerialization.jsonObject(with: Data(notice.body.utf8)) as? [String: Any] ?? [:]
            #expect(message["to"] as? String == "anna@example.se")
            #expect(message["subject"] as? String == "Vi har gjort en kreditupplysning")
            #expect((message["text"] as? String)?.contains("gjorde vi en kreditupplysning") == true)

            // The unavailable bureau was tried on every delivery (first + 2 retry tiers), 3 HTTP attempts each.
            let unavailable = try await calls(sandbox, key: ContractChecks.creditReference(contractId: ids[5], round: 1))
            #expect(unavailable.filter { $0 == "credit-check-unavailable" }.count == 9)
            let ledger = try await TestDatabase.count(harness.client, "SELECT count(*) FROM kontroll.credit_checks WHERE credit_round = 1")
            #expect(ledger == (cases + soleProprietorCases).filter(\.4).count, "kontroll's ledger records each credit check made")

            // The first contract's ContractStored delivered again: no second credit check, no second outcome.
            let first = ids[0]
            let rows = try await harness.client.query(
                "SELECT message_id, body FROM webbavtal.outbox WHERE message_type = 'ContractStored' AND convert_from(body, 'UTF8') ILIKE \("%" + first.uuidString + "%")"
            )
            for try await (messageId, body) in rows.decode((UUID, ByteBuffer).self) {
                try await harness.publisher.publish(
                    OutboundMessage(
                        exchange: harness.exchange, routingKey: RoutingKey.contractStoredStandard, body: Array(buffer: body),
                        messageId: messageId.uuidString.lowercased(), type: "ContractStored"
                    )
                )
            }
            let reference = ContractChecks.creditReference(contractId: first, round: 1)
            let before = try await calls(sandbox, key: reference)
            // kontroll acknowledges the redelivery without calling anyone: wait until its queue is empty again.
            let queue = environment["AMQP_QUEUE_PREFIX", default: ""] + "kontroll.work"
            #expect(await eventually { (try? await TestBroker.messageCount(queue)) == 0 })
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await calls(sandbox, key: reference) == before, "a redelivery must not reach the bureau")
            #expect(before.filter { $0 == "credit-check" }.count == 1)
            let outcomes = try await TestDatabase.count(
                harness.client,
                "SELECT count(*) FROM kontroll.outbox WHERE convert_from(body, 'UTF8') ILIKE '%\(first.uuidString)%'"
            )
            #expect(outcomes == 1, "a redelivered ContractStored must not produce a second outcome")

            #expect(await kontroll.terminate() == 0)
            #expect(await sandbox.terminate() == 0)
        }
    }

    @Test("a kontroll killed while the bureau answers, then two replicas on one queue: still one credit check and one e-mail per contract")
    func crashAndReplicas() async throws {
        try await WebbavtalHarness.run { harness in
            let sandbox = try ServiceProcess("sandbox", environment: ["SANDBOX_BUREAU_LATENCY_MS": "300"])
            var environment = ServiceProcessTests.isolatedEnvironment(database: harness.database)
            environment["AMQP_EXCHANGE"] = harness.exchange
            for key in ["REGISTER_URL", "CREDIT_BUREAU_URL", "MAIL_GATEWAY_URL"] { environment[key] = "http://127.0.0.1:\(sandbox.port)" }
            func start() async throws -> ServiceProcess {
                let kontroll = try ServiceProcess("kontroll", environment: environment)
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await kontroll.admin("/ready")?.status == 200 }
                #expect(ready, "kontroll is not ready:\n\(kontroll.output)")
                return kontroll
            }
            #expect(await eventually(timeout: .seconds(30)) { await sandbox.admin("/ready")?.status == 200 })
            func insert(_ facilities: [Int]) async throws -> [UUID] {
                var ids: [UUID] = []
                for facility in facilities {
                    let outcome = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                        try await store.insert(
                            contract(personnummer: "196408233234", facility: facility), by: .partner("test"), now: Samples.now, on: connection)
                    }
                    guard case .created(let stored) = outcome else { throw SetupError("not created: \(outcome)") }
                    ids.append(stored.id)
                }
                return ids
            }

            // One replica, killed the moment the bureau has made a check and is still answering it.
            let first = try await start()
            var ids = try await insert(Array(stride(from: 103, through: 193, by: 10)))
            let checkMade = await eventually(timeout: .seconds(30), every: .milliseconds(5)) {
                guard let answer = await sandbox.get("/calls?system=credit-bureau") else { return false }
                return answer.body.contains(#""credit-check""#)
            }
            #expect(checkMade)
            await first.crash()

            // Two replicas take over the same queue, with the killed one's deliveries and ten more contracts.
            let replicas = [try await start(), try await start()]
            ids += try await insert(Array(stride(from: 203, through: 293, by: 10)))
            for id in ids {
                let approved = await eventually(timeout: .seconds(30)) {
                    (try? await harness.client.withConnection { try await store.contract(id, on: $0) })?.state == .approved
                }
                #expect(approved, "\(id) did not reach approved")
                let reference = ContractChecks.creditReference(contractId: id, round: 1)
                #expect(try await calls(sandbox, key: reference).filter { $0 == "credit-check" }.count == 1, "credit checks for \(id)")
                #expect(try await calls(sandbox, key: reference + "-mail").filter { $0 == "mail-sent" }.count == 1, "e-mails for \(id)")
            }
            let outcomes = try await TestDatabase.count(harness.client, "SELECT count(*) FROM kontroll.outbox")
            #expect(outcomes == ids.count, "one outcome per contract")
            for replica in replicas { #expect(await replica.terminate() == 0) }
            #expect(await sandbox.terminate() == 0)
        }
    }
}
