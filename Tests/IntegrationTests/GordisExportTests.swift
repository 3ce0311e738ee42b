import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import NIOHTTP1
import PostgresNIO
import Testing
import Webbavtal

/// Special contracts from Gördis to Xellent: webbavtal, gordis-export and the sandbox's Xellent as processes on a
/// fresh database and exchange. Exactly one agreement per contract in Xellent, or a clear `ExportFailed`.
@Suite("Gördis and gordis-export")
struct GordisExportTests {
    struct Stack {
        let client: PostgresClient
        let sandbox: ServiceProcess
        let webbavtal: ServiceProcess
        var export: ServiceProcess
        let environment: [String: String]
        let store = ContractStore(logger: TestEnvironment.logger)
        let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)

        func insertSpecial(facility: Int, company: String = "Exempel AB") async throws -> UUID {
            var details = Samples.specialContract(facility: facility)
            details.customer.companyName = company
            details.startDate = CivilDate(swedishDateAt: Date()).adding(days: 60)
            return try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                guard case .created(let contract) = try await store.insert(details, by: .user("bo"), now: Date(), on: connection) else {
                    throw SetupError("not created")
                }
                return contract.id
            }
        }

        /// MKA's decision through the store, as the Gördis page takes it.
        func decide(_ input: LifecycleInput, on id: UUID) async throws {
            let outcome = try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                let version = try await store.contract(id, on: connection)?.version ?? 0
                return try await lifecycle.decide(input, on: id, expectedVersion: version, by: .user("mona"), now: Date(), on: connection)
            }
            guard case .applied(.transitioned) = outcome else { throw SetupError("\(input.kind) on \(id): \(outcome)") }
        }

        func state(_ id: UUID) async -> ContractState? {
            try? await client.withConnection { try await store.contract(id, on: $0)?.state }
        }

        func reaches(_ id: UUID, _ state: ContractState, within seconds: Int = 30) async -> Bool {
            await eventually(timeout: .seconds(seconds)) { await self.state(id) == state }
        }

        func xellentCalls(_ id: UUID) async throws -> [String] {
            let answer = try #require(await sandbox.get("/calls?system=xellent&key=\(id.uuidString.lowercased())"))
            let calls = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]] ?? []
            return calls.compactMap { $0["operation"] as? String }
        }

        func outage(seconds: Double) async throws {
            _ = try await HTTPCall.send(.POST, "http://127.0.0.1:\(sandbox.port)/xellent-control/outage?seconds=\(seconds)")
        }
    }

    static func withStack(sandboxEnvironment: [String: String] = [:], _ body: (inout Stack) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            let sandbox = try ServiceProcess("sandbox", environment: sandboxEnvironment)
            #expect(await eventually(timeout: .seconds(30)) { await sandbox.admin("/ready")?.status == 200 })
            var environment = ServiceProcessTests.isolatedEnvironment(database: database)
            environment["XELLENT_URL"] = "http://127.0.0.1:\(sandbox.port)"
            environment["RETRY_DELAYS_MS"] = "500,1000"
            let webbavtal = try ServiceProcess("webbavtal", environment: environment)
            let export = try ServiceProcess("gordis-export", environment: environment)
            for process in [webbavtal, export] {
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
                #expect(ready, "\(process.name) is not ready:\n\(process.output)")
            }
            var stack = Stack(client: client, sandbox: sandbox, webbavtal: webbavtal, export: export, environment: environment)
            try await body(&stack)
            for process in [stack.export, webbavtal, sandbox] where process.isRunning {
                #expect(await process.terminate() == 0, "\(process.name):\n\(process.output.suffix(3000))")
            }
        }
    }

    @Test("MKA post-processes a special contract in Gördis and saves it as final: one agreement in Xellent, shown as exported")
    func finalizeInGordis() async throws {
        try await Self.withStack { stack in
            let id = try await stack.insertSpecial(facility: 1201)
            #expect(await stack.state(id) == .readyForMKA)
            try await stack.client.withConnection { connection in
                try await UserDirectory(logger: TestEnvironment.logger).upsert(
                    User(username: "mona", displayName: "Mona MKA", role: .mka), password: "mona-secret-123", cost: 4, on: connection)
            }
            let mona = Browser(transport: LiveTransport(base: "http://127.0.0.1:\(stack.webbavtal.port)"))
            try await mona.get("/login")
            #expect(try await mona.post("/login", form: ["username": "mona", "password": "mona-secret-123", "_csrf": mona.csrf]).status == 303)
            let gordis = try await mona.get("/gordis")
            #expect(gordis.status == 200 && gordis.body.contains(id.uuidString.lowercased()) && gordis.body.contains("Klart för MKA"))
            let path = "/contracts/\(id.uuidString.lowercased())"
            let page = try await mona.get(path)
            #expect(page.body.contains(#"id="finalize""#) && page.body.contains("FOA-id FOA-1001"))
            let current = try #require(try await stack.client.withConnection { try await stack.store.contract(id, on: $0) })
            var form = ContractForm(current.details).fields.values
            form["customer.email"] = "faktura@exempel.se"
            form.merge(["_csrf": mona.csrf, "version": mona.value(of: "version"), "then": "finalize", "reason": "fakturaadress klar"]) { $1 }
            let finalized = try await mona.post(path + "/edit", form: form)
            #expect(
                finalized.status == 303 && finalized.headers.first(name: "Location") == path + "?done=finalized", "\(finalized.body.prefix(3000))")
            #expect(await stack.reaches(id, .exported), "\(stack.export.output.suffix(2000))")
            #expect(try await stack.xellentCalls(id).filter { $0 == "agreement-created" }.count == 1)
            #expect(try await TestDatabase.count(stack.client, "SELECT count(*) FROM gordis_export.exports WHERE state = 'exported'") == 1)
            let exported = try await mona.get(path)
            #expect(exported.body.contains("Överfört till Xellent") && !exported.body.contains(#"id="finalize""#), "final: no more editing")
            let again = try await mona.post(path + "/edit", form: form.merging(["_csrf": mona.csrf, "version": "\(current.version + 2)"]) { $1 })
            #expect(again.status == 409, "a finalized contract cannot be finalized again")
            #expect(try await stack.xellentCalls(id).filter { $0 == "agreement-created" }.count == 1)
            // The special contract's ContractStored found its consumer (webbavtal) the first time: no refused row.
            let refused = try await TestDatabase.count(
                stack.client,
                "SELECT count(*) FROM webbavtal.outbox WHERE routing_key = 'contract.stored.special' AND (published_at IS NULL OR attempts > 0)")
            #expect(refused == 0, "the broker refused contract.stored.special")
        }
    }

    @Test("Xellent refusing the data: ExportFailed with the reason at once; a retry that fails again is shown again")
    func refused() async throws {
        try await Self.withStack { stack in
            let id = try await stack.insertSpecial(facility: 1202, company: "Avvisas AB")
            try await stack.decide(.finalizedByMKA, on: id)
            #expect(await stack.reaches(id, .exportFailed, within: 30))
            let refused = try await stack.client.withConnection { try await stack.store.contract(id, on: $0) }
            #expect(refused?.needsMKAReasons == [.exportFailed])
            #expect(refused?.needsMKADetail?.contains("customer_rejected") == true, "\(String(describing: refused?.needsMKADetail))")
            try await stack.decide(.exportRetryRequested, on: id)
            #expect(
                await eventually(timeout: .seconds(30)) {
                    (try? await TestDatabase.count(stack.client, "SELECT attempts FROM gordis_export.exports")) == 2
                })
            #expect(
                await eventually(timeout: .seconds(30)) {
                    (try? await TestDatabase.count(
                        stack.client,
                        "SELECT count(*) FROM webbavtal.audit_trail WHERE to_state = 'exportFailed' AND action = 'transition' AND actor_id = 'gordis-export'"
                    ))
                        == 2
                }, "the second failure is recorded, not refused")
            #expect(try await stack.xellentCalls(id).filter { $0 == "agreement-refused" }.count == 2)
            #expect(try await stack.xellentCalls(id).contains("agreement-created") == false)
        }
    }

    @Test("Xellent down for a moment: the retries bridge it; down for long: ExportFailed, and MKA's retry exports it once")
    func outage() async throws {
        try await Self.withStack { stack in
            // Down when first asked, up again before the retries run out.
            try await stack.outage(seconds: 60)
            let short = try await stack.insertSpecial(facility: 1203)
            try await stack.decide(.finalizedByMKA, on: short)
            #expect(await eventually(timeout: .seconds(30)) { (try? await stack.xellentCalls(short))?.contains("unavailable") == true })
            try await stack.outage(seconds: 0)
            #expect(await stack.reaches(short, .exported, within: 30))

            try await stack.outage(seconds: 60)
            let long = try await stack.insertSpecial(facility: 1204)
            try await stack.decide(.finalizedByMKA, on: long)
            #expect(await stack.reaches(long, .exportFailed, within: 30))
            let failed = try await stack.client.withConnection { try await stack.store.contract(long, on: $0) }
            #expect(failed?.needsMKAReasons == [.exportFailed])
            #expect(failed?.needsMKADetail?.contains("did not answer") == true, "\(String(describing: failed?.needsMKADetail))")
            try await stack.outage(seconds: 0)
            try await stack.decide(.exportRetryRequested, on: long)
            #expect(await stack.reaches(long, .exported, within: 30))
            for id in [short, long] {
                #expect(try await stack.xellentCalls(id).filter { $0 == "agreement-created" }.count == 1)
            }
        }
    }

    @Test("gordis-export killed after Xellent created the agreement, before its own commit: the next one finds it; one agreement")
    func crashAfterCreate() async throws {
        try await Self.withStack(sandboxEnvironment: ["SANDBOX_XELLENT_LATENCY_MS": "1500"]) { stack in
            let id = try await stack.insertSpecial(facility: 1205)
            try await stack.decide(.finalizedByMKA, on: id)
            #expect(
                await eventually(timeout: .seconds(30), every: .milliseconds(10)) {
                    (try? await stack.xellentCalls(id))?.contains("agreement-created") == true
                })
            await stack.export.crash()
            stack.export = try ServiceProcess("gordis-export", environment: stack.environment)
            #expect(await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await stack.export.admin("/ready")?.status == 200 })
            #expect(await stack.reaches(id, .exported), "\(stack.export.output.suffix(2000))")
            let calls = try await stack.xellentCalls(id)
            #expect(calls.filter { $0 == "agreement-created" }.count == 1, "\(calls)")
            #expect(calls.filter { $0 == "lookup" }.count == 2, "each attempt asked Xellent first: \(calls)")
            #expect(
                try await TestDatabase.count(stack.client, "SELECT count(*) FROM webbavtal.outbox WHERE message_type = 'SpecialContractFinalized'")
                    == 1)
        }
    }
}
