import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOHTTP1
import PostgresNIO
import Testing
import Webbavtal

/// `POST /v1/contracts/{id}/supplements` end to end: partner-api as a process takes what a contract under review is
/// missing; webbavtal (in the test, over the real broker) applies it as the partner's edit and sends the contract back
/// to kontroll.
@Suite("Partner API: supplements", .serialized)
struct PartnerSupplementTests {
    let store = ContractStore(logger: TestEnvironment.logger)

    func supplement(_ base: String, _ id: UUID, key: String, idempotencyKey: String? = nil, _ body: String) async throws -> HTTPAnswer {
        var headers: [(String, String)] = [("Authorization", "Bearer \(key)"), ("Content-Type", "application/json")]
        if let idempotencyKey { headers.append(("Idempotency-Key", idempotencyKey)) }
        return try await HTTPCall.send(.POST, "\(base)/v1/contracts/\(id.uuidString.lowercased())/supplements", headers: headers, body: body)
    }

    @Test("a missing anläggnings-ID supplied by the partner: validated, applied as the partner's edit, checked again; nothing else may be supplied")
    func supplyMissingFacilityId() async throws {
        try await WebbavtalHarness.run { harness in
            let (process, base, keys) = try await harness.partnerAPI()
            let (alpha, beta) = (keys[0], keys[1])

            // Two facilities, the second without its anläggnings-ID: kontroll sends such a contract to MKA.
            var request = PartnerAPITests.request(reference: "supplement-1", facility: 621)
            var facilities = request["facilities"] as? [[String: Any]] ?? []
            facilities.append(["priceArea": "SE3", "annualConsumptionKwh": 8000])
            request["facilities"] = facilities
            let submitted = try await HTTPCall.send(
                .POST, "\(base)/v1/contracts", headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(alpha)")],
                body: PartnerAPITests.json(request))
            #expect(submitted.status == 201, "\(submitted.body)")
            let id = try #require(UUID(uuidString: submitted.json["id"] as? String ?? ""))
            let early = try await supplement(base, id, key: alpha, #"{"facilities": [{"position": 1, "meteringPointId": "735999000000000017"}]}"#)
            #expect(early.status == 409 && early.json["currentStatus"] as? String == "received", "\(early.body)")

            let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
            _ = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await lifecycle.apply(.needsMKA(reasons: [.facilityIdMissing]), to: id, by: .service("kontroll"), now: Date(), on: connection)
            }
            let status = try await HTTPCall.send(.GET, "\(base)/v1/contracts/\(id.uuidString)", headers: [("Authorization", "Bearer \(alpha)")])
            let action = (status.json["actions"] as? [[String: Any]])?.first
            #expect(action?["code"] as? String == "facility_id_missing" && action?["field"] as? String == "facilities[1].meteringPointId")

            let missingId = Samples.meteringPointId(622)
            let good = #"{"facilities": [{"position": 1, "meteringPointId": "\#(missingId)"}]}"#
            #expect(try await supplement(base, id, key: beta, good).status == 404, "another partner's contract")
            let notAsked = try await supplement(base, id, key: alpha, #"{"startDate": "2030-01-01"}"#)
            #expect(notAsked.status == 409 && notAsked.json["type"] as? String == "https://avtalsflode.se/problems/supplement-not-expected")
            #expect(notAsked.body.contains("startDate"))
            let outOfRange = try await supplement(base, id, key: alpha, #"{"facilities": [{"position": 2, "meteringPointId": "\#(missingId)"}]}"#)
            #expect(outOfRange.status == 422 && outOfRange.body.contains("facilities[0].position"), "\(outOfRange.body)")
            let badChecksum = String(missingId.dropLast()) + String((Int(String(missingId.last!))! + 1) % 10)
            let invalid = try await supplement(base, id, key: alpha, #"{"facilities": [{"position": 1, "meteringPointId": "\#(badChecksum)"}]}"#)
            let invalidError = (invalid.json["errors"] as? [[String: Any]])?.first
            #expect(invalid.status == 422 && invalidError?["field"] as? String == "facilities[1].meteringPointId", "\(invalid.body)")
            #expect(invalidError?["code"] as? String == "checksum")
            #expect(try await TestDatabase.count(harness.client, "SELECT count(*) FROM partner_api.supplements") == 0, "nothing recorded")

            let accepted = try await supplement(base, id, key: alpha, idempotencyKey: "s-1", good)
            #expect(accepted.status == 202 && accepted.json["status"] as? String == "submitted", "\(accepted.body)")
            let again = try await supplement(base, id, key: alpha, idempotencyKey: "s-1", good)
            #expect(again.status == 202 && again.json["id"] as? String == accepted.json["id"] as? String, "the first receipt")
            let reused = try await supplement(base, id, key: alpha, idempotencyKey: "s-1", #"{"facilities": [{"position": 1, "priceArea": "SE4"}]}"#)
            #expect(reused.status == 422 && reused.json["type"] as? String == "https://avtalsflode.se/problems/idempotency-key-reused")

            let resubmitted = await eventually {
                (try? await harness.client.withConnection { try await store.contract(id, on: $0) })?.state == .stored
            }
            #expect(resubmitted, "webbavtal applies it and sends the contract back to kontroll")
            let contract = try #require(try await harness.client.withConnection { try await store.contract(id, on: $0) })
            #expect(contract.details.facilities[1].meteringPointId == missingId)
            #expect(contract.details.facilities[0].meteringPointId == Samples.meteringPointId(621), "nothing else changed")
            #expect(contract.details.facilities[1].priceArea == .se3 && contract.details.facilities[1].annualConsumptionKwh == 8000)
            let trail = try await harness.client.withConnection { try await store.auditTrail(id, on: $0) }
            let edit = try #require(trail.first { $0.action == .edited })
            #expect(edit.actor == .partner("alpha"), "\(edit)")
            #expect(edit.reason?.hasPrefix("supplied by partner alpha (supplement ") == true, "MKA sees a partner supplied it: \(edit.reason ?? "")")
            #expect(edit.reason?.contains("facility 1: anläggnings-ID \(missingId)") == true)
            #expect(trail.last?.actor == .partner("alpha") && trail.last?.toState == .stored)
            let checkedAgain = try await TestDatabase.count(
                harness.client, "SELECT count(*) FROM webbavtal.outbox WHERE message_type = 'ContractResubmitted'")
            #expect(checkedAgain == 1, "back to kontroll, as after MKA's edit")
            #expect(
                try await TestDatabase.count(harness.client, "SELECT count(*) FROM webbavtal.contract_facilities WHERE contract_id = '\(id)'") == 2)

            // Now it is being checked again: no longer under review.
            let late = try await supplement(base, id, key: alpha, good)
            #expect(late.status == 409 && late.json["type"] as? String == "https://avtalsflode.se/problems/not-under-review", "\(late.body)")
            #expect(await process.terminate() == 0)
        }
    }

    @Test("a supplement accepted just before MKA acts is not applied over MKA's change")
    func outdatedSupplementIsNotApplied() async throws {
        try await WebbavtalHarness.run { harness in
            let id: UUID = try await harness.client.withTransaction(logger: TestEnvironment.logger) { connection in
                var details = Samples.privateContract(facility: 631)
                details.facilities[0].meteringPointId = nil
                guard case .created(let contract) = try await store.insert(details, by: .partner("alpha"), now: Date(), on: connection) else {
                    throw SetupError("not created")
                }
                let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
                _ = try await lifecycle.apply(
                    .needsMKA(reasons: [.facilityIdMissing]), to: contract.id, by: .service("kontroll"), now: Date(), on: connection)
                // MKA rejects it: version 2 → 3.
                _ = try await lifecycle.apply(.rejectedByMKA(reason: "dubblett"), to: contract.id, by: .user("mona"), now: Date(), on: connection)
                return contract.id
            }
            let supplement = Supplement(facilities: [.init(position: 0, meteringPointId: Samples.meteringPointId(632))])
            let event = SupplementSubmitted(
                supplementId: UUID(), contractId: id, partnerId: "alpha", supplement: supplement, basedOnVersion: 2, submittedAt: Date())
            let envelope = EventEnvelope(payload: event, contractId: id, occurredAt: Date())
            try await harness.publish(envelope)
            let handled = await eventually {
                (try? await TestDatabase.count(
                    harness.client, "SELECT count(*) FROM webbavtal.inbox WHERE message_id = '\(envelope.messageId)'")) == 1
            }
            #expect(handled, "webbavtal took it in")
            let contract = try #require(try await harness.client.withConnection { try await store.contract(id, on: $0) })
            #expect(contract.state == .rejected && contract.details.facilities[0].meteringPointId == nil, "MKA's decision stands")
        }
    }
}
