import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import PostgresNIO
import Testing
import Webbavtal

/// `POST /v1/contracts/{id}/withdrawal` end to end: partner-api as a process records the customer's withdrawal and
/// publishes it from its own outbox; webbavtal (in the test, over the real broker) cancels the contract through the
/// lifecycle, audited as the partner's.
@Suite("Partner API: withdrawal", .serialized)
struct PartnerWithdrawalTests {
    let store = ContractStore(logger: TestEnvironment.logger)

    func withdraw(_ base: String, _ id: String, key: String, idempotencyKey: String? = nil, body: String? = nil) async throws -> HTTPAnswer {
        var headers: [(String, String)] = [("Authorization", "Bearer \(key)")]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        if body != nil { headers.append(("Content-Type", "application/json")) }
        return try await HTTPCall.send(.POST, "\(base)/v1/contracts/\(id)/withdrawal", headers: headers, body: body)
    }

    func state(_ harness: WebbavtalHarness, _ id: UUID) async throws -> StoredContract? {
        try await harness.client.withConnection { try await store.contract(id, on: $0) }
    }

    @Test(
        "a withdrawal within the period cancels the contract as the partner's; again is the first receipt; too late is 422 with the date; other statuses 409"
    )
    func withdrawal() async throws {
        try await WebbavtalHarness.run { harness in
            let (process, base, keys) = try await harness.partnerAPI()
            let (alpha, beta) = (keys[0], keys[1])
            func submit(_ reference: String, facility: Int) async throws -> UUID {
                let answer = try await HTTPCall.send(
                    .POST, "\(base)/v1/contracts", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(alpha)")],
                    body: PartnerAPITests.json(PartnerAPITests.request(reference: reference, facility: facility)))
                #expect(answer.status == 201, "\(answer.body)")
                return try #require(UUID(uuidString: answer.json["id"] as? String ?? ""))
            }
            let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
            func approve(_ id: UUID) async throws {
                _ = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                    try await lifecycle.apply(.creditChecked, to: id, by: .service("kontroll"), now: Date(), on: connection)
                }
            }

            // Still being checked: not yet something to withdraw from.
            let id = try await submit("withdraw-1", facility: 611)
            let early = try await withdraw(base, id.uuidString, key: alpha)
            #expect(early.status == 409, "\(early.body)")
            #expect(early.json["currentStatus"] as? String == "received")
            #expect(early.json["type"] as? String == "https://avtalsflode.se/problems/not-withdrawable")

            try await approve(id)
            #expect(try await withdraw(base, id.uuidString, key: beta).status == 404, "another partner's contract is not found")
            #expect(try await withdraw(base, UUID().uuidString, key: alpha).status == 404)
            #expect(try await withdraw(base, id.uuidString, key: alpha, body: #"{"reason": 5}"#).status == 400, "a reason is text")
            let long = try await withdraw(base, id.uuidString, key: alpha, body: #"{"reason": "\#(String(repeating: "å", count: 501))"}"#)
            let longError = (long.json["errors"] as? [[String: Any]])?.first
            #expect(long.status == 422 && longError?["field"] as? String == "reason" && longError?["code"] as? String == "too_long", "\(long.body)")
            #expect(try await TestDatabase.count(harness.client, "SELECT count(*) FROM partner_api.withdrawals") == 0, "nothing recorded")

            let accepted = try await withdraw(base, id.uuidString, key: alpha, idempotencyKey: "w-1", body: #"{"reason": "ångrade sig"}"#)
            #expect(accepted.status == 202, "\(accepted.body)")
            #expect(accepted.json["status"] as? String == "withdrawal_requested")
            #expect(accepted.json["contractId"] as? String == id.uuidString.lowercased())
            let again = try await withdraw(base, id.uuidString, key: alpha, idempotencyKey: "w-2")
            #expect(again.status == 202 && again.json["requestedAt"] as? String == accepted.json["requestedAt"] as? String, "the first receipt")

            let cancelled = await eventually { (try? await state(harness, id))?.state == .cancelled }
            #expect(cancelled, "webbavtal cancels it")
            let trail = try await harness.client.withConnection { try await store.auditTrail(id, on: $0) }
            let last = try #require(trail.last)
            #expect(last.actor == .partner("alpha") && last.toState == .cancelled, "\(last)")
            #expect(last.reason == "withdrawn by the customer (cooling-off), through partner alpha: ångrade sig")
            let status = try await HTTPCall.send(.GET, "\(base)/v1/contracts/\(id.uuidString)", headers: [("Authorization", "Bearer \(alpha)")])
            #expect(status.json["status"] as? String == "cancelled")
            let outboxEvents = try await TestDatabase.count(
                harness.client, "SELECT count(*) FROM partner_api.outbox WHERE message_type = 'WithdrawalRequested'")
            #expect(outboxEvents == 1, "one event for two requests")
            let cancelledEvents = try await TestDatabase.count(
                harness.client, "SELECT count(*) FROM webbavtal.outbox WHERE message_type = 'ContractCancelled'")
            #expect(cancelledEvents == 1, "the back office's cancellation event: signering recalls, nothing is exported")

            // Confirmed 15 days ago: the period ended a day ago.
            let late = try await submit("withdraw-2", facility: 612)
            try await approve(late)
            try await harness.client.query("UPDATE webbavtal.contracts SET confirmed_at = now() - interval '15 days' WHERE id = \(late)")
            let tooLate = try await withdraw(base, late.uuidString, key: alpha)
            #expect(tooLate.status == 422, "\(tooLate.body)")
            #expect(tooLate.json["type"] as? String == "https://avtalsflode.se/problems/withdrawal-period-ended")
            let endedAt = try #require(tooLate.json["periodEndedAt"] as? String)
            #expect(endedAt.hasPrefix(Timestamp.string(Date().addingTimeInterval(-86_400)).prefix(10)), "\(endedAt)")
            #expect(try await state(harness, late)?.state == .approved, "nothing changed")
            #expect(await process.terminate() == 0)
        }
    }
}
