import AsyncHTTPClient
import AvtalCreditBureau
import AvtalDomain
import AvtalMailGateway
import AvtalRegisters
import AvtalThirdParty
import Foundation
import NIOCore
import Testing

/// Our third-party clients against the sandbox executable, over real HTTP: the behaviour `docs/sandbox.md` promises,
/// idempotency by reference, and the call log tests use to count credit checks and e-mails.
@Suite("Sandbox and third-party clients", .serialized)
struct SandboxClientTests {
    struct Call: Decodable {
        var system: String
        var operation: String
        var key: String
    }

    func withSandbox(_ body: (SandboxClients, ServiceProcess) async throws -> Void) async throws {
        let sandbox = try ServiceProcess("sandbox", environment: ["SANDBOX_BUREAU_SLOW_MS": "400"])
        #expect(await eventually(timeout: .seconds(30)) { await sandbox.admin("/ready")?.status == 200 }, "\(sandbox.output)")
        let clients = SandboxClients(baseURL: "http://127.0.0.1:\(sandbox.port)", timeout: .seconds(2), attempts: 3)
        try await body(clients, sandbox)
        #expect(await sandbox.terminate() == 0)
    }

    func calls(_ sandbox: ServiceProcess, key: String) async throws -> [String] {
        let answer = try #require(await sandbox.get("/calls?key=\(key)"))
        return try ThirdPartyJSON.decoder.decode([Call].self, from: Data(answer.body.utf8)).map(\.operation)
    }

    @Test("the registers answer by the test data's serials, with addresses; unknown identities and facilities are nil")
    func registers() async throws {
        try await withSandbox { clients, _ in
            #expect(try await clients.registers.customer(identity: "196408233234") == nil)
            #expect(try await clients.registers.customer(identity: "197001019102")?.type == "private")
            let soleProprietor = try await clients.registers.customer(identity: "197001019608")
            #expect(soleProprietor?.type == "business")
            #expect(soleProprietor?.isSoleProprietorship == true)
            #expect(try await clients.registers.customer(identity: "556016-9005")?.isSoleProprietorship == false)
            #expect(try await clients.registers.facility(meteringPointId: "735999400000000006")?.priceArea == "SE4")
            #expect(try await clients.registers.facility(meteringPointId: "735999000000900006") == nil)
            let home = Address(street: "Storgatan 1", postalCode: "111 22", city: "Stockholm")
            let elsewhere = Address(street: "Sjövägen 12", postalCode: "760 10", city: "Bergshamra")
            #expect(try await clients.registers.customer(identity: "197001019102")?.address == home)
            #expect(try await clients.registers.customer(identity: "197001019335")?.address == elsewhere)
            let facility = try await clients.registers.facility(meteringPointId: "735999400000000006")
            #expect(facility?.address == home)
            #expect(facility?.gridArea == "MAL")
            #expect(facility?.currentSupplier == "Annat Elbolag AB")
            #expect(try await clients.registers.facility(meteringPointId: "735999400000070006")?.address == elsewhere)
        }
    }

    @Test("a credit check happens once per reference; asking again returns the same report, and the bureau can be asked what happened")
    func creditCheckOncePerReference() async throws {
        try await withSandbox { clients, sandbox in
            let reference = "contract-\(UUID().uuidString.lowercased())-round-1"
            let first = try await clients.bureau.check(CreditCheckRequest(reference: reference, subject: "196408233234"))
            let again = try await clients.bureau.check(CreditCheckRequest(reference: reference, subject: "196408233234"))
            #expect(first.outcome == .approved)
            #expect(again == first)
            #expect(try await clients.bureau.report(reference: reference) == first)
            #expect(try await clients.bureau.report(reference: "never-checked") == nil)
            #expect(try await calls(sandbox, key: reference) == ["credit-check", "credit-check-repeat", "report"])
        }
    }

    @Test("the bureau denies, refers, is unavailable or slow as the serial says; unavailable is retried, then reported as such")
    func bureauOutcomes() async throws {
        try await withSandbox { clients, sandbox in
            let denied = try await clients.bureau.check(CreditCheckRequest(reference: "d", subject: "197001019953"))
            #expect(denied.outcome == .denied)
            let referred = try await clients.bureau.check(CreditCheckRequest(reference: "r", subject: "197001019854"))
            #expect(referred.outcome == .referred && referred.reasonCode == "manual.review")
            await #expect {
                try await clients.bureau.check(CreditCheckRequest(reference: "u", subject: "197001019755"))
            } throws: { error in
                (error as? ThirdPartyError)?.code == .unavailable
            }
            let attempts = try await calls(sandbox, key: "u")
            #expect(attempts == Array(repeating: "credit-check-unavailable", count: 3))

            let asked = ContinuousClock.now
            let slow = try await clients.bureau.check(CreditCheckRequest(reference: "s", subject: "197001018006"))
            #expect(slow.outcome == .approved)
            #expect(ContinuousClock.now - asked >= .milliseconds(400), "serial 800–849 answers after SANDBOX_BUREAU_SLOW_MS")
        }
    }

    @Test("an e-mail is sent once per reference however often it is asked for")
    func mailOncePerReference() async throws {
        try await withSandbox { clients, sandbox in
            let mail = OutgoingMail(reference: "mail-1", to: "anna@example.se", subject: "Kreditupplysning", text: "…")
            try await clients.mail.send(mail)
            try await clients.mail.send(mail)
            #expect(try await clients.mail.wasSent(reference: "mail-1"))
            #expect(try await !clients.mail.wasSent(reference: "mail-2"))
            #expect(try await calls(sandbox, key: "mail-1") == ["mail-sent", "mail-repeat", "mail-status"])
        }
    }

    @Test("nothing listening is `unavailable`, after the retries, and the error names the operation, never the path or the identity")
    func nothingListening() async throws {
        let clients = SandboxClients(baseURL: "http://127.0.0.1:\(try freePort())", timeout: .seconds(1), attempts: 2)
        await #expect {
            _ = try await clients.registers.customer(identity: "196408233234")
        } throws: { error in
            // What the error says goes into logs and message headers: the identity looked up is never in it.
            guard let error = error as? ThirdPartyError else { return false }
            return error.code == .unavailable && !error.description.contains("196408233234") && !error.description.contains("/register")
        }
    }
}

/// The sandbox's registers, credit bureau and mail gateway, each through its own client, at one address.
struct SandboxClients {
    let registers: HTTPRegisters
    let bureau: HTTPCreditBureau
    let mail: HTTPMailGateway

    init(baseURL: String, timeout: Duration, attempts: Int) {
        registers = HTTPRegisters(baseURL: baseURL, timeout: timeout, attempts: attempts)
        bureau = HTTPCreditBureau(baseURL: baseURL, timeout: timeout, attempts: attempts)
        mail = HTTPMailGateway(baseURL: baseURL, timeout: timeout, attempts: attempts)
    }
}
