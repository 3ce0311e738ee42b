import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOHTTP1
import PostgresNIO
import Signering
import Testing
import Webbavtal

/// Phone-sold contracts through kontroll and signering (processes) to the sandbox's GetAccept and back through its
/// webhooks, with webbavtal's store, consumer and relay in the test.
@Suite("Signing end to end", .serialized)
struct SigningFlowTests {
    let store = ContractStore(logger: TestEnvironment.logger)
    let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)

    struct Stack {
        let harness: WebbavtalHarness
        let sandbox: ServiceProcess
        let kontroll: ServiceProcess
        let signering: ServiceProcess
        let store: ContractStore
        /// signering's environment, to start another replica.
        let environment: [String: String]

        func calls(_ key: String) async throws -> [String] {
            let answer = try #require(await sandbox.get("/calls?system=getaccept&key=\(key)"))
            let calls = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]] ?? []
            return calls.compactMap { $0["operation"] as? String }
        }

        func insert(_ details: ContractDetails) async throws -> UUID {
            let outcome = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await store.insert(details, by: .user("seller-1"), now: Samples.now, on: connection)
            }
            guard case .created(let stored) = outcome else { throw SetupError("not created: \(outcome)") }
            return stored.id
        }

        func state(_ id: UUID) async -> ContractState? {
            (try? await harness.client.withConnection { try await store.contract(id, on: $0) })?.state
        }

        func reaches(_ id: UUID, _ state: ContractState, within seconds: Int = 30) async -> Bool {
            await eventually(timeout: .seconds(seconds)) { await self.state(id) == state }
        }

        /// The documents the sandbox's GetAccept holds under round `round` of contract `id`.
        func documents(_ id: UUID, round: Int = 1) async throws -> (count: Int, ids: [String]) {
            let externalId = SigningRound.externalId(contractId: id, round: round)
            let answer = try #require(await sandbox.get("/getaccept-control/documents?externalId=\(externalId)"))
            let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any] ?? [:]
            return (json["count"] as? Int ?? -1, json["ids"] as? [String] ?? [])
        }

        func count(_ sql: String) async throws -> Int { try await TestDatabase.count(harness.client, sql) }

        var webhookURL: String { "http://127.0.0.1:\(signering.port)/webhooks/getaccept/test-secret" }
    }

    static func withStack(
        signAfterMs: Int = 200, sandboxEnvironment: [String: String] = [:], signering extra: [String: String] = [:],
        _ body: (Stack) async throws -> Void
    ) async throws {
        try await WebbavtalHarness.run { harness in
            let sandbox = try ServiceProcess(
                "sandbox", environment: sandboxEnvironment.merging(["SANDBOX_GETACCEPT_SIGN_AFTER_MS": "\(signAfterMs)"]) { $1 })
            #expect(await eventually(timeout: .seconds(30)) { await sandbox.admin("/ready")?.status == 200 })
            var environment = ServiceProcessTests.isolatedEnvironment(database: harness.database)
            environment["AMQP_EXCHANGE"] = harness.exchange
            for key in ["REGISTER_URL", "CREDIT_BUREAU_URL", "MAIL_GATEWAY_URL"] { environment[key] = "http://127.0.0.1:\(sandbox.port)" }
            environment["GETACCEPT_URL"] = "http://127.0.0.1:\(sandbox.port)/getaccept/v1"
            environment["GETACCEPT_WEBHOOK_SECRET"] = "test-secret"
            environment["RETRY_DELAYS_MS"] = "100,200"
            environment["SIGNING_SWEEP_INTERVAL_SECONDS"] = "1"
            let kontroll = try ServiceProcess("kontroll", environment: environment)
            let signering = try ServiceProcess("signering", environment: environment.merging(extra) { $1 })
            for process in [kontroll, signering] {
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
                #expect(ready, "\(process.name) is not ready:\n\(process.output)")
            }
            // signering subscribes to GetAccept's events once it is up.
            #expect(await eventually(timeout: .seconds(30)) { (await sandbox.get("/calls?system=getaccept"))?.body.contains("subscribed") == true })
            let stack = Stack(
                harness: harness, sandbox: sandbox, kontroll: kontroll, signering: signering, store: ContractStore(logger: TestEnvironment.logger),
                environment: environment.merging(extra) { $1 })
            try await body(stack)
            for process in [signering, kontroll, sandbox] where process.isRunning {
                #expect(await process.terminate() == 0, "\(process.name):\n\(process.output.suffix(3000))")
            }
        }
    }

    static func phoneSale(_ method: SignatureMethod, facility: Int, signerLastName: String = "Berg") -> ContractDetails {
        var details = Samples.outboundBusinessContract(facility: facility)
        details.signatureMethod = method
        details.signer?.lastName = signerLastName
        return details
    }

    @Test("for BankID, e-mail and SMS a phone-sold contract goes from stored to signed with no human step; one document each")
    func everyMethodSigns() async throws {
        try await Self.withStack { stack in
            var ids: [(SignatureMethod, UUID)] = []
            for (index, method) in [SignatureMethod.bankId, .email, .sms].enumerated() {
                ids.append((method, try await stack.insert(Self.phoneSale(method, facility: 404 + 10 * index))))
            }
            for (method, id) in ids {
                let signed = await stack.reaches(id, .signed)
                let state = await stack.state(id)
                #expect(signed, "\(method): \(id) is \(String(describing: state))\n\(stack.signering.output.suffix(2000))")
                #expect(try await stack.documents(id).count == 1, "\(method): one document at GetAccept")
                // The round's first caller knows no create went out before it: it neither asks for the document first
                // nor lists the round's documents afterwards.
                let externalId = SigningRound.externalId(contractId: id, round: 1)
                #expect(try await stack.calls(externalId) == ["document-created"], "\(method)")
            }
            try await Self.validateWire(stack)
            // ContractSigned carried the method GetAccept reported.
            for (method, id) in ids {
                let rows = try await stack.count(
                    "SELECT count(*) FROM signering.outbox WHERE message_type = 'ContractSigned' AND convert_from(body, 'UTF8') ILIKE '%\(id)%' AND convert_from(body, 'UTF8') LIKE '%\"method\":\"\(method.rawValue)\"%'"
                )
                #expect(rows == 1, "\(method)")
            }
        }
    }

    @Test("a self-service contract never gets a signing request")
    func selfServiceIsNotSigned() async throws {
        try await Self.withStack { stack in
            let id = try await stack.insert(Samples.privateContract(facility: 503))
            #expect(await stack.reaches(id, .approved))
            try await Task.sleep(for: .milliseconds(500))
            #expect(try await stack.documents(id).count == 0)
            #expect(try await stack.count("SELECT count(*) FROM signering.signing_requests") == 0)
            #expect(await stack.state(id) == .approved)
        }
    }

    @Test("the signer declines: the contract needs MKA; a recipient GetAccept refuses: needs MKA too, and no document")
    func rejections() async throws {
        try await Self.withStack { stack in
            let declines = try await stack.insert(Self.phoneSale(.email, facility: 604, signerLastName: "Nekar"))
            // An address our rules accept but GetAccept refuses (the sandbox refuses signers named "Ogiltig").
            let refused = try await stack.insert(Self.phoneSale(.email, facility: 614, signerLastName: "Ogiltig"))
            #expect(await stack.reaches(declines, .needsMKA))
            #expect(
                try await stack.harness.client.withConnection { try await stack.store.contract(declines, on: $0) }?.needsMKAReasons == [
                    .signingRejected
                ])
            #expect(await stack.reaches(refused, .needsMKA))
            #expect(try await stack.documents(refused).count == 0)
            #expect(try await stack.count("SELECT count(*) FROM signering.signing_requests WHERE state = 'failed'") == 1)
        }
    }

    @Test("forged, duplicated, out-of-order, unknown and malformed webhooks change nothing they should not")
    func webhooks() async throws {
        // At debug level: what signering says of itself (its services, their settings) must not hold the secret either.
        try await Self.withStack(signering: ["LOG_LEVEL": "debug"]) { stack in
            let id = try await stack.insert(Self.phoneSale(.bankId, facility: 704, signerLastName: "Väntar"))
            #expect(await stack.reaches(id, .awaitingSignature))
            let documentId = try #require(try await stack.documents(id).ids.first)
            let forgedSigned = #"{"event":"document.signed","document":{"id":"\#(documentId)","status":"signed","is_signed":true}}"#

            // Wrong or missing secret: 401, nothing stored.
            let wrong = try await HTTPCall.send(
                .POST, "http://127.0.0.1:\(stack.signering.port)/webhooks/getaccept/guess", headers: [("Content-Type", "application/json")],
                body: forgedSigned)
            #expect(wrong.status == 401)
            #expect(try await stack.count("SELECT count(*) FROM signering.webhooks") == 0)

            // The right secret but a forged body: GetAccept is asked, the document is unsigned, nothing happens.
            let forged = try await HTTPCall.send(.POST, stack.webhookURL, headers: [("Content-Type", "application/json")], body: forgedSigned)
            #expect(forged.status == 202)
            // Unknown document and a body that is not JSON.
            let unknown = try await HTTPCall.send(
                .POST, stack.webhookURL, headers: [("Content-Type", "application/json")],
                body: #"{"event":"document.signed","document":{"id":"ga-nonexistent"}}"#)
            #expect(unknown.status == 202)
            let garbage = try await HTTPCall.send(.POST, stack.webhookURL, headers: [("Content-Type", "application/json")], body: "signed!")
            #expect(garbage.status == 400)
            try await Task.sleep(for: .seconds(1))
            #expect(await stack.state(id) == .awaitingSignature, "a forged webhook must not sign a contract")
            #expect(try await stack.count("SELECT count(*) FROM signering.webhooks") == 2)

            // Really signed, announced three times, then a late "viewed": signed once.
            _ = try await HTTPCall.send(.POST, "http://127.0.0.1:\(stack.sandbox.port)/getaccept-control/documents/\(documentId)/sign?deliveries=3")
            _ = try await HTTPCall.send(.POST, "http://127.0.0.1:\(stack.sandbox.port)/getaccept-control/documents/\(documentId)/view?deliveries=2")
            #expect(await stack.reaches(id, .signed))
            try await Task.sleep(for: .seconds(1))
            #expect(try await stack.count("SELECT count(*) FROM signering.outbox WHERE message_type = 'ContractSigned'") == 1)
            #expect(try await stack.count("SELECT count(*) FROM signering.webhooks") == 7)
            #expect(await stack.state(id) == .signed)

            // The secret travels only in the URL GetAccept calls: never in the database, never in a log line.
            let subscriptions = try await stack.count("SELECT count(*) FROM signering.subscriptions")
            let holdingSecret = try await stack.count("SELECT count(*) FROM signering.subscriptions WHERE target_url LIKE '%test-secret%'")
            #expect(subscriptions > 0 && holdingSecret == 0, "\(holdingSecret) of \(subscriptions) subscriptions hold the secret")
            #expect(!stack.signering.output.contains("test-secret"), "signering logged its webhook secret")
        }
    }

    @Test("while the webhook secret changes, the previous one is still accepted and new subscriptions use the new one")
    func secretRotation() async throws {
        try await Self.withStack(
            signering: ["GETACCEPT_WEBHOOK_SECRET": "new-secret", "GETACCEPT_WEBHOOK_SECRET_PREVIOUS": "test-secret", "LOG_LEVEL": "debug"]
        ) { stack in
            let body = #"{"event":"document.viewed","document":{"id":"ga-nonexistent"}}"#
            var statuses: [Int] = []
            for secret in ["test-secret", "new-secret", "some-other-secret"] {
                let answer = try await HTTPCall.send(
                    .POST, "http://127.0.0.1:\(stack.signering.port)/webhooks/getaccept/\(secret)", headers: [("Content-Type", "application/json")],
                    body: body)
                statuses.append(answer.status)
            }
            #expect(statuses == [202, 202, 401], "previous, current, neither")
            let subscribed = try #require(await stack.sandbox.get("/calls?system=getaccept"))
            #expect(subscribed.body.contains("subscribed"))
            #expect(!stack.signering.output.contains("new-secret") && !stack.signering.output.contains("test-secret"))
        }
    }

    @Test(
        "unsigned after the reminder time: exactly one reminder, with two replicas sweeping and a document GetAccept does not know first in line; past the expiry: recalled and back to MKA"
    )
    func remindersAndExpiry() async throws {
        try await Self.withStack(signering: ["SIGNING_REMINDER_AFTER_SECONDS": "1", "SIGNING_EXPIRY_SECONDS": "4"]) { stack in
            // A live round whose document GetAccept has never heard of, due for a reminder before any other: its
            // refusal (404) is that round's problem, not the pass's.
            _ = try await stack.harness.client.query(
                """
                INSERT INTO signering.signing_requests (contract_id, round, external_id, method, state, document_id, requested_at, sent_at,
                    expires_at)
                VALUES (gen_random_uuid(), 1, 'lost-1', 'email', 'live', 'ga-lost', now() - interval '1 hour', now() - interval '1 hour',
                    now() + interval '1 day')
                """)
            // A second replica sweeping the same rounds: one sweeper at a time, so still one reminder.
            let replica = try ServiceProcess("signering", environment: stack.environment)
            #expect(await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await replica.admin("/ready")?.status == 200 })
            let id = try await stack.insert(Self.phoneSale(.email, facility: 804, signerLastName: "Väntar"))
            #expect(await stack.reaches(id, .awaitingSignature))
            let documentId = try #require(try await stack.documents(id).ids.first)
            #expect(await eventually(timeout: .seconds(30)) { (try? await stack.calls(documentId))?.contains("reminder") == true })
            #expect(await stack.reaches(id, .needsMKA, within: 30))
            let contract = try await stack.harness.client.withConnection { try await stack.store.contract(id, on: $0) }
            #expect(contract?.needsMKAReasons == [.signingExpired])
            let calls = try await stack.calls(documentId)
            #expect(calls.filter { $0 == "reminder" }.count == 1, "\(calls)")
            #expect(calls.contains("recalled"), "an expired document is withdrawn at GetAccept")
            let lostReminded = try await stack.count(
                "SELECT count(*) FROM signering.signing_requests WHERE document_id = 'ga-lost' AND reminded_at IS NOT NULL")
            #expect(lostReminded == 1, "a refused reminder counts as sent: the round no longer sorts first")
            #expect(await replica.terminate() == 0)
        }
    }

    @Test("a document signed whose webhook never came: signering asks GetAccept on its own and the contract is signed")
    func lostWebhook() async throws {
        try await Self.withStack(signering: ["SIGNING_CHECK_AFTER_SECONDS": "2"]) { stack in
            let id = try await stack.insert(Self.phoneSale(.bankId, facility: 814, signerLastName: "Väntar"))
            #expect(await stack.reaches(id, .awaitingSignature))
            let documentId = try #require(try await stack.documents(id).ids.first)
            let signed = try await HTTPCall.send(
                .POST, "http://127.0.0.1:\(stack.sandbox.port)/getaccept-control/documents/\(documentId)/sign?deliveries=0")
            #expect(signed.status == 200)
            #expect(await stack.reaches(id, .signed, within: 30), "the status check finds the signature")
            let calls = try await stack.calls(documentId)
            #expect(!calls.contains { $0.hasPrefix("webhook-") }, "no webhook was sent: \(calls)")
            #expect(calls.contains("document-read"))
            #expect(try await stack.count("SELECT count(*) FROM webbavtal.audit_trail WHERE to_state = 'signed'") == 1)
        }
    }

    @Test("a contract cancelled while its document is live: the document is recalled at GetAccept")
    func recallOnCancel() async throws {
        try await Self.withStack { stack in
            let id = try await stack.insert(Self.phoneSale(.sms, facility: 904, signerLastName: "Väntar"))
            #expect(await stack.reaches(id, .awaitingSignature))
            let documentId = try #require(try await stack.documents(id).ids.first)
            _ = try await stack.harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await lifecycle.apply(
                    .cancelled(reason: "the customer withdrew"), to: id, by: .user("mka-1"), now: Samples.now, on: connection)
            }
            #expect(await stack.reaches(id, .cancelled))
            #expect(await eventually(timeout: .seconds(30)) { (try? await stack.calls(documentId))?.contains("recalled") == true })
            #expect(await eventually { (try? await stack.count("SELECT count(*) FROM signering.signing_requests WHERE state = 'recalled'")) == 1 })
        }
    }

    @Test(
        "signering killed between GetAccept's answer and its commit, the customer signing meanwhile: the next one finds the signed document; still exactly one"
    )
    func crashAfterCreate() async throws {
        try await Self.withStack(sandboxEnvironment: ["SANDBOX_GETACCEPT_CREATE_LATENCY_MS": "1500"]) { stack in
            let id = try await stack.insert(Self.phoneSale(.bankId, facility: 1004))
            let externalId = SigningRound.externalId(contractId: id, round: 1)
            #expect(
                await eventually(timeout: .seconds(30), every: .milliseconds(10)) {
                    (try? await stack.calls(externalId))?.contains("document-created") == true
                })
            await stack.signering.crash()
            // The customer signs while no signering runs: the webhook goes to the dead process and is lost, so the
            // next signering must learn the outcome from the document it finds.
            let documentId = try #require(try await stack.documents(id).ids.first)
            #expect(
                await eventually(timeout: .seconds(30)) {
                    (try? await stack.calls(documentId))?.contains { $0.hasPrefix("webhook-document.signed") } == true
                })
            let second = try ServiceProcess("signering", environment: stack.environment)
            #expect(await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await second.admin("/ready")?.status == 200 })
            #expect(await stack.reaches(id, .signed, within: 40), "\(second.output.suffix(2000))")
            #expect(try await stack.documents(id).count == 1, "exactly one document at GetAccept")
            let calls = try await stack.calls(externalId)
            #expect(calls.filter { $0 == "document-created" }.count == 1)
            // The round's second claim: its caller asked for the document before creating one, and found it.
            #expect(calls.contains("document-lookup"), "\(calls)")
            #expect(await second.terminate() == 0)
        }
    }

    @Test(
        "GetAccept answers a create only after our client gave up, two replicas running: one live document per round, and its signature signs the contract"
    )
    func slowCreate() async throws {
        try await Self.withStack(
            sandboxEnvironment: ["SANDBOX_GETACCEPT_CREATE_LATENCY_MS": "2500"],
            signering: ["GETACCEPT_TIMEOUT_MS": "1000", "SIGNING_CHECK_AFTER_SECONDS": "1"]
        ) { stack in
            let replica = try ServiceProcess(
                "signering", environment: stack.environment.merging(["GETACCEPT_TIMEOUT_MS": "1000", "SIGNING_CHECK_AFTER_SECONDS": "1"]) { $1 })
            #expect(await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await replica.admin("/ready")?.status == 200 })
            // One customer's phone sale (several at once would be the same customer's possible duplicates, for MKA).
            let ids = [try await stack.insert(Self.phoneSale(.email, facility: 1_104, signerLastName: "Väntar"))]
            for id in ids {
                let waiting = await stack.reaches(id, .awaitingSignature, within: 60)
                let state = await stack.state(id)
                #expect(waiting, "\(id) is \(String(describing: state))\n\(stack.signering.output.suffix(2000))\n\(replica.output.suffix(2000))")
                let externalId = SigningRound.externalId(contractId: id, round: 1)
                let answer = try #require(await stack.sandbox.get("/getaccept-control/documents?externalId=\(externalId)"))
                let json = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any] ?? [:]
                let statuses = json["statuses"] as? [String] ?? []
                #expect(statuses.filter { $0 != "recalled" }.count == 1, "one live document for round 1: \(statuses)")
                let recorded = try await stack.harness.client.query(
                    "SELECT document_id FROM signering.signing_requests WHERE contract_id = \(id) AND round = 1")
                var documentId = ""
                for try await value in recorded.decode(String.self) { documentId = value }
                let ids = json["ids"] as? [String] ?? []
                let live = zip(ids, statuses).first { $0.1 != "recalled" }?.0
                #expect(live == documentId, "the round holds the live document")
                // A create that lands at GetAccept only now (its caller long gone): the next status check recalls it.
                let extra = try await Self.createAtGetAccept(stack, externalId: externalId)
                let recalled = await eventually(timeout: .seconds(30)) {
                    (try? await stack.calls(extra))?.contains("recalled") == true
                }
                #expect(recalled, "the second document of round 1 is recalled")
                #expect(try await !stack.calls(documentId).contains("recalled"), "the round's own document stays live")
                let signed = try await HTTPCall.send(.POST, "http://127.0.0.1:\(stack.sandbox.port)/getaccept-control/documents/\(documentId)/sign")
                #expect(signed.status == 200)
                #expect(await stack.reaches(id, .signed, within: 30))
            }
            #expect(await replica.terminate() == 0)
        }
    }

    @Test("the customer signs while our create is still waiting for GetAccept's answer: the early webhook is settled as the round goes live")
    func webhookBeforeLive() async throws {
        // GetAccept sends the document at once and the signer signs 200 ms later; the create answers after 2.5 s.
        try await Self.withStack(signAfterMs: 200, sandboxEnvironment: ["SANDBOX_GETACCEPT_CREATE_LATENCY_MS": "2500"]) { stack in
            let id = try await stack.insert(Self.phoneSale(.bankId, facility: 1_204))
            // Without the early webhook this waits for the status check, 300 s after sending.
            #expect(await stack.reaches(id, .signed, within: 30), "\(stack.signering.output.suffix(2000))")
            let documentId = try #require(try await stack.documents(id).ids.first)
            let calls = try await stack.calls(documentId)
            #expect(calls.contains { $0.hasPrefix("webhook-document.signed") }, "the webhook came: \(calls)")
        }
    }

    /// Creates a document at the sandbox's GetAccept as any API client would, under `externalId`; its id.
    static func createAtGetAccept(_ stack: Stack, externalId: String) async throws -> String {
        let base = "http://127.0.0.1:\(stack.sandbox.port)/getaccept/v1"
        let json = [("Content-Type", "application/json")]
        let auth = try await HTTPCall.send(.POST, base + "/auth", headers: json, body: #"{"email":"api@test","password":"test"}"#)
        let token = try #require((try JSONSerialization.jsonObject(with: Data(auth.body.utf8)) as? [String: Any])?["access_token"] as? String)
        let body = """
            {"name":"extra","external_id":"\(externalId)","is_automatic_sending":true,\
            "recipients":[{"first_name":"Eva","last_name":"Väntar","email":"eva@example.se","role":"signer"}]}
            """
        let created = try await HTTPCall.send(.POST, base + "/documents", headers: json + [("Authorization", "Bearer " + token)], body: body)
        #expect(created.status == 200, "\(created.body)")
        return try #require((try JSONSerialization.jsonObject(with: Data(created.body.utf8)) as? [String: Any])?["id"] as? String)
    }

    /// Every JSON body our client sent to the sandbox's GetAccept, and every webhook the sandbox sent, validated
    /// against GetAccept's own document by `Tests/api/validate_getaccept.py` (openapi-schema-validator).
    static func validateWire(_ stack: Stack) async throws {
        let wire = try #require(await stack.sandbox.get("/getaccept-control/wire"))
        let records = try JSONSerialization.jsonObject(with: Data(wire.body.utf8)) as? [[String: Any]] ?? []
        let operations = Set(records.compactMap { $0["operation"] as? String })
        #expect(operations.isSuperset(of: ["Authenticate", "CreateSubscription", "CreateDocument", "Webhook"]), "\(operations)")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("wire") + ".json")
        try Data(wire.body.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let python =
            TestEnvironment.environment["AVTAL_PYTHON"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/avtalsflode/venv/bin/python").path
        let root = TestEnvironment.repositoryRoot.path
        let (status, output) = try await runCommand(
            "'\(python)' '\(root)/Tests/api/validate_getaccept.py' '\(root)/Shared/GetAccept/openapi.json' '\(file.path)'")
        #expect(status == 0, "bodies that do not match GetAccept's document:\n\(output.suffix(4000))")
        #expect(output.contains("valid CreateDocument") && output.contains("valid Webhook"), "\(output.suffix(2000))")
    }
}
