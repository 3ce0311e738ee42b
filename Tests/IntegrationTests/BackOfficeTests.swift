import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foa
import Foundation
import NIOHTTP1
import PostgresNIO
import Testing
import Webbavtal

/// webbavtal's back office, its routes in-process: login, sessions, roles, CSRF, throttling, escaping, MKA's worklist.
@Suite("Back office login and worklist")
struct BackOfficeTests {
    struct Office: Sendable {
        let transport: any HTTPTransport
        let client: PostgresClient
        let database: String
        /// What the service logged, at debug level.
        let log: @Sendable () -> String
        /// Where a browser reaches it: only for a service run as a process (`live`).
        let base: String?

        func browser() -> Browser { Browser(transport: transport) }

        func logIn(_ username: String, _ password: String) async throws -> Browser {
            let browser = browser()
            try await browser.get("/login")
            let answer = try await browser.post("/login", form: ["username": username, "password": password, "_csrf": browser.csrf])
            #expect(answer.status == 303, "\(answer.status) \(answer.body.prefix(300))")
            try await browser.get("/")
            return browser
        }
    }

    /// `service` (webbavtal, or foa) on a fresh database with test users of every role: its routes in-process
    /// (HummingbirdTesting), or with `live` as a process on a port, for a real browser.
    static func withOffice(
        service: String = "webbavtal", live: Bool = false, _ body: @escaping @Sendable (Office) async throws -> Void
    )
        async throws
    {
        try await TestDatabase.withFreshDatabase { client, database in
            if live {
                let process = try ServiceProcess(
                    service, environment: ServiceProcessTests.isolatedEnvironment(database: database).merging(["LOG_LEVEL": "debug"]) { $1 })
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
                #expect(ready, "\(service) is not ready:\n\(process.output)")
                try await addUsers(client)
                let base = "http://127.0.0.1:\(process.port)"
                try await body(Office(transport: LiveTransport(base: base), client: client, database: database, log: { process.output }, base: base))
                #expect(await process.terminate() == 0)
            } else {
                try await withRoutes(service, database: database) { office in
                    try await addUsers(client)
                    try await body(office)
                }
            }
        }
    }

    /// `service`'s routes in-process on `database` (a second replica of one already running, say).
    static func withRoutes(_ service: String, database: String, _ body: @escaping @Sendable (Office) async throws -> Void) async throws {
        let definition = service == "foa" ? FoaService.definition : WebbavtalService.definition
        try await TestDatabase.withClient(TestDatabase.configuration(database: database)) { client in
            try await InProcessRoutes.test(definition, database: database) { router, log in
                try await body(Office(transport: RouterTransport(client: router), client: client, database: database, log: { log.text }, base: nil))
            }
        }
    }

    static func addUsers(_ client: PostgresClient) async throws {
        let users = UserDirectory(logger: TestEnvironment.logger)
        try await client.withConnection { connection in
            try await users.upsert(
                User(username: "sara", displayName: "Sara <Säljare>", role: .seller), password: "sara-secret-123", cost: 4, on: connection)
            try await users.upsert(User(username: "mona", displayName: "Mona MKA", role: .mka), password: "mona-secret-123", cost: 4, on: connection)
            try await users.upsert(User(username: "mia", displayName: "Mia MKA", role: .mka), password: "mia-secret-1234", cost: 4, on: connection)
            try await users.upsert(
                User(username: "sven", displayName: "Sven Säljare", role: .seller), password: "sven-secret-123", cost: 4, on: connection)
            try await users.upsert(
                User(username: "bo", displayName: "Bo Företagssäljare", role: .businessSeller), password: "bo-secret-12345", cost: 4, on: connection)
            try await users.upsert(
                User(username: "britt", displayName: "Britt Företagssäljare", role: .businessSeller), password: "britt-secret-123", cost: 4,
                on: connection)
            try await users.upsert(
                User(username: "olle", displayName: "Olle Drift", role: .ops), password: "olle-secret-123", cost: 4, on: connection)
        }
    }

    @Test("anonymous visitors are sent to the login page; a wrong password is refused and changes nothing")
    func anonymous() async throws {
        try await Self.withOffice { office in
            let browser = office.browser()
            for (path, login) in [("/", "/login"), ("/mka", "/login?next=%2Fmka"), ("/mka?q=19640823-3234", "/login?next=%2Fmka")] {
                let answer = try await browser.get(path)
                #expect(answer.status == 303 && answer.headers.first(name: "Location") == login, "\(path): a query never travels to the login page")
            }
            let login = try await browser.get("/login")
            #expect(login.status == 200 && login.body.contains("Logga in"))
            let wrong = try await browser.post("/login", form: ["username": "sara", "password": "guess-guess-guess", "_csrf": browser.csrf])
            #expect(wrong.status == 401)
            #expect(wrong.body.contains("Fel användarnamn eller lösenord"))
            #expect(browser.cookies[BackOfficeAuth.sessionCookie] == nil)
            let unknown = try await browser.post("/login", form: ["username": "nobody", "password": "guess-guess-guess", "_csrf": browser.csrf])
            #expect(unknown.status == 401, "an unknown user gets the same answer")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM backoffice.sessions") == 0)
        }
    }

    @Test("a seller logs in (HttpOnly, SameSite cookie), sees an escaped name, may not open MKA's worklist, logs out with CSRF")
    func sellerSession() async throws {
        try await Self.withOffice { office in
            let browser = office.browser()
            try await browser.get("/login")
            let login = try await browser.post("/login", form: ["username": "sara", "password": "sara-secret-123", "_csrf": browser.csrf])
            #expect(login.status == 303)
            let cookie = login.headers["Set-Cookie"].first { $0.hasPrefix(BackOfficeAuth.sessionCookie + "=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "\(cookie)")
            let home = try await browser.get("/")
            #expect(home.status == 200)
            #expect(home.body.contains("Sara &lt;Säljare&gt;") && !home.body.contains("Sara <Säljare>"), "output is escaped")
            #expect(!home.body.contains("/mka"), "a seller is not offered the worklist")
            #expect(try await browser.get("/mka").status == 403)

            let forged = try await browser.post("/logout", form: ["_csrf": "not-the-token"])
            #expect(forged.status == 403, "a form post without the session's CSRF token is refused")
            #expect(try await browser.get("/").status == 200, "and the session lives on")
            try await browser.get("/")
            let logout = try await browser.post("/logout", form: ["_csrf": browser.csrf])
            #expect(logout.status == 303)
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM backoffice.sessions") == 0)
            #expect(try await browser.get("/").status == 303)
        }
    }

    @Test("the login form itself needs its CSRF token, and five failures block the username for a while")
    func loginProtection() async throws {
        try await Self.withOffice { office in
            let browser = office.browser()
            try await browser.get("/login")
            #expect(try await browser.post("/login", form: ["username": "sara", "password": "sara-secret-123", "_csrf": "forged"]).status == 403)
            try await browser.get("/login")
            for _ in 0..<5 {
                let wrong = try await browser.post("/login", form: ["username": "sara", "password": "wrong-password-1", "_csrf": browser.csrf])
                #expect(wrong.status == 401)
            }
            let blocked = try await browser.post("/login", form: ["username": "sara", "password": "sara-secret-123", "_csrf": browser.csrf])
            #expect(blocked.status == 429, "even the right password waits once the username is blocked")
            #expect(browser.cookies[BackOfficeAuth.sessionCookie] == nil)
        }
    }

    /// A login attempt from a browser of its own: its login page's CSRF token, then the post.
    static func attempt(_ office: Office, _ username: String, _ password: String) async throws -> Int {
        let browser = office.browser()
        try await browser.get("/login")
        return try await browser.post("/login", form: ["username": username, "password": password, "_csrf": browser.csrf]).status
    }

    @Test("30 wrong passwords for one user at once: at most five are checked, the rest are 429 (the attempt is counted before bcrypt)")
    func parallelAttempts() async throws {
        try await Self.withOffice { office in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<30 { group.addTask { try await Self.attempt(office, "mona", "wrong-password-1") } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count <= 5, "\(statuses.sorted())")
            #expect(statuses.filter { $0 == 429 }.count >= 25, "\(statuses.sorted())")
            #expect(Set(statuses).isSubset(of: [401, 429]))
            #expect(try await Self.attempt(office, "mona", "mona-secret-123") == 429, "the right password waits too")
        }
    }

    @Test("the count is the database's: two replicas share it; a right password releases only its own attempt")
    func sharedAcrossReplicas() async throws {
        try await Self.withOffice { office in
            for _ in 0..<3 { #expect(try await Self.attempt(office, "sven", "wrong-password-1") == 401) }
            #expect(try await Self.attempt(office, "sven", "sven-secret-123") == 303, "a right password within the limit logs in")
            try await Self.withRoutes("webbavtal", database: office.database) { replica in
                var statuses: [Int] = []
                for _ in 0..<3 { statuses.append(try await Self.attempt(replica, "sven", "wrong-password-1")) }
                #expect(statuses == [401, 401, 429], "the other replica's three failures count")
            }
            #expect(try await Self.attempt(office, "sven", "sven-secret-123") == 429)
        }
    }

    @Test("one client address gets 20 attempts in the window, whatever usernames it tries")
    func perAddress() async throws {
        try await Self.withOffice { office in
            var statuses: [Int] = []
            for index in 0...20 { statuses.append(try await Self.attempt(office, "guess-\(index)", "wrong-password-1")) }
            #expect(statuses == Array(repeating: 401, count: 20) + [429], "\(statuses)")
            let real = try await Self.attempt(office, "mia", "mia-secret-1234")
            #expect(real == 429, "from that address, even a real user waits")
        }
    }

    @Test("MKA sees the contracts that need MKA, oldest first, with their reasons")
    func worklist() async throws {
        try await Self.withOffice { office in
            let store = ContractStore(logger: TestEnvironment.logger)
            let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
            var ids: [UUID] = []
            for (offset, reasons) in [(0, [NeedsMKAReason.facilityIdMissing]), (1, [.creditDenied, .facilityUnknown])] {
                let id = try await office.client.withTransaction(logger: TestEnvironment.logger) { connection -> UUID in
                    guard
                        case .created(let stored) = try await store.insert(
                            Samples.privateContract(facility: 1101 + offset * 10), by: .partner("test"), now: Samples.now, on: connection)
                    else { throw SetupError("not created") }
                    _ = try await lifecycle.apply(
                        .needsMKA(reasons: reasons), to: stored.id, by: .service("kontroll"), now: Samples.now.addingTimeInterval(Double(offset)),
                        on: connection)
                    return stored.id
                }
                ids.append(id)
            }
            let browser = try await office.logIn("mona", "mona-secret-123")
            let page = try await browser.get("/mka")
            #expect(page.status == 200)
            #expect(page.body.contains("2 avtal"))
            let first = try #require(page.body.range(of: ids[0].uuidString.lowercased()))
            let second = try #require(page.body.range(of: ids[1].uuidString.lowercased()))
            #expect(first.lowerBound < second.lowerBound, "oldest first")
            #expect(page.body.contains(#"title="credit.denied">Kreditupplysningen nekade"#) && page.body.contains(#"title="facility.unknown""#))

            // The contract page: everything known, and the audit trail.
            let contract = try await browser.get("/contracts/\(ids[1].uuidString.lowercased())")
            #expect(contract.status == 200)
            #expect(contract.body.contains("Hanteras av MKA") && contract.body.contains("Anna Andersson"))
            #expect(contract.body.contains("partner:test") && contract.body.contains("kontroll"), "the audit trail names who did what")
            #expect(try await browser.get("/contracts/\(UUID())").status == 404)
            let seller = try await office.logIn("sara", "sara-secret-123")
            #expect(try await seller.get("/contracts/\(ids[1].uuidString.lowercased())").status == 403)
        }
    }
}
