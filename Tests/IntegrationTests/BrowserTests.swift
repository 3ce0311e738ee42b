import AvtalBackOffice
import AvtalDomain
import AvtalTestSupport
import Foundation
import PostgresNIO
import Testing

/// The back office in a real browser: headless Chromium over WebDriver against webbavtal as a process. With
/// `AVTAL_SCREENSHOTS=<folder>` the tests also save the main pages as PNGs (`make screenshots` → `docs/screenshots/`).
@Suite("The back office in a browser", .serialized)
struct BrowserTests {
    static let screenshots = ProcessInfo.processInfo.environment["AVTAL_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }

    static func withBrowser(_ body: @escaping @Sendable (WebDriver, BackOfficeTests.Office) async throws -> Void) async throws {
        try await BackOfficeTests.withOffice(live: true) { office in
            let browser = try await WebDriver.start()
            do {
                try await body(browser, office)
            } catch {
                await browser.quit()
                throw error
            }
            await browser.quit()
        }
    }

    static func snap(_ browser: WebDriver, _ name: String) async throws {
        guard let folder = screenshots else { return }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try await browser.screenshot(to: folder.appendingPathComponent("\(name).png"))
    }

    static func logIn(_ browser: WebDriver, _ username: String, _ password: String) async throws {
        #expect(try await browser.currentURL.contains("/login?next="))
        try await browser.type(username, into: "#username")
        try await browser.type(password, into: "#password")
        try await browser.click("button[type=submit]")
    }

    @Test("a seller comes from Lime, logs in, fills the form with a mistake, corrects it, saves and sees the status")
    func sellerFromLime() async throws {
        try await Self.withBrowser { browser, office in
            try await browser.go(
                (office.base ?? "")
                    + "/lime/contract?limeId=L-9&status=customer&type=private&pnr=196408233234&firstName=Anna&lastName=Andersson"
                    + "&email=anna%40example.se&phone=0701234567&street=Storgatan+1&postalCode=11122&city=Stockholm")
            try await Self.snap(browser, "1-login")
            try await Self.logIn(browser, "sara", "sara-secret-123")
            // The login's bcrypt check may still be running when the click returns: wait for the form's URL.
            #expect(await eventually(timeout: .seconds(60)) { (try? await browser.currentURL)?.contains("/contracts/new?prefill=") == true })
            #expect(try await browser.value("#customer-firstName") == "Anna", "the form opens prefilled from Lime")
            #expect(try await browser.value("#customer-personalIdentityNumber") == "196408233234")

            // We called the customer, but the seller forgets the signature type.
            try await browser.click("input[name=callDirection][value=outbound]")
            try await browser.type("\(Samples.meteringPointId(81)); SE3; 14000", into: "#facilities")
            try await browser.click("#productCode option[value=FIXED-24]")
            try await browser.click("#save")
            let errors = try await browser.text("#form-errors").replacingOccurrences(of: "\n", with: " ")
            #expect(errors.contains("1 fel"), "\(errors)")
            #expect(try await browser.text("#choice-signatureMethod .field-error").contains("välj BankID, e-post eller SMS"))
            #expect(try await browser.value("#facilities") == "\(Samples.meteringPointId(81)); SE3; 14000", "what was typed is kept")
            #expect(try await browser.value("#customer-lastName") == "Andersson")
            try await Self.snap(browser, "2-form-with-error")

            try await browser.click("input[name=signatureMethod][value=bankId]")
            try await browser.click("#save")
            #expect(try await browser.text("#state").contains("Mottaget, kontrolleras"))
            #expect(try await browser.text("#notice").contains("Avtalet är sparat"))
            try await Self.snap(browser, "3-status")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts WHERE sales_channel = 'telesales'") == 1)
        }
    }

    @Test("a business seller uploads a spreadsheet of facilities: its bad rows are shown by line, corrected in the list, and saved")
    func massUpload() async throws {
        try await Self.withBrowser { browser, office in
            try await browser.go((office.base ?? "") + "/contracts/new")
            try await Self.logIn(browser, "bo", "bo-secret-12345")
            #expect(await eventually(timeout: .seconds(60)) { (try? await browser.currentURL)?.hasSuffix("/contracts/new") == true })
            try await browser.click("input[name=kind][value=mass]")
            try await browser.click("input[name=callDirection][value=inbound]")
            for (field, value) in [
                ("#customer-organizationNumber", "556016-0680"), ("#customer-companyName", "Exempel AB"), ("#customer-email", "info@exempel.se"),
                ("#customer-address-street", "Storgatan 1"), ("#customer-address-postalCode", "111 22"), ("#customer-address-city", "Stockholm"),
                ("#signer-firstName", "Bo"), ("#signer-lastName", "Berg"), ("#signer-email", "bo@exempel.se"),
            ] {
                try await browser.type(value, into: field)
            }
            try await browser.click("#productCode option[value=SPOT]")
            try await browser.type(Fixtures.url("spreadsheets/mass-bad.xlsx").path, into: "#facilitiesFile", replacing: false)
            try await browser.click("#save")
            #expect(try await browser.text("#uploaded").contains("6 rader från mass-bad.xlsx"))
            let errors = try await browser.text("#facilities-error")
            #expect(
                errors.contains("Rad 2, elområde") && errors.contains("Rad 3, årsförbrukning") && errors.contains("Rad 4, anläggnings-ID"),
                "\(errors)")
            try await browser.scroll(to: "#facilities")
            try await Self.snap(browser, "6-mass-upload-errors")

            // The seller drops the three bad rows from the list and saves the other three.
            let kept = try await browser.value("#facilities").split(separator: "\n").enumerated().filter { ![1, 2, 3].contains($0.offset) }
            try await browser.type(kept.map { String($0.element) }.joined(separator: "\n"), into: "#facilities")
            try await browser.click("#save")
            #expect(try await browser.text("#state").contains("Mottaget, kontrolleras"))
            let facilities = try await office.client.query("SELECT jsonb_array_length(details->'facilities') FROM webbavtal.contracts")
            var counts: [Int] = []
            for try await count in facilities.decode(Int.self) { counts.append(count) }
            #expect(counts == [3], "one contract of the three good rows")
        }
    }

    @Test("MKA opens a contract from the worklist, completes the facility id and sends it back to kontroll")
    func mkaCompletes() async throws {
        try await Self.withBrowser { browser, office in
            let id = try await MKAActionTests.waitingContract(office, facility: 91)
            _ = try await MKAActionTests.waitingContract(office, facility: 92, reasons: [NeedsMKAReason.creditReferred])
            _ = try await MKAActionTests.waitingContract(
                office, facility: 93, reasons: [NeedsMKAReason.customerConflict, NeedsMKAReason.facilityPriceAreaMismatch])
            try await browser.go((office.base ?? "") + "/mka")
            try await Self.logIn(browser, "mona", "mona-secret-123")
            #expect(try await browser.text("#count").hasPrefix("3 avtal"))
            try await Self.snap(browser, "4-worklist")
            try await browser.click("a[href='/contracts/\(id.uuidString.lowercased())']")
            #expect(try await browser.text("#reasons").contains("Anläggnings-ID saknas"))
            try await browser.click("#edit summary")
            try await browser.type("\(Samples.meteringPointId(91)); SE3; 12000", into: "#facilities")
            try await browser.type("kunden läste upp anläggnings-ID", into: "#edit-reason")
            try await Self.snap(browser, "5-contract-edit")
            try await browser.click("#resubmit")
            #expect(try await browser.text("#notice").contains("skickat till kontroll igen"))
            #expect(try await browser.text("#state").contains("Mottaget, kontrolleras"))
            #expect(try await browser.text("#facility-list").contains(Samples.meteringPointId(91)))
            #expect(try await MKAActionTests.state(office, id).0 == "stored")
        }
    }
}

/// The special-contract flow in a browser: FOA, Gördis and Xellent, with foa, webbavtal, gordis-export and the
/// sandbox as processes.
@Suite("Special contracts in a browser", .serialized)
struct SpecialContractBrowserTests {
    @Test(
        "a seller builds a special contract in FOA from the Lime link (one facility corrected), MKA finalizes it in Gördis; one agreement in Xellent")
    func foaToXellent() async throws {
        try await GordisExportTests.withStack { stack in
            let foa = try ServiceProcess("foa", environment: stack.environment)
            #expect(await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await foa.admin("/ready")?.status == 200 })
            try await stack.client.withConnection { connection in
                let users = UserDirectory(logger: TestEnvironment.logger)
                try await users.upsert(
                    User(username: "bo", displayName: "Bo Företagssäljare", role: .businessSeller), password: "bo-secret-12345", cost: 4,
                    on: connection)
                try await users.upsert(
                    User(username: "mona", displayName: "Mona MKA", role: .mka), password: "mona-secret-123", cost: 4, on: connection)
            }
            let browser = try await WebDriver.start()
            do {
                try await browser.go(
                    "http://127.0.0.1:\(foa.port)/lime/foa?foaId=FOA-9001&orgnr=556016-0680&company=Exempel+AB&email=info%40exempel.se"
                        + "&street=Industriv%C3%A4gen+4&postalCode=41104&city=G%C3%B6teborg")
                try await BrowserTests.logIn(browser, "bo", "bo-secret-12345")
                #expect(try await browser.value("#customer-companyName") == "Exempel AB")
                try await browser.type("Bo Berg; bo@exempel.se; 070-111 22 33", into: "#contacts")
                let broken = "\(Samples.meteringPointId(901).dropLast())0"
                try await browser.type(
                    "\(Samples.meteringPointId(900)); SE3; 250000\n\(broken); SE3; 90000\n\(Samples.meteringPointId(902)); SE4; 40000; 91,5",
                    into: "#facilities")
                try await browser.type("79,9", into: "#specialTerms-priceOrePerKwh")
                try await browser.type("36", into: "#specialTerms-contractMonths")
                try await browser.click("#ready")
                #expect(try await browser.text("#problem").contains("det saknas saker"))
                #expect(try await browser.text("#draft-form .field-error").contains("Rad 2, anläggnings-ID: Kontrollsiffran stämmer inte."))
                try await BrowserTests.snap(browser, "6-foa-draft")
                let corrected = try await browser.value("#facilities").replacingOccurrences(of: broken, with: Samples.meteringPointId(901))
                try await browser.type(corrected, into: "#facilities")
                try await browser.click("#ready")
                #expect(try await browser.text("#notice").contains("klarmarkerat"))
                let contractId = try #require(UUID(uuidString: try await browser.text("#state strong")))
                #expect(await stack.state(contractId) == .readyForMKA)

                // One session cookie serves every back-office port of a host: Bo logs out, MKA logs in.
                try await browser.click("header form button")
                #expect(await eventually(timeout: .seconds(30)) { (try? await browser.currentURL)?.hasSuffix("/login") == true })
                try await browser.go("http://127.0.0.1:\(stack.webbavtal.port)/gordis")
                try await BrowserTests.logIn(browser, "mona", "mona-secret-123")
                try await BrowserTests.snap(browser, "7-gordis")
                try await browser.click("a[href='/contracts/\(contractId.uuidString.lowercased())']")
                try await browser.click("#edit summary")
                try await browser.type("kontrollerat mot avtalet", into: "#edit-reason")
                try await browser.click("#finalize")
                #expect(try await browser.text("#notice").contains("slutligt"))
                #expect(await stack.reaches(contractId, .exported, within: 30))
                try await browser.go("http://127.0.0.1:\(stack.webbavtal.port)/contracts/\(contractId.uuidString.lowercased())")
                #expect(try await browser.text("#state").contains("Överfört till Xellent"))
                try await BrowserTests.snap(browser, "8-exported")
                #expect(try await stack.xellentCalls(contractId).filter { $0 == "agreement-created" }.count == 1)
            } catch {
                await browser.quit()
                _ = await foa.terminate()
                throw error
            }
            await browser.quit()
            #expect(await foa.terminate() == 0)
        }
    }
}
