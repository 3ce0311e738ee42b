import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOHTTP1
import PostgresNIO
import Testing

/// The internal (green) form through webbavtal as a process: the Lime link, login in between, prefill, errors next
/// to the fields, saving once, and the seller's status page.
@Suite("The internal form and the Lime link")
struct InternalFormTests {
    typealias Office = BackOfficeTests.Office

    /// The form as a seller fills it for a private customer who called us.
    static func filledForm(_ browser: Browser, personnummer: String = "19640823-3234") -> [String: String] {
        [
            "_csrf": browser.csrf, "formId": browser.value(of: "formId"), "kind": "private", "salesChannel": "telesales",
            "callDirection": "inbound", "customer.personalIdentityNumber": personnummer, "customer.firstName": "Anna",
            "customer.lastName": "Andersson", "customer.email": "anna@example.se", "customer.phone": "0701234567",
            "customer.address.street": "Storgatan 1", "customer.address.postalCode": "111 22", "customer.address.city": "Stockholm",
            "facilities": "\(Samples.meteringPointId(41)); SE3; 12000", "productCode": "VARIABLE",
            "startDate": CivilDate(swedishDateAt: Date()).adding(days: 20).description,
        ]
    }

    @Test("a private seller's form offers only private contracts and refuses a business one, storing nothing; a business seller's offers all")
    func kindsBySeller() async throws {
        try await BackOfficeTests.withOffice { office in
            let sara = try await office.logIn("sara", "sara-secret-123")
            let form = try await sara.get("/contracts/new")
            #expect(form.body.contains(#"value="private""#) && !form.body.contains(#"value="business""#) && !form.body.contains(#"value="mass""#))
            var business = Self.filledForm(sara)
            business["kind"] = "business"
            let refused = try await sara.post("/contracts/new", form: business)
            #expect(refused.status == 403 && refused.body.contains("Företags- och massavtal säljs av företagssäljare"), "\(refused.status)")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts") == 0, "nothing stored")

            let bo = try await office.logIn("bo", "bo-secret-12345")
            let offered = try await bo.get("/contracts/new")
            #expect(["private", "business", "mass"].allSatisfy { offered.body.contains(#"value="\#($0)""#) })
        }
    }

    @Test("the Lime link keeps its data on the server through the login, prefills the form, and is never logged")
    func limeLink() async throws {
        try await BackOfficeTests.withOffice { office in
            let browser = office.browser()
            let link = try await browser.get(
                "/lime/contract?limeId=L-77&status=prospect&type=private&pnr=196408233234&firstName=Anna&lastName=Lime%C3%A9n&email=anna%40example.se"
            )
            #expect(link.status == 303)
            let toForm = try #require(link.headers.first(name: "Location"))
            #expect(toForm.hasPrefix("/contracts/new?prefill=") && !toForm.contains("1964") && !toForm.contains("Anna"))
            let toLogin = try await browser.get(toForm)
            let loginURL = try #require(toLogin.headers.first(name: "Location"))
            #expect(loginURL.hasPrefix("/login?next=%2Fcontracts%2Fnew%3Fprefill%3D") && !loginURL.contains("1964"))
            try await browser.get(loginURL)
            #expect(browser.value(of: "next") == toForm, "the login page comes back to the form")
            let login = try await browser.post(
                "/login", form: ["username": "sara", "password": "sara-secret-123", "_csrf": browser.csrf, "next": browser.value(of: "next")])
            #expect(login.headers.first(name: "Location") == toForm)
            let form = try await browser.get(toForm)
            #expect(form.status == 200)
            #expect(form.body.contains(#"value="196408233234""#) && form.body.contains(#"value="Limeén""#))
            #expect(form.body.contains("Prospekt i Lime") && form.body.contains(#"name="limeId" value="L-77""#))

            // The token is the first opener's: another seller gets a blank form; MKA does not sell.
            let other = try await office.logIn("sven", "sven-secret-123")
            let blank = try await other.get(toForm)
            #expect(blank.status == 200 && !blank.body.contains("196408233234"))
            let mka = try await office.logIn("mona", "mona-secret-123")
            #expect(try await mka.get(toForm).status == 403)

            // Nothing the link carried reached the log, not even at debug level.
            let log = office.log()
            for secret in ["196408233234", "Limeén", "Lime%C3%A9n", "anna%40example.se", "anna@example.se"] {
                #expect(!log.contains(secret), "the log contains \(secret)")
            }
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM backoffice.form_prefills WHERE claimed_by = 'sara'") == 1)
        }
    }

    @Test("a mistake is shown next to its field with everything typed kept; the corrected form saves one telesales contract")
    func mistakeThenSave() async throws {
        try await BackOfficeTests.withOffice { office in
            let browser = try await office.logIn("sara", "sara-secret-123")
            try await browser.get("/contracts/new")
            var fields = Self.filledForm(browser, personnummer: "19640823-3235")
            fields["callDirection"] = "outbound"
            let wrong = try await browser.post("/contracts/new", form: fields)
            #expect(wrong.status == 422)
            #expect(wrong.body.contains("Formuläret har 2 fel"), "\(wrong.body.prefix(2000))")
            #expect(wrong.body.contains(#"id="customer-personalIdentityNumber-error">Kontrollsiffran stämmer inte."#))
            #expect(wrong.body.contains("Vi ringde kunden: välj BankID, e-post eller SMS."))
            #expect(wrong.body.contains(#"value="Storgatan 1""#) && wrong.body.contains(#"value="19640823-3235""#), "what was typed is kept")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts") == 0)

            #expect(try await browser.post("/contracts/new", form: fields.merging(["_csrf": "forged"]) { $1 }).status == 403)
            fields["customer.personalIdentityNumber"] = "19640823-3234"
            fields["signatureMethod"] = "sms"
            let saved = try await browser.post("/contracts/new", form: fields)
            #expect(saved.status == 303, "\(saved.body.prefix(2000))")
            let location = try #require(saved.headers.first(name: "Location"))
            #expect(location.hasSuffix("?done=saved"))
            let again = try await browser.post("/contracts/new", form: fields)
            #expect(again.headers.first(name: "Location") == location, "the same form saved twice is one contract")
            let rows = try await office.client.query(
                "SELECT sales_channel, created_by, details->>'sellerId', details->>'signatureMethod', state FROM webbavtal.contracts")
            var contracts: [(String, String, String?, String?, String)] = []
            for try await row in rows.decode((String, String, String?, String?, String).self) { contracts.append(row) }
            #expect(contracts.count == 1)
            #expect(contracts.first?.0 == "telesales" && contracts.first?.1 == "user:sara" && contracts.first?.2 == "sara")
            #expect(contracts.first?.3 == "sms" && contracts.first?.4 == "stored")

            let status = try await browser.get(location)
            #expect(status.status == 200)
            #expect(status.body.contains("Avtalet är sparat och kontrolleras nu.") && status.body.contains("Mottaget, kontrolleras"))
            #expect(status.body.contains(#"http-equiv="refresh""#), "the status page refreshes while kontroll works")
            #expect(!status.body.contains("approve-form"), "a seller is offered no decisions")
            let other = try await office.logIn("sven", "sven-secret-123")
            #expect(try await other.get(location).status == 403, "a seller sees only what they sold")
        }
    }

    /// A business seller's mass contract for a company the register does not know, as filled in before the facilities.
    static func massForm(_ browser: Browser) -> [String: String] {
        [
            "_csrf": browser.csrf, "formId": browser.value(of: "formId"), "kind": "mass", "salesChannel": "telesales",
            "callDirection": "inbound", "customer.organizationNumber": "556016-0680", "customer.companyName": "Exempel AB",
            "customer.email": "info@exempel.se", "customer.address.street": "Storgatan 1", "customer.address.postalCode": "111 22",
            "customer.address.city": "Stockholm", "signer.firstName": "Bo", "signer.lastName": "Berg", "signer.email": "bo@exempel.se",
            "productCode": "SPOT", "startDate": CivilDate(swedishDateAt: Date()).adding(days: 20).description,
        ]
    }

    @Test("a spreadsheet with bad rows: every bad row shown with its line, the file's rows kept in the list with what was typed; nothing saved")
    func uploadWithMistakes() async throws {
        try await BackOfficeTests.withOffice { office in
            let bo = try await office.logIn("bo", "bo-secret-12345")
            let page = try await bo.get("/contracts/new")
            #expect(page.body.contains(#"enctype="multipart/form-data""#) && page.body.contains(#"type="file" id="facilitiesFile""#))
            var fields = Self.massForm(bo)
            let typed = "\(Samples.meteringPointId(30_104)); SE4; 5000"
            fields["facilities"] = typed
            let bytes = try Fixtures.bytes("spreadsheets/mass-bad.xlsx")
            let answer = try await bo.post("/contracts/new", form: fields, file: ("facilitiesFile", "mass-bad.xlsx", bytes))
            #expect(answer.status == 422, "\(answer.body.prefix(1500))")
            #expect(answer.body.contains("6 rader från mass-bad.xlsx står nu i listan nedan"), "\(answer.body.prefix(3000))")
            // The typed line is line 1; the file's rows follow it: SE9 on line 3, "mycket" on line 4, the check digit on 5.
            #expect(answer.body.contains("Rad 3, elområde: Har fel format."), "\(answer.body.prefix(5000))")
            #expect(answer.body.contains("Rad 4, årsförbrukning: Har fel format."))
            #expect(answer.body.contains("Rad 5, anläggnings-ID: Kontrollsiffran stämmer inte."))
            #expect(!answer.body.contains("Rad 2,") && !answer.body.contains("Rad 6,") && !answer.body.contains("Rad 7,"))
            #expect(answer.body.contains(typed) && answer.body.contains("\(Samples.meteringPointId(30_054)); SE4"), "every line kept in the list")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts") == 0)

            let broken = try await bo.post("/contracts/new", form: fields, file: ("facilitiesFile", "bild.png", [0x89, 0x50, 0x4E, 0x47, 0, 1]))
            #expect(broken.status == 422 && broken.body.contains("Filen kunde inte läsas"), "\(broken.status)")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts") == 0)
        }
    }

    @Test("a mass contract of 1 000 facilities uploaded as XLSX from the form: one contract, approved within 30 s (webbavtal, kontroll, sandbox)")
    func massUploadApproved() async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            let (sandbox, webbavtal, kontroll) = try await ServiceProcess.checkingStack(database: database)
            try await BackOfficeTests.addUsers(client)
            let office = BackOfficeTests.Office(
                transport: LiveTransport(base: "http://127.0.0.1:\(webbavtal.port)"), client: client, database: database, log: { webbavtal.output },
                base: nil)
            let bo = try await office.logIn("bo", "bo-secret-12345")
            try await bo.get("/contracts/new")
            let bytes = try Fixtures.bytes("spreadsheets/mass-1000.xlsx")
            let started = ContinuousClock.now
            let saved = try await bo.post("/contracts/new", form: Self.massForm(bo), file: ("facilitiesFile", "anläggningar.xlsx", bytes))
            let savedAfter = ContinuousClock.now - started
            #expect(saved.status == 303, "\(saved.body.prefix(3000))")
            let approved = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
                (try? await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.contracts WHERE state = 'approved'")) == 1
            }
            let took = ContinuousClock.now - started
            print("mass contract of 1 000 facilities from an XLSX upload: saved in \(savedAfter), approved \(took) after the post")
            #expect(approved, "\(kontroll.output.suffix(2000))")
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.contracts") == 1)
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.contract_facilities") == 1_000)
            let recorded = try await TestDatabase.count(client, "SELECT jsonb_array_length(findings->'facilityRecords') FROM webbavtal.contracts")
            #expect(recorded == 1_000)
            for process in [kontroll, webbavtal, sandbox] { #expect(await process.terminate() == 0, "\(process.name)") }
        }
    }

    @Test("following Lime links without logging in leaves at most 20 unclaimed per client; the 21st is refused and stores nothing")
    func unclaimedLinksAreBounded() async throws {
        try await BackOfficeTests.withOffice { office in
            let browser = office.browser()
            var statuses: [Int] = []
            for index in 0...20 { statuses.append(try await browser.get("/lime/contract?type=private&firstName=Anna&limeId=L-\(index)").status) }
            #expect(statuses == Array(repeating: 303, count: 20) + [429], "\(statuses)")
            let kept = try await TestDatabase.count(office.client, "SELECT count(*) FROM backoffice.form_prefills")
            #expect(kept == 20)
            // One claimed (a seller logged in and opened it) no longer counts against the client.
            let seller = try await office.logIn("sara", "sara-secret-123")
            let link = try await seller.get("/lime/contract?type=private&firstName=Anna")
            #expect(link.status == 429, "the client still has 20 waiting")
            let claimed = try await TestDatabase.count(
                office.client,
                "UPDATE backoffice.form_prefills SET claimed_by = 'sara' WHERE ctid IN (SELECT ctid FROM backoffice.form_prefills LIMIT 1) RETURNING 1"
            )
            #expect(claimed == 1)
            #expect(try await seller.get("/lime/contract?type=private&firstName=Anna").status == 303)
        }
    }
}
