import AvtalTestSupport
import Foundation
import NIOHTTP1
import PostgresNIO
import Testing

/// What every HTTP edge refuses, tried as an attacker would, against services as processes (real sockets): other
/// spellings of a path, bodies over the limit, clients that never finish a request, and who may see `/ready` and
/// `/metrics`. docs/SECURITY.md lists these with their tests.
@Suite("The HTTP edge")
struct EdgeTests {
    static func withService(
        _ name: String, extra: [String: String] = [:], _ body: (ServiceProcess, PostgresClient) async throws -> Void
    ) async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            let process = try ServiceProcess(
                name, environment: ServiceProcessTests.isolatedEnvironment(database: database).merging(extra) { $1 })
            let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
            #expect(ready, "\(name) is not ready:\n\(process.output)")
            try await body(process, client)
            #expect(await process.terminate() == 0, "\(process.output)")
        }
    }

    static let spellings = [
        "//v1/contracts", "/v1//contracts", "/v1/./contracts", "/v1/x/../contracts", "/v1/%63ontracts", "/v1/contracts/",
        "/v1/contracts%2F", "/v1%2Fcontracts", "/V1/contracts", "/v1/Contracts", "/v1/contracts/.", "/./v1/contracts", "/v1\\contracts",
        "/v1/contracts%", "/v1/contracts%zz",
    ]

    @Test("every other spelling of a path meets the same refusal: never a 5xx, never a contract, never the handler without its key")
    func pathSpellings() async throws {
        try await Self.withService("partner-api") { process, client in
            let body = #"{"externalReference": "spelled", "customer": {"type": "private"}}"#
            for path in Self.spellings {
                // Over a plain socket: a refused request's connection is closed once answered, which an HTTP client
                // still writing its body may report as an error instead of the answer.
                let connection = try RawConnection(port: process.port)
                connection.send(
                    "POST \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                )
                let answer = connection.receive(timeout: .seconds(10)).text
                let status = Int(answer.split(separator: " ").dropFirst().first ?? "") ?? 0
                #expect([400, 401, 404, 405].contains(status), "POST \(path): \(answer.prefix(200))")
            }
            let canonical = try await HTTPCall.send(
                .POST, "http://127.0.0.1:\(process.port)/v1/contracts", headers: [("Content-Type", "application/json")], body: body)
            #expect(canonical.status == 401, "the canonical spelling asks for the key")
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.contracts") == 0)
        }
    }

    @Test("a 150 MiB body sent without a key to any spelling is cut off early; the process does not grow")
    func hugeBody() async throws {
        try await Self.withService("partner-api") { process, _ in
            let before = try #require(residentKiB(process.pid))
            let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 1 << 20)
            for path in ["/v1//contracts", "/v1/contracts", "//v1/contracts"] {
                let connection = try RawConnection(port: process.port)
                let head =
                    "POST \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: \(150 << 20)\r\n\r\n"
                #expect(connection.send(head))
                var sent = 0
                while sent < 150, connection.send(chunk) { sent += 1 }
                let answer = connection.receive(timeout: .seconds(5))
                #expect(sent < 150, "\(path): the server read all 150 MiB")
                #expect(answer.text.hasPrefix("HTTP/1.1 4"), "\(path): \(answer.text.prefix(80))")
            }
            let after = try #require(residentKiB(process.pid))
            #expect(after - before < 20 * 1024, "resident memory grew from \(before) to \(after) KiB")
        }
    }

    @Test("500 connections that send half a request's head are closed after the header timeout; others are answered meanwhile")
    func slowClients() async throws {
        try await Self.withService("partner-api", extra: ["HTTP_HEADER_TIMEOUT_SECONDS": "6"]) { process, _ in
            let connections = try (0..<500).map { _ in try RawConnection(port: process.port) }
            for connection in connections { #expect(connection.send("POST /v1/contracts HTTP/1.1\r\nHost: x\r\nContent-Ty")) }
            let started = ContinuousClock.now
            let health = try await HTTPCall.send(.GET, "http://127.0.0.1:\(process.port)/health")
            let answeredIn = ContinuousClock.now - started
            #expect(health.status == 200)
            // Alone on this machine it answers in a few milliseconds (docs/SECURITY.md); the bound here only says it did
            // not wait for the 6 s header timeout behind the 500, whatever else the test run is doing on 2 cores (a full
            // parallel run on a slow day took 5.2 s): answered before the header timeout could have freed anything.
            print("GET /health beside 500 half-open connections: \(answeredIn)")
            #expect(answeredIn < .seconds(6), "a normal request waited \(answeredIn)")
            try await Task.sleep(for: .seconds(7))
            let open = connections.filter { !$0.receive(timeout: .milliseconds(500)).closed }.count
            #expect(open == 0, "\(open) of 500 half-open connections still open after the 6 s header timeout")
        }
    }

    @Test("past HTTP_MAX_IN_FLIGHT a request is 503 with Retry-After at once, as a problem; /health never is; then answered again")
    func shedsLoad() async throws {
        try await Self.withService("partner-api", extra: ["HTTP_MAX_IN_FLIGHT": "2"]) { process, client in
            let keys = try await PartnerAPITests.addPartners(client)
            // Two requests in progress: a partner's POST whose body is still coming.
            let slow = try (0..<2).map { _ in try RawConnection(port: process.port) }
            for connection in slow {
                #expect(
                    connection.send(
                        "POST /v1/contracts HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(keys[3])\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a\""
                    ))
            }
            try await Task.sleep(for: .milliseconds(500))
            let started = ContinuousClock.now
            let shed = try await HTTPCall.send(
                .GET, "http://127.0.0.1:\(process.port)/v1/contracts/\(UUID())", headers: [("Authorization", "Bearer \(keys[3])")])
            print("a request past the in-flight bound answered in \(ContinuousClock.now - started)")
            #expect(shed.status == 503 && shed.headers.first(name: "Retry-After") == "1", "\(shed.status) \(shed.body)")
            #expect(shed.headers.first(name: "Content-Type") == "application/problem+json")
            #expect(shed.body.contains("https://avtalsflode.se/problems/overloaded"))
            #expect(try await HTTPCall.send(.GET, "http://127.0.0.1:\(process.port)/health").status == 200, "/health is never shed")
            for connection in slow { connection.hangUp() }
            let answered = await eventually {
                (try? await HTTPCall.send(
                    .GET, "http://127.0.0.1:\(process.port)/v1/contracts/\(UUID())", headers: [("Authorization", "Bearer \(keys[3])")]))?.status
                    == 404
            }
            #expect(answered, "once the two are gone, requests are answered again")
            #expect(await process.admin("/metrics")?.body.contains("avtal_http_shed_total") == true)
        }
    }

    @Test("a body over the limit is 413 in every service that takes HTTP: forms, webhooks, the sandbox")
    func bodyLimitEverywhere() async throws {
        for (service, path, bytes) in [
            ("webbavtal", "/login", 300 * 1024), ("foa", "/login", 300 * 1024), ("signering", "/webhooks/getaccept/x", 80 * 1024),
            ("sandbox", "/mail/messages", 1100 * 1024), ("partner-api", "/v1/contracts", 600 * 1024),
        ] {
            try await Self.withService(service) { process, _ in
                let answer = try await HTTPCall.send(
                    .POST, "http://127.0.0.1:\(process.port)\(path)", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                    body: String(repeating: "a", count: bytes))
                #expect(answer.status == 413, "\(service) \(path): \(answer.status)")
                #expect(answer.contentType.hasPrefix("application/problem+json"))
            }
        }
    }

    @Test("/ready and /metrics answer only on the admin port; /ready reads state and answers at once with the broker gone")
    func adminPort() async throws {
        try await Self.withService("kontroll") { process, _ in
            let ready = try await HTTPCall.send(.GET, "http://127.0.0.1:\(process.port)/ready")
            let metrics = try await HTTPCall.send(.GET, "http://127.0.0.1:\(process.port)/metrics")
            #expect(ready.status == 404 && metrics.status == 404, "the service's own port shows neither")
            #expect(await process.admin("/metrics")?.status == 200)
        }
        // A broker that accepts connections and never answers: a probe that tried to connect would wait out its
        // 3 s check timeout (and hold the publisher's thread); one that reads state answers at once.
        let silent = try SilentListener()
        try await TestDatabase.withFreshDatabase { _, database in
            var environment = ServiceProcessTests.isolatedEnvironment(database: database)
            environment["AMQP_URLS"] = "amqp://guest:guest@127.0.0.1:\(silent.port)"
            let process = try ServiceProcess("kontroll", environment: environment)
            #expect(await eventually(timeout: .seconds(30)) { await process.admin("/ready")?.status == 503 })
            // A probe that waited on the broker would take its 3 s check timeout: each one must answer sooner (5 in a
            // row took 3.5 s in all on a loaded 2-core machine, so the bound is per probe).
            var slowest = Duration.zero
            for _ in 0..<5 {
                let started = ContinuousClock.now
                #expect(await process.admin("/ready")?.body.contains("broker") == true)
                slowest = max(slowest, ContinuousClock.now - started)
            }
            print("the slowest of 5 readiness probes with a silent broker: \(slowest)")
            #expect(slowest < .seconds(3), "a probe took \(slowest): it waited on the broker")
            #expect(await process.terminate() == 0)
        }
    }
}
