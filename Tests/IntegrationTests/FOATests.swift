import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOHTTP1
import PostgresNIO
import Testing

/// FOA as a process: the Lime deal link, drafts saved as the seller goes and kept across restarts, two sellers on
/// one draft, and marking ready through the store's insert path.
@Suite("FOA: special contracts from a Lime deal to MKA")
struct FOATests {
    static func draftForm(_ browser: Browser, facilities: String, ready: Bool = false) -> [String: String] {
        [
            "_csrf": browser.csrf, "version": browser.value(of: "version"), "then": ready ? "ready" : "save",
            "customer.organizationNumber": "556016-0680", "customer.companyName": "Exempel AB", "customer.email": "info@exempel.se",
            "customer.address.street": "Industrivägen 4", "customer.address.postalCode": "411 04", "customer.address.city": "Göteborg",
            "specialTerms.contacts": "Bo Berg; bo@exempel.se", "facilities": facilities, "specialTerms.priceOrePerKwh": "79,9",
            "specialTerms.contractMonths": "24", "startDate": CivilDate(swedishDateAt: Date()).adding(days: 45).description,
        ]
    }

    @Test("the Lime deal link opens the draft for its FOA id, prefilled, through the login; only business sellers use FOA")
    func limeDealLink() async throws {
        try await BackOfficeTests.withOffice(service: "foa") { office in
            let browser = office.browser()
            let link = try await browser.get("/lime/foa?foaId=FOA-1001&orgnr=556016-0680&company=Exempel+AB&email=info%40exempel.se")
            let location = try #require(link.headers.first(name: "Location"))
            #expect(location.hasPrefix("/drafts/FOA-1001?prefill=") && !location.contains("556016"))
            let toLogin = try await browser.get(location)
            let login = try #require(toLogin.headers.first(name: "Location"))
            try await browser.get(login)
            #expect(
                try await browser.post(
                    "/login", form: ["username": "bo", "password": "bo-secret-12345", "_csrf": browser.csrf, "next": browser.value(of: "next")]
                ).headers.first(name: "Location") == location)
            let draft = try await browser.get(location)
            #expect(draft.status == 200 && draft.body.contains(#"value="Exempel AB""#) && draft.body.contains(#"value="556016-0680""#))
            #expect(draft.body.contains("FOA-id FOA-1001") && draft.body.contains(#"name="version" value="0""#))
            #expect(try await browser.get("/lime/foa?orgnr=556016-0680").status == 400, "no FOA id, no draft")
            let seller = try await office.logIn("sara", "sara-secret-123")
            #expect(try await seller.get("/drafts/FOA-1001").status == 403)
            let log = office.log()
            #expect(!log.contains("556016-0680") && !log.contains("info@exempel.se"))
        }
    }

    @Test("a draft saves whatever it holds, shows what is wrong by line, survives a restart; two sellers do not overwrite each other")
    func draftsAndConcurrency() async throws {
        try await BackOfficeTests.withOffice(service: "foa") { office in
            let bo = try await office.logIn("bo", "bo-secret-12345")
            try await bo.get("/drafts/FOA-2002")
            let bad = "\(Samples.meteringPointId(301)); SE3; 100000\n\(Samples.meteringPointId(302).dropLast())0; SE3; 50000"
            let saved = try await bo.post("/drafts/FOA-2002", form: Self.draftForm(bo, facilities: bad))
            #expect(saved.status == 200 && saved.body.contains("Utkastet är sparat."))
            #expect(saved.body.contains("Rad 2, anläggnings-ID: Kontrollsiffran stämmer inte."), "a bad line is shown, and saved as typed")
            #expect(try await TestDatabase.count(office.client, "SELECT version FROM foa.drafts WHERE foa_id = 'FOA-2002'") == 1)
            // Another foa (a restart, a second replica) opens the same draft.
            try await BackOfficeTests.withRoutes("foa", database: office.database) { elsewhere in
                let reopened = try await elsewhere.logIn("bo", "bo-secret-12345").get("/drafts/FOA-2002")
                #expect(reopened.body.contains(Samples.meteringPointId(301)) && reopened.body.contains(#"name="version" value="1""#))
            }

            // Two sellers open version 1; Britt saves first; Bo's save is refused and keeps what he typed.
            let britt = try await office.logIn("britt", "britt-secret-123")
            try await britt.get("/drafts/FOA-2002")
            try await bo.get("/drafts/FOA-2002")
            let good = "\(Samples.meteringPointId(301)); SE3; 100000\n\(Samples.meteringPointId(302)); SE3; 50000"
            #expect(try await britt.post("/drafts/FOA-2002", form: Self.draftForm(britt, facilities: good)).status == 200)
            let late = try await bo.post("/drafts/FOA-2002", form: Self.draftForm(bo, facilities: good + "\n; SE4"))
            #expect(late.status == 409 && late.body.contains("britt sparade utkastet medan du arbetade"))
            #expect(late.body.contains("; SE4"), "Bo's typing is kept on the page")
            let stored = try await office.client.query("SELECT fields->>'facilities', updated_by FROM foa.drafts WHERE foa_id = 'FOA-2002'")
            for try await (facilities, by) in stored.decode((String, String).self) {
                #expect(facilities == good && by == "britt", "nothing of Bo's overwrote Britt's")
            }
        }
    }

    @Test("marking ready lists what MKA still needs; once complete, the special contract is stored for MKA and the draft is final")
    func markReady() async throws {
        try await BackOfficeTests.withOffice(service: "foa") { office in
            let bo = try await office.logIn("bo", "bo-secret-12345")
            try await bo.get("/drafts/FOA-3003")
            var form = Self.draftForm(bo, facilities: "\(Samples.meteringPointId(311)); SE3; 100000\n; SE3; 20000", ready: true)
            form["specialTerms.contacts"] = ""
            let missing = try await bo.post("/drafts/FOA-3003", form: form)
            #expect(missing.status == 422)
            #expect(missing.body.contains("Rad 2, anläggnings-ID: Måste fyllas i.") && missing.body.contains(#"id="contacts""#))
            #expect(missing.body.contains("sak(er) att åtgärda"))
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts") == 0)
            #expect(try await TestDatabase.count(office.client, "SELECT version FROM foa.drafts WHERE foa_id = 'FOA-3003'") == 1, "saved")

            form = Self.draftForm(
                bo, facilities: "\(Samples.meteringPointId(311)); SE3; 100000\n\(Samples.meteringPointId(312)); SE3; 20000; 85", ready: true)
            let ready = try await bo.post("/drafts/FOA-3003", form: form)
            #expect(ready.status == 200 && ready.body.contains("Avtalet är klarmarkerat"), "\(ready.body.prefix(3000))")
            let rows = try await office.client.query(
                "SELECT state, kind, sales_channel, foa_id, created_by FROM webbavtal.contracts")
            var contracts: [(String, String, String, String?, String)] = []
            for try await row in rows.decode((String, String, String, String?, String).self) { contracts.append(row) }
            #expect(contracts.count == 1)
            #expect(contracts.first.map { $0 == ("readyForMKA", "special", "foa", "FOA-3003", "user:bo") } == true, "\(contracts)")
            #expect(
                try await TestDatabase.count(
                    office.client, "SELECT count(*) FROM foa.outbox WHERE routing_key = 'contract.stored.special'") == 1, "foa's own outbox")
            try await bo.get("/drafts/FOA-3003")
            let again = try await bo.post("/drafts/FOA-3003", form: Self.draftForm(bo, facilities: "; SE1", ready: true))
            #expect(again.status == 409 && again.body.contains("redan klarmarkerat"), "a ready contract is no longer edited in FOA")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts") == 1)
        }
    }
}
