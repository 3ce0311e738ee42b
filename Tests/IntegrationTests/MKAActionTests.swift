import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOHTTP1
import PostgresNIO
import Testing
import Webbavtal

/// MKA's actions through webbavtal as a process: complete and resubmit, approve, reject, cancel, retry an export,
/// each guarded by the version the page showed; search and filters in the worklist.
@Suite("MKA's actions and the worklist's search")
struct MKAActionTests {
    /// A partner contract waiting for MKA because its facility id is missing.
    static func waitingContract(
        _ office: BackOfficeTests.Office, facility: Int, reasons: [NeedsMKAReason] = [.facilityIdMissing]
    )
        async throws -> UUID
    {
        let store = ContractStore(logger: TestEnvironment.logger)
        let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
        return try await office.client.withTransaction(logger: TestEnvironment.logger) { connection -> UUID in
            var details = Samples.privateContract(facility: facility)
            details.startDate = CivilDate(swedishDateAt: Date()).adding(days: 30)
            if reasons.contains(.facilityIdMissing) { details.facilities[0].meteringPointId = nil }
            guard case .created(let stored) = try await store.insert(details, by: .partner("test"), now: Date(), on: connection) else {
                throw SetupError("not created")
            }
            _ = try await lifecycle.apply(.needsMKA(reasons: reasons), to: stored.id, by: .service("kontroll"), now: Date(), on: connection)
            return stored.id
        }
    }

    static func state(_ office: BackOfficeTests.Office, _ id: UUID) async throws -> (String, Int, Int) {
        let rows = try await office.client.query("SELECT state, version, credit_round FROM webbavtal.contracts WHERE id = \(id)")
        for try await row in rows.decode((String, Int, Int).self) { return row }
        throw SetupError("no contract \(id)")
    }

    @Test("MKA completes the missing facility id and resubmits with a new credit check; a mistake keeps what was typed")
    func completeAndResubmit() async throws {
        try await BackOfficeTests.withOffice { office in
            let id = try await Self.waitingContract(office, facility: 51)
            let path = "/contracts/\(id.uuidString.lowercased())"
            let mona = try await office.logIn("mona", "mona-secret-123")
            let page = try await mona.get(path)
            #expect(page.body.contains("Anläggnings-ID saknas") && page.body.contains(#"id="edit-form""#))
            let version = mona.value(of: "version")
            var form = [
                "_csrf": mona.csrf, "version": version, "then": "resubmit", "newCreditCheck": "on", "reason": "kunden gav anläggnings-ID",
                "callDirection": "", "customer.personalIdentityNumber": "196408233234", "customer.firstName": "Anna",
                "customer.lastName": "Andersson",
                "customer.email": "anna@example.se", "customer.phone": "+46701234567", "customer.address.street": "Storgatan 1",
                "customer.address.postalCode": "111 22", "customer.address.city": "Stockholm", "productCode": "FIXED-12",
                "facilities": "\(Samples.meteringPointId(51).dropLast())0; SE3; 12000",
                "startDate": CivilDate(swedishDateAt: Date()).adding(days: 30).description,
            ]
            let wrong = try await mona.post(path + "/edit", form: form)
            #expect(wrong.status == 422)
            #expect(wrong.body.contains("Rad 1, anläggnings-ID: Kontrollsiffran stämmer inte."), "\(wrong.body.prefix(3000))")
            #expect(wrong.body.contains(#"value="Storgatan 1""#), "what was typed is kept")
            #expect(try await Self.state(office, id).0 == "needsMKA", "nothing saved")
            form["facilities"] = "\(Samples.meteringPointId(51)); SE3; 12000"
            form["then"] = "save"
            let kept = try await mona.post(path + "/edit", form: form)
            #expect(kept.status == 303 && kept.headers.first(name: "Location") == path + "?done=edited")
            #expect(try await Self.state(office, id).0 == "needsMKA", "saved without sending: still MKA's")
            #expect(try await mona.post(path + "/edit", form: form).status == 409, "the version the page showed is gone")
            try await mona.get(path)
            form["_csrf"] = mona.csrf
            form["version"] = mona.value(of: "version")
            form["then"] = "resubmit"
            let saved = try await mona.post(path + "/edit", form: form)
            #expect(saved.status == 303 && saved.headers.first(name: "Location") == path + "?done=resubmitted", "\(saved.body.prefix(2000))")
            let (state, newVersion, round) = try await Self.state(office, id)
            #expect(state == "stored" && round == 2 && newVersion == Int(version)! + 3)
            let trail = try await office.client.withConnection { connection in
                try await ContractStore(logger: TestEnvironment.logger).auditTrail(id, on: connection)
            }
            #expect(trail.suffix(3).map(\.action) == [.edited, .edited, .transition])
            #expect(trail.suffix(2).allSatisfy { $0.actor == .user("mona") })
            #expect(
                try await TestDatabase.count(
                    office.client, "SELECT count(*) FROM webbavtal.outbox WHERE message_type = 'ContractResubmitted'") == 1)
        }
    }

    @Test("two people on one contract: the second decision is refused with a clear message and overwrites nothing")
    func optimisticConcurrency() async throws {
        try await BackOfficeTests.withOffice { office in
            let id = try await Self.waitingContract(office, facility: 61, reasons: [.creditReferred])
            let path = "/contracts/\(id.uuidString.lowercased())"
            let mona = try await office.logIn("mona", "mona-secret-123")
            let mia = try await office.logIn("mia", "mia-secret-1234")
            try await mona.get(path)
            try await mia.get(path)
            let noReason = try await mona.post(path + "/approve", form: ["_csrf": mona.csrf, "version": mona.value(of: "version"), "reason": " "])
            #expect(noReason.status == 422 && noReason.body.contains("Skriv en motivering"))
            try await mona.get(path)
            let approved = try await mona.post(
                path + "/approve", form: ["_csrf": mona.csrf, "version": mona.value(of: "version"), "reason": "inkomst styrkt"])
            #expect(approved.status == 303)
            let rejected = try await mia.post(
                path + "/reject", form: ["_csrf": mia.csrf, "version": mia.value(of: "version"), "reason": "för hög risk"])
            #expect(rejected.status == 409)
            #expect(rejected.body.contains("Någon annan har ändrat avtalet"))
            #expect(try await Self.state(office, id).0 == "approved", "the first decision stands")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.outbox WHERE message_type = 'ContractRejected'") == 0)

            // With the fresh page, the lifecycle decides: approved contracts are not rejected, but may be cancelled.
            try await mia.get(path)
            let late = try await mia.post(path + "/reject", form: ["_csrf": mia.csrf, "version": mia.value(of: "version"), "reason": "risk"])
            #expect(late.status == 409 && late.body.contains("Det går inte i avtalets nuvarande läge"))
            let cancelled = try await mia.post(
                path + "/cancel", form: ["_csrf": mia.csrf, "version": mia.value(of: "version"), "reason": "kunden ångrade sig"])
            #expect(cancelled.status == 303 && cancelled.headers.first(name: "Location") == path + "?done=cancelled")
            #expect(try await Self.state(office, id).0 == "cancelled")
            try await mia.get(path)
            #expect(!mia.lastPage.contains("retry-form"), "the page offers no retry for a cancelled contract")
            let current = try await Self.state(office, id).1
            let retry = try await mia.post(path + "/retry-export", form: ["_csrf": mia.csrf, "version": "\(current)"])
            #expect(retry.status == 409 && retry.body.contains("exportRetryRequested does not apply"), "only a failed export is retried")

            // Rejecting, where the state allows it.
            let other = try await Self.waitingContract(office, facility: 62, reasons: [.creditDenied])
            let otherPath = "/contracts/\(other.uuidString.lowercased())"
            try await mia.get(otherPath)
            let rejectedNow = try await mia.post(
                otherPath + "/reject", form: ["_csrf": mia.csrf, "version": mia.value(of: "version"), "reason": "kreditupplysningen nekade"])
            #expect(rejectedNow.status == 303 && rejectedNow.headers.first(name: "Location") == otherPath + "?done=rejected")
            #expect(try await Self.state(office, other).0 == "rejected")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.outbox WHERE message_type = 'ContractRejected'") == 1)

            let seller = try await office.logIn("sara", "sara-secret-123")
            try await seller.get("/")
            #expect(try await seller.post(path + "/approve", form: ["_csrf": seller.csrf, "version": "1", "reason": "x"]).status == 403)
        }
    }

    @Test("the worklist finds contracts by personnummer, anläggnings-ID, name and id, and filters by reason and state")
    func searchAndFilter() async throws {
        try await BackOfficeTests.withOffice { office in
            let missing = try await Self.waitingContract(office, facility: 71)
            let denied = try await Self.waitingContract(office, facility: 72, reasons: [.creditDenied])
            let mona = try await office.logIn("mona", "mona-secret-123")
            func search(_ fields: [String: String]) async throws -> String {
                try await mona.get("/mka")
                return try await mona.post("/mka", form: fields.merging(["_csrf": mona.csrf]) { $1 }).body
            }
            let (a, b) = (missing.uuidString.lowercased(), denied.uuidString.lowercased())
            let byFacility = try await search(["q": Samples.meteringPointId(72)])
            #expect(byFacility.contains(b) && !byFacility.contains(a))
            let byPersonnummer = try await search(["q": "640823-3234"])
            #expect(byPersonnummer.contains(a) && byPersonnummer.contains(b))
            let byName = try await search(["q": "anders"])
            #expect(byName.contains(a) && byName.contains(b))
            let byId = try await search(["q": a])
            #expect(byId.contains(a) && !byId.contains(b))
            let byReason = try await search(["reason": NeedsMKAReason.creditDenied.rawValue])
            #expect(byReason.contains(b) && !byReason.contains(a))
            let injection = try await search(["q": "' OR 1=1 --"])
            #expect(!injection.contains(a) && injection.contains("0 avtal"))
            let otherState = try await search(["state": "approved"])
            #expect(!otherState.contains(a) && !otherState.contains(b))
            let filtered = try await mona.get("/mka?reason=credit.denied&q=anders")
            #expect(filtered.body.contains(b) && !filtered.body.contains(a) && !filtered.body.contains(#"value="anders""#), "no search from a URL")
        }
    }
}
