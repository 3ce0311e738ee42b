import AvtalBackOffice
import AvtalDomain
import AvtalMessaging
import Foundation
import PostgresNIO
import Testing

/// The flow board (`/flow`) with webbavtal as a process: a message parked on purpose in kontroll's parking queue
/// shows with its reason and no body, the queues with their depths and consumers, the contracts per state; the
/// replay button (CSRF, recorded as the person's) sends it back to kontroll's work queue and it leaves the board.
@Suite("Flow board", .serialized)
struct FlowBoardTests {
    /// webbavtal as a process on a fresh database, its queues under a kontroll topology of the test's own, the test
    /// users; `park` parks one message on purpose in kontroll's parking queue (a kontroll with no handler for its type)
    /// and answers its id.
    struct Board {
        let webbavtal: ServiceProcess
        let office: BackOfficeTests.Office
        let kontroll: ServiceTopology
        let base: String

        func park(_ sequence: Int) async throws -> String {
            let publisher = AMQPPublisher(options: TestEnvironment.broker, topology: kontroll.topology, logger: TestEnvironment.logger)
            let consumer = EventConsumer(
                topology: kontroll, handlers: EventHandlers(), connection: TestEnvironment.broker, publisher: publisher,
                logger: TestEnvironment.logger)
            let parkedBefore = (try? await TestBroker.messageCount(kontroll.parkingQueue)) ?? 0
            let running = Task { try await consumer.run() }
            let (envelope, message) = try TestPing.message(sequence, exchange: kontroll.exchange)
            try await publisher.publish(message)
            #expect(await eventually { (try? await TestBroker.messageCount(kontroll.parkingQueue)) == parkedBefore + 1 })
            consumer.stop()
            try await running.value
            await publisher.close()
            return envelope.messageId.uuidString.lowercased()
        }
    }

    func withBoard(_ body: (Board) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            let (prefix, kontroll) = AvtalctlTests.kontrollTopology()
            defer { Task { await TestBroker.delete(kontroll) } }
            var environment = ServiceProcessTests.isolatedEnvironment(database: database)
            environment["AMQP_QUEUE_PREFIX"] = prefix
            environment["AMQP_EXCHANGE"] = kontroll.exchange
            let webbavtal = try ServiceProcess("webbavtal", environment: environment)
            let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await webbavtal.admin("/ready")?.status == 200 }
            #expect(ready, "\(webbavtal.output)")
            try await BackOfficeTests.addUsers(client)
            let base = "http://127.0.0.1:\(webbavtal.port)"
            let office = BackOfficeTests.Office(
                transport: LiveTransport(base: base), client: client, database: database, log: { webbavtal.output }, base: base)
            try await body(Board(webbavtal: webbavtal, office: office, kontroll: kontroll, base: base))
            #expect(await webbavtal.terminate() == 0)
        }
    }

    @Test("a parked message shows on the board for ops and MKA (not sellers), and leaves it when replayed; the replay is recorded")
    func parkedAndReplayed() async throws {
        try await withBoard { board in
            let (office, kontroll, client) = (board.office, board.kontroll, board.office.client)
            let id = try await board.park(7)
            let seller = try await office.logIn("sara", "sara-secret-123")
            #expect(try await seller.get("/flow").status == 403, "a seller does not watch the flow")
            let mka = try await office.logIn("mona", "mona-secret-123")
            #expect(try await mka.get("/flow").status == 200)

            let ops = try await office.logIn("olle", "olle-secret-123")
            #expect(try await ops.get("/").body.contains("/flow"), "the start page links to the board")
            let page = try await ops.get("/flow")
            #expect(page.status == 200)
            #expect(page.body.contains(id) && page.body.contains("no handler for event type TestPing@v1"), "\(page.body.suffix(3000))")
            #expect(!page.body.contains("sequence"), "never a message body")
            // A cell rendered from a missing value reads `nil` or `Optional(…)`; the page's random CSRF token may hold "nil" by chance.
            #expect(!page.body.contains("visas inte"), "the broker was read")
            #expect(!page.body.contains(">nil<") && !page.body.contains("Optional("), "every cell has its value")
            #expect(
                page.body.contains(
                    #"<tr data-service="kontroll" class="alarm"><td>kontroll</td><td class="number">0</td><td class="number">0</td><td class="number">1</td>"#
                ))
            #expect(page.body.contains(#"<tr data-service="webbavtal"><td>webbavtal</td>"#), "webbavtal's own queue, consumed")
            #expect(page.body.contains(#"<tr data-service="signering"><td>signering</td><td colspan="3">kön finns inte"#))
            #expect(page.body.contains(#"data-state="stored"><td>Mottaget, kontrolleras</td><td class="number">0</td>"#))
            let fragment = try await ops.get("/flow/board")
            #expect(fragment.status == 200 && fragment.body.hasPrefix("<section class=\"board\">") && fragment.body.contains(id))

            // The replay needs the session's CSRF token and a service the board knows.
            let token = ops.csrf
            #expect(!token.isEmpty)
            let forged = try await ops.post("/flow/replay", form: ["service": "kontroll", "messageId": id, "_csrf": "forged"])
            #expect(forged.status == 403)
            let unknown = try await ops.post("/flow/replay", form: ["service": "nothing", "messageId": id, "_csrf": token])
            #expect(unknown.status == 400)
            #expect(try await TestBroker.messageCount(kontroll.parkingQueue) == 1, "nothing moved yet")
            let replayed = try await ops.post("/flow/replay", form: ["service": "kontroll", "messageId": id, "_csrf": token])
            #expect(replayed.status == 303, "\(replayed.body.prefix(500))")
            #expect(try await TestBroker.messageCount(kontroll.parkingQueue) == 0)
            #expect(try await TestBroker.messageCount(kontroll.workQueue) == 1, "back in kontroll's work queue")
            let after = try await ops.get("/flow")
            #expect(!after.body.contains(id) && after.body.contains("Inga parkerade meddelanden."))
            #expect(
                after.body.contains(
                    #"<tr data-service="kontroll" class="alarm"><td>kontroll</td><td class="number">1</td><td class="number">0</td><td class="number">0</td>"#
                ))
            let recorded = try await TestDatabase.count(
                client,
                "SELECT count(*) FROM backoffice.operator_actions WHERE username = 'olle' AND action = 'parked.replay' AND detail->'messageIds' ? '\(id)' AND detail->>'service' = 'kontroll'"
            )
            #expect(recorded == 1)
        }
    }

    @Test("in Chromium: a message parked while ops watches appears without a reload, and leaves the board when replayed")
    func inBrowser() async throws {
        try await withBoard { board in
            let browser = try await WebDriver.start()
            do {
                try await browser.go(board.base + "/flow")
                try await BrowserTests.logIn(browser, "olle", "olle-secret-123")
                #expect(await eventually(timeout: .seconds(60)) { (try? await browser.currentURL)?.hasSuffix("/flow") == true })
                #expect(try await browser.text("#parked").contains("Inga parkerade meddelanden."))
                let id = try await board.park(8)
                let appeared = await eventually(timeout: .seconds(15), every: .milliseconds(500)) {
                    (try? await browser.text("#parked"))?.contains(id) == true
                }
                #expect(appeared, "the board updated itself")
                #expect(try await browser.text("#queues").contains("kontroll"))
                #expect(try await !browser.text("#board").contains("visas inte"), "the broker's figures are shown")
                try await browser.scroll(to: "#queues")
                try await BrowserTests.snap(browser, "9-flow-board")
                try await browser.click("tr[data-message-id='\(id)'] button")
                let left = await eventually(timeout: .seconds(15), every: .milliseconds(500)) {
                    (try? await browser.text("#parked"))?.contains("Inga parkerade meddelanden.") == true
                }
                #expect(left, "replayed: gone from the board")
                // The board stops showing it once the replay has taken it from the parking queue, which is before its
                // copy is published to the work queue and confirmed.
                #expect(await eventually(timeout: .seconds(10)) { (try? await TestBroker.messageCount(board.kontroll.workQueue)) == 1 })
            } catch {
                await browser.quit()
                throw error
            }
            await browser.quit()
        }
    }
}
