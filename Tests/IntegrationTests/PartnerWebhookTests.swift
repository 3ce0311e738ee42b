import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOHTTP1
import PartnerAPI
import PostgresNIO
import Testing
import Webbavtal

/// Status webhooks end to end: webbavtal (in the test) moves a partner's contracts and puts `PartnerStatusChanged` in
/// its outbox; partner-api as a process numbers each change and delivers it, signed, to the sandbox's partner receiver
/// (a process), which checks every signature the way our documentation tells partners to.
@Suite("Partner API: status webhooks", .serialized)
struct PartnerWebhookTests {
    let store = ContractStore(logger: TestEnvironment.logger)
    let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)

    /// A running partner-api and sandbox on one harness, alpha's key, and alpha's webhook registered at the receiver.
    struct Stack {
        let harness: WebbavtalHarness
        let partnerAPI: ServiceProcess
        let sandbox: ServiceProcess
        let base: String
        let receiver: String
        let alpha: String
        let secret: String

        func submit(_ reference: String, facility: Int, withoutFacilityId: Bool = false) async throws -> UUID {
            var request = PartnerAPITests.request(reference: reference, facility: facility)
            if withoutFacilityId {
                request["facilities"] = [["priceArea": "SE3", "annualConsumptionKwh": 8000]]
            }
            let answer = try await HTTPCall.send(
                .POST, "\(base)/v1/contracts", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(alpha)")],
                body: PartnerAPITests.json(request))
            #expect(answer.status == 201, "\(answer.body)")
            return try #require(UUID(uuidString: answer.json["id"] as? String ?? ""))
        }

        /// The receiver's settings: the secrets it checks with, whether it is down.
        func receiver(secrets: [String], down: Bool = false) async throws {
            let body = try PartnerAPITests.json(["secrets": secrets, "down": down])
            let answer = try await HTTPCall.send(.PUT, receiver, headers: [("Content-Type", "application/json")], body: body)
            #expect(answer.status == 204)
        }

        /// What the receiver accepted, by contract: (sequence, status) in the order received; and the rest of its record.
        func received() async throws -> (events: [String: [(sequence: Int, status: String)]], record: [String: Any]) {
            let answer = try await HTTPCall.send(.GET, receiver + "/events")
            var events: [String: [(sequence: Int, status: String)]] = [:]
            for accepted in answer.json["accepted"] as? [[String: Any]] ?? [] {
                let body = try JSONSerialization.jsonObject(with: Data((accepted["body"] as? String ?? "").utf8)) as? [String: Any]
                let data = body?["data"] as? [String: Any] ?? [:]
                events[data["contractId"] as? String ?? "", default: []].append((data["sequence"] as? Int ?? 0, data["status"] as? String ?? ""))
            }
            return (events, answer.json)
        }

        func move(_ id: UUID, _ input: LifecycleInput) async throws {
            let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
            _ = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await lifecycle.apply(input, to: id, by: .service("kontroll"), now: Date(), on: connection)
            }
        }

        func stop() async {
            _ = await partnerAPI.terminate()
            _ = await sandbox.terminate()
        }
    }

    func withStack(environment: [String: String] = [:], _ body: (Stack) async throws -> Void) async throws {
        try await WebbavtalHarness.run { harness in
            let sandbox = try ServiceProcess("sandbox", environment: [:])
            let environment = ["WEBHOOK_RETRY_FIRST_MS": "200", "WEBHOOK_RETRY_LONGEST_MS": "400", "WEBHOOK_TIMEOUT_MS": "2000"].merging(environment)
            { $1 }
            let (process, base, keys) = try await harness.partnerAPI(environment: environment)
            let sandboxReady = await eventually(timeout: .seconds(30)) { await sandbox.get("/health")?.status == 200 }
            guard sandboxReady else { throw SetupError("the sandbox did not start:\n\(sandbox.output)") }
            let receiver = "http://127.0.0.1:\(sandbox.port)/partner-receiver/alpha"
            let alpha = keys[0]
            let registered = try await HTTPCall.send(
                .PUT, "\(base)/v1/webhook", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(alpha)")],
                body: #"{"url": "\#(receiver)/events"}"#)
            #expect(registered.status == 201, "\(registered.body)")
            let secret = try #require(registered.json["secret"] as? String)
            let stack = Stack(
                harness: harness, partnerAPI: process, sandbox: sandbox, base: base, receiver: receiver, alpha: alpha, secret: secret)
            try await stack.receiver(secrets: [secret])
            do {
                try await body(stack)
            } catch {
                await stack.stop()
                throw error
            }
            await stack.stop()
        }
    }

    @Test(
        "a contract to accepted and one through a supplement: every status once, in sequence, signed and verified by the receiver; registration answers as documented"
    )
    func everyStatusOnce() async throws {
        try await withStack { stack in
            let auth = [("Authorization", "Bearer \(stack.alpha)")]
            // Registered (in withStack): moving it keeps the secret, which is never shown again.
            let moved = try await HTTPCall.send(
                .PUT, "\(stack.base)/v1/webhook", headers: auth + [("Content-Type", "application/json")],
                body: #"{"url": "\#(stack.receiver)/events"}"#)
            #expect(moved.status == 200 && moved.json["secret"] == nil && moved.json["url"] as? String == stack.receiver + "/events", "\(moved.body)")
            let shown = try await HTTPCall.send(.GET, "\(stack.base)/v1/webhook", headers: auth)
            #expect(shown.status == 200 && shown.json["secret"] == nil && shown.json["url"] as? String == stack.receiver + "/events")
            let stored = try await TestDatabase.count(
                stack.harness.client,
                "SELECT count(*) FROM partner_api.webhooks WHERE position('\(stack.secret.dropFirst(6))' in encode(secret, 'base64')) > 0")
            #expect(stored == 0, "the secret is kept sealed")
            let invalid = try await HTTPCall.send(
                .PUT, "\(stack.base)/v1/webhook", headers: auth + [("Content-Type", "application/json")], body: #"{"url": "ftp://x.example/"}"#)
            let error = (invalid.json["errors"] as? [[String: Any]])?.first
            #expect(invalid.status == 422 && error?["field"] as? String == "url" && error?["code"] as? String == "not_https", "\(invalid.body)")
            #expect(try await HTTPCall.send(.POST, "\(stack.base)/v1/webhook", headers: auth).status == 405)

            let plain = try await stack.submit("hook-1", facility: 651)
            try await stack.move(plain, .creditChecked)
            let supplied = try await stack.submit("hook-2", facility: 652, withoutFacilityId: true)
            try await stack.move(supplied, .needsMKA(reasons: [.facilityIdMissing]))
            let accepted = try await HTTPCall.send(
                .POST, "\(stack.base)/v1/contracts/\(supplied.uuidString.lowercased())/supplements",
                headers: auth + [("Content-Type", "application/json")],
                body: #"{"facilities": [{"position": 0, "meteringPointId": "\#(Samples.meteringPointId(653))"}]}"#)
            #expect(accepted.status == 202, "\(accepted.body)")
            let resubmitted = await eventually {
                (try? await stack.harness.client.withConnection { try await store.contract(supplied, on: $0) })?.state == .stored
            }
            #expect(resubmitted)
            try await stack.move(supplied, .creditChecked)

            let expected: [String: [(sequence: Int, status: String)]] = [
                plain.uuidString.lowercased(): [(1, "received"), (2, "accepted")],
                supplied.uuidString.lowercased(): [(1, "received"), (2, "under_review"), (3, "received"), (4, "accepted")],
            ]
            let complete = await eventually(timeout: .seconds(30)) { (try? await stack.received().events.values.map(\.count).reduce(0, +)) == 6 }
            #expect(complete, "six events:\n\(stack.partnerAPI.output.suffix(3000))")
            let (events, record) = try await stack.received()
            for (contract, statuses) in expected {
                let got = events[contract] ?? []
                #expect(got.map(\.sequence) == statuses.map(\.sequence) && got.map(\.status) == statuses.map(\.status), "\(contract): \(got)")
            }
            #expect((record["rejected"] as? [Any])?.isEmpty == true, "every signature verified: \(record["rejected"] ?? "")")
            #expect(record["duplicates"] as? Int == 0, "each once")
            // Nothing beyond what the status endpoint shows: no name, no personnummer, no credit word.
            let bodies = (record["accepted"] as? [[String: Any]] ?? []).compactMap { $0["body"] as? String }.joined()
            for secret in ["640823", "6408233234", "Anna", "Andersson", "anna@", "070-123", "Storgatan", "credit", "kredit"] {
                #expect(!bodies.contains(secret), "\(secret) in a webhook body")
            }
            // The receiver records an event as it gets it; partner-api marks it delivered once the answer is back.
            let marked = await eventually(timeout: .seconds(10)) {
                (try? await TestDatabase.count(
                    stack.harness.client, "SELECT count(*) FROM partner_api.webhook_deliveries WHERE delivered_at IS NOT NULL")) == 6
            }
            #expect(marked, "all six marked delivered")
            // Another partner's contract sends alpha nothing; the last status sent is the one GET shows.
            let status = try await HTTPCall.send(.GET, "\(stack.base)/v1/contracts/\(supplied.uuidString)", headers: auth)
            #expect(status.json["status"] as? String == "accepted")
            // Counted just after the mark.
            let counted = await eventually(timeout: .seconds(10)) {
                await stack.partnerAPI.admin("/metrics")?.body.contains(#"avtal_webhook_deliveries_total{outcome="delivered"} 6"#) == true
            }
            let metrics = counted ? "" : String(await stack.partnerAPI.admin("/metrics")?.body.suffix(2000) ?? "")
            #expect(counted, "\(metrics)")
        }
    }

    @Test("a receiver down for a while gets every event, in order, after it returns; a forged or replayed signature is what it refuses")
    func receiverDown() async throws {
        try await withStack { stack in
            try await stack.receiver(secrets: [stack.secret], down: true)
            let id = try await stack.submit("hook-down", facility: 661)
            try await stack.move(id, .creditChecked)
            let retried = await eventually(timeout: .seconds(20)) {
                (try? await stack.received().record["refusedWhileDown"] as? Int).map { $0 >= 3 } == true
            }
            #expect(retried, "retried while down")
            let waiting = try await TestDatabase.count(
                stack.harness.client,
                "SELECT count(*) FROM partner_api.webhook_deliveries WHERE contract_id = '\(id)' AND sequence = 2 AND attempts > 0")
            #expect(waiting == 0, "the second status waits for the first")
            try await stack.receiver(secrets: [stack.secret], down: false)
            let arrived = await eventually(timeout: .seconds(20)) { (try? await stack.received().events[id.uuidString.lowercased()]?.count) == 2 }
            #expect(arrived, "both arrive once the receiver is back")
            let (events, _) = try await stack.received()
            #expect(events[id.uuidString.lowercased()]?.map(\.sequence) == [1, 2])

            // What a receiver refuses: a body changed under its signature, an old timestamp; and what it drops: a repeat.
            let secret = try #require(WebhookSecret(encoded: stack.secret))
            let body = #"{"data":{"status":"completed"}}"#
            let now = Int(Date().timeIntervalSince1970)
            func post(id: String, timestamp: Int, signature: String, body: String) async throws -> Int {
                try await HTTPCall.send(
                    .POST, stack.receiver + "/events",
                    headers: [
                        ("Content-Type", "application/json"), ("webhook-id", id), ("webhook-timestamp", "\(timestamp)"),
                        ("webhook-signature", signature),
                    ], body: body
                ).status
            }
            let signed = secret.signature(id: "msg_test", timestamp: now, body: Array(body.utf8))
            #expect(
                try await post(id: "msg_test", timestamp: now, signature: signed, body: body.replacingOccurrences(of: "completed", with: "cancelled"))
                    == 401)
            let old = now - 600
            #expect(
                try await post(
                    id: "msg_test", timestamp: old, signature: secret.signature(id: "msg_test", timestamp: old, body: Array(body.utf8)), body: body)
                    == 401)
            #expect(try await post(id: "msg_test", timestamp: now, signature: "v1,AAAA", body: body) == 401)
            #expect(try await post(id: "msg_test", timestamp: now, signature: signed, body: body) == 204)
            #expect(try await post(id: "msg_test", timestamp: now, signature: signed, body: body) == 200, "a repeat is dropped")
            let record = try await stack.received().record
            #expect(record["rejected"] as? [String] == ["no valid signature", "timestamp outside tolerance", "no valid signature"])
            #expect(record["duplicates"] as? Int == 1)
        }
    }

    @Test("a rotated secret: both sign for a day; deliveries given up on are listed by avtalctl and sent again")
    func rotationAndResend() async throws {
        let bin = try #require(TestEnvironment.binDirectory, "AVTAL_BIN_DIR is not set: run the tests with `make test`")
        try await withStack(environment: ["WEBHOOK_GIVE_UP_AFTER_SECONDS": "2"]) { stack in
            let auth = [("Authorization", "Bearer \(stack.alpha)")]
            let rotated = try await HTTPCall.send(.POST, "\(stack.base)/v1/webhook/secret", headers: auth)
            let newSecret = try #require(rotated.json["secret"] as? String, "\(rotated.body)")
            #expect(newSecret != stack.secret && rotated.json["previousSecretValidUntil"] != nil)
            // A receiver that knows only the new secret, and one that knows only the old one, both verify.
            try await stack.receiver(secrets: [newSecret])
            let first = try await stack.submit("hook-rotate-1", facility: 671)
            #expect(await eventually { (try? await stack.received().events[first.uuidString.lowercased()]?.count) == 1 })
            try await stack.receiver(secrets: [stack.secret])
            try await stack.move(first, .creditChecked)
            #expect(await eventually { (try? await stack.received().events[first.uuidString.lowercased()]?.count) == 2 })
            let accepted = try await stack.received().record["accepted"] as? [[String: Any]] ?? []
            #expect(accepted.allSatisfy { $0["signatures"] as? Int == 2 }, "two signatures during the change")

            // Down past the (shortened) 24 hours: given up on, counted, listed, and sent again by the operator.
            try await stack.receiver(secrets: [newSecret], down: true)
            let second = try await stack.submit("hook-resend", facility: 672)
            let failed = await eventually(timeout: .seconds(20)) {
                (try? await TestDatabase.count(
                    stack.harness.client,
                    "SELECT count(*) FROM partner_api.webhook_deliveries WHERE contract_id = '\(second)' AND failed_at IS NOT NULL")) == 1
            }
            #expect(failed, "given up on")
            let metrics = await stack.partnerAPI.admin("/metrics")
            #expect(metrics?.body.contains(#"avtal_webhook_deliveries_total{outcome="failed"} 1"#) == true)
            let avtalctl =
                "POSTGRES_PORT=\(TestEnvironment.postgresPort) POSTGRES_DATABASE=\(stack.harness.database) \(bin.appendingPathComponent("avtalctl").path)"
            let listed = try await runCommand("\(avtalctl) partner webhook deliveries --id alpha --failed")
            #expect(
                listed.status == 0 && listed.output.contains(second.uuidString.lowercased()) && listed.output.contains("failed"), "\(listed.output)")
            #expect(listed.output.contains("1 deliveries") && listed.output.contains("HTTP 503"))
            try await stack.receiver(secrets: [newSecret])
            let resent = try await runCommand("\(avtalctl) partner webhook resend --id alpha")
            #expect(resent.status == 0 && resent.output.contains("1 to be sent again"), "\(resent.output)")
            #expect(
                await eventually { (try? await stack.received().events[second.uuidString.lowercased()]?.count) == 1 }, "delivered after the resend")
            let shown = try await runCommand("\(avtalctl) partner webhook show --id alpha")
            #expect(shown.output.contains(stack.receiver) && !shown.output.contains("whsec_"), "\(shown.output)")
            // Removed: nothing more is sent, and the API says so.
            #expect(try await HTTPCall.send(.DELETE, "\(stack.base)/v1/webhook", headers: auth).status == 204)
            #expect(try await HTTPCall.send(.GET, "\(stack.base)/v1/webhook", headers: auth).status == 404)
            _ = try await stack.submit("hook-after", facility: 673)
            #expect(
                try await TestDatabase.count(
                    stack.harness.client, "SELECT count(*) FROM partner_api.webhook_deliveries WHERE next_attempt_at IS NOT NULL") == 0)
        }
    }
}
