import AvtalDomain
import AvtalTestSupport
import Foundation
import Testing

/// The back office in a real browser: headless Chromium over WebDriver against webbavtal as a process. With
/// `AVTAL_SCREENSHOTS=<folder>` the tests also save the main pages as PNGs (`make screenshots` → `docs/screenshots/`).
@Suite("The back office in a browser", .serialized)
struct BrowserTests {
    static let screenshots = ProcessInfo.processInfo.environment["AVTAL_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }

    static func withBrowser(_ body: (WebDriver, BackOfficeTests.Office) async throws -> Void) async throws {
        try await BackOfficeTests.withOffice { office in
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
                office.base
                    + "/lime/contract?limeId=L-9&status=customer&type=private&pnr=196408233234&firstName=Anna&lastName=Andersson"
                    + "&email=anna%40example.se&phone=0701234567&street=Storgatan+1&postalCode=11122&city=Stockholm")
            try await Self.snap(browser, "1-login")
            try await Self.logIn(browser, "sara", "sara-secret-123")
            #expect(try await browser.currentURL.contains("/contracts/new?prefill="))
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

    @Test("MKA opens a contract from the worklist, completes the facility id and sends it back to kontroll")
    func mkaCompletes() async throws {
        try await Self.withBrowser { browser, office in
            let id = try await MKAActionTests.waitingContract(office, facility: 91)
            _ = try await MKAActionTests.waitingContract(office, facility: 92, reasons: [NeedsMKAReason.creditReferred])
            _ = try await MKAActionTests.waitingContract(
                office, facility: 93, reasons: [NeedsMKAReason.customerConflict, NeedsMKAReason.facilityPriceAreaMismatch])
            try await browser.go(office.base + "/mka")
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
