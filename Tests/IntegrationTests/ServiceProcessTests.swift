import AsyncHTTPClient
import AvtalPersistence
import Foundation
import Glibc
import Kontroll
import NIOCore
import NIOHTTP1
import Testing

/// Every executable as a real process: it starts, migrates, declares its topology, reports ready, serves its
/// operational endpoints and exits cleanly on SIGTERM.
@Suite("Service processes")
struct ServiceProcessTests {
    static let services = ["partner-api", "webbavtal", "kontroll", "signering", "foa", "gordis-export"]

    /// The test servers, with a database of the test's own and an exchange and queue names no other test uses.
    static func isolatedEnvironment(database: String) -> [String: String] {
        [
            "POSTGRES_PORT": "\(TestEnvironment.postgresPort)",
            "POSTGRES_DATABASE": database,
            "AMQP_URLS": "amqp://guest:guest@127.0.0.1:\(TestEnvironment.amqpPort)",
            "AMQP_EXCHANGE": TestEnvironment.uniqueName("ex"),
            "AMQP_QUEUE_PREFIX": TestEnvironment.uniqueName("q") + ".",
        ]
    }

    @Test("all six services and the sandbox start, report ready and stop cleanly on SIGTERM")
    func startReadyStop() async throws {
        try await TestDatabase.withFreshDatabase { _, database in
            let environment = Self.isolatedEnvironment(database: database)
            let processes = try (Self.services + ["sandbox"]).map { try ServiceProcess($0, environment: environment) }
            for process in processes {
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) {
                    await process.admin("/ready")?.status == 200
                }
                #expect(ready, "\(process.name) did not become ready:\n\(process.output)")
                #expect(await process.get("/health")?.status == 200)
                let metrics = await process.admin("/metrics")
                #expect(metrics?.status == 200)
            }
            for process in processes {
                let status = await process.terminate()
                #expect(status == 0, "\(process.name) did not exit cleanly:\n\(process.output)")
            }
        }
    }

    @Test("two replicas of a service starting at once on a new database both become ready, migrating once")
    func replicasMigrateOnce() async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            let environment = Self.isolatedEnvironment(database: database)
            let replicas = try (0..<2).map { _ in try ServiceProcess("kontroll", environment: environment) }
            for replica in replicas {
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await replica.admin("/ready")?.status == 200 }
                #expect(ready, "replica did not become ready:\n\(replica.output)")
            }
            let applied = try await TestDatabase.count(client, "SELECT count(*) FROM kontroll.schema_migrations")
            #expect(applied == DatabaseSchema.kontroll.migrations.count, "each migration applied once")
            for replica in replicas {
                #expect(await replica.terminate() == 0, "replica did not exit cleanly:\n\(replica.output)")
            }
        }
    }

    @Test("a service whose broker is down reports 503 naming it, stays alive, and still stops cleanly")
    func notReadyWithoutBroker() async throws {
        try await TestDatabase.withFreshDatabase { _, database in
            let process = try ServiceProcess(
                "kontroll",
                environment: [
                    "POSTGRES_PORT": "\(TestEnvironment.postgresPort)",
                    "POSTGRES_DATABASE": database,
                    "AMQP_URLS": "amqp://guest:guest@127.0.0.1:\(try freePort())",
                ]
            )
            let answered = await eventually(timeout: .seconds(30), every: .milliseconds(100)) { await process.get("/health")?.status == 200 }
            #expect(answered, "kontroll did not answer:\n\(process.output)")
            // The database's first answer may come after /health does: until then "database" is rightly named too.
            var ready = await process.admin("/ready")
            let databaseAnswered = await eventually(timeout: .seconds(30), every: .milliseconds(100)) {
                ready = await process.admin("/ready")
                return ready?.body.contains(#""database""#) == false
            }
            #expect(databaseAnswered, "the database stayed named as not ready: \(ready?.body ?? "no answer")")
            #expect(ready?.status == 503)
            #expect(ready?.body.contains(#""broker""#) == true)
            #expect(await process.terminate() == 0, "kontroll did not exit cleanly:\n\(process.output)")
        }
    }

    @Test("a service refuses to start on invalid configuration and says which key is wrong")
    func invalidConfiguration() async throws {
        let process = try ServiceProcess("kontroll", environment: ["AMQP_URLS": "http://not-amqp"])
        #expect(await eventually(timeout: .seconds(30)) { !process.isRunning })
        #expect(process.output.contains("AMQP_URLS"))
        #expect(process.exitCode == 78, "it must exit with EX_CONFIG, not crash")
    }

    @Test("outside local mode a service with no configuration, or a demo value, refuses to start and names every key in one line")
    func productionRefusesDemoValues() async throws {
        let expected: [String: [String]] = [
            "partner-api": ["POSTGRES_USER is missing", "POSTGRES_PASSWORD is missing", "AMQP_URLS is missing"],
            "webbavtal": ["POSTGRES_PASSWORD is missing", "AMQP_URLS is missing"],
            "kontroll": ["REGISTER_URL is missing", "CREDIT_BUREAU_URL is missing", "MAIL_GATEWAY_URL is missing"],
            "signering": [
                "GETACCEPT_URL is missing", "GETACCEPT_EMAIL is missing", "GETACCEPT_PASSWORD is missing", "GETACCEPT_WEBHOOK_SECRET is missing",
                "SIGNERING_PUBLIC_URL is missing",
            ],
            "foa": ["AMQP_URLS is missing"],
            "gordis-export": ["XELLENT_URL is missing"],
            "sandbox": ["refusing to start outside local mode"],
        ]
        for (name, problems) in expected {
            let process = try ServiceProcess(name, environment: ["AVTAL_ENVIRONMENT": "production"])
            #expect(await eventually { !process.isRunning }, "\(name) started without any configuration:\n\(process.output)")
            #expect(process.exitCode == 78, "\(name):\n\(process.output)")
            let lines = process.output.split(whereSeparator: \.isNewline)
            #expect(lines.count == 1, "\(name) says why in one line:\n\(process.output)")
            for problem in problems { #expect(process.output.contains(problem), "\(name) does not name '\(problem)':\n\(process.output)") }
        }
        // Every key given, but with the demo values a laptop uses, a superuser and guest: refused all the same.
        let demo = try ServiceProcess(
            "signering",
            environment: [
                "AVTAL_ENVIRONMENT": "production", "POSTGRES_USER": "postgres", "POSTGRES_PASSWORD": "x",
                "AMQP_URLS": "amqp://guest:guest@127.0.0.1:5672", "GETACCEPT_URL": "https://api.getaccept.com/v1",
                "GETACCEPT_EMAIL": "api@example.se", "GETACCEPT_PASSWORD": "local-sandbox-password",
                "GETACCEPT_WEBHOOK_SECRET": "local-webhook-secret", "SIGNERING_PUBLIC_URL": "https://avtal.example.se",
            ])
        #expect(await eventually { !demo.isRunning })
        #expect(demo.exitCode == 78)
        for problem in [
            "GETACCEPT_PASSWORD has its local demo value", "GETACCEPT_WEBHOOK_SECRET has its local demo value", "not the superuser",
            "must not log in as guest",
        ] {
            #expect(demo.output.contains(problem), "signering does not name '\(problem)':\n\(demo.output)")
        }
        #expect(!demo.output.contains("local-sandbox-password") && !demo.output.contains("local-webhook-secret"), "never a secret's value")
        let cookies = try ServiceProcess("webbavtal", environment: ["AVTAL_ENVIRONMENT": "production", "SESSION_COOKIE_SECURE": "false"])
        #expect(await eventually { !cookies.isRunning })
        #expect(cookies.output.contains("SESSION_COOKIE_SECURE must be true outside local mode"), "\(cookies.output)")
    }

    @Test("a service whose HTTP port is taken exits with status 1 and says why, not with a crash report")
    func portTaken() async throws {
        let (listener, port) = try listening()
        defer { close(listener) }
        guard let bin = TestEnvironment.binDirectory else { throw SetupError("AVTAL_BIN_DIR is not set") }
        for name in ["kontroll", "sandbox"] {
            let started = ContinuousClock.now
            let process = try ServiceProcess(
                name: name, path: bin.appendingPathComponent(name).path, arguments: [],
                environment: [
                    "HTTP_PORT": "\(port)", "POSTGRES_PORT": "\(TestEnvironment.postgresPort)",
                    "AMQP_URLS": "amqp://guest:guest@127.0.0.1:\(TestEnvironment.amqpPort)",
                ],
                port: port)
            #expect(await eventually { !process.isRunning }, "\(name) kept running:\n\(process.output)")
            print("\(name) with its HTTP port taken ended after \(ContinuousClock.now - started)")
            #expect(process.exitCode == 1, "\(name):\n\(process.output)")
            #expect(process.output.contains("stopped on an error"), "\(name):\n\(process.output)")
            #expect(process.output.contains("Address already in use"), "\(name):\n\(process.output)")
            #expect(!process.output.contains("Fatal error"), "\(name):\n\(process.output)")
        }
    }

    @Test("a spawned process inherits no descriptor of the test process but stdin, stdout and stderr")
    func noInheritedDescriptors() async throws {
        // Open without close-on-exec, as a library might: only the spawn's own closing keeps it from the child.
        let leaky = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(leaky) }
        #expect(leaky > 2)
        let shell = try ServiceProcess(name: "sh", path: "/bin/sh", arguments: ["-c", "ls /proc/$$/fd"], port: 0)
        #expect(await eventually { !shell.isRunning })
        let descriptors = shell.output.split(whereSeparator: \.isNewline).map(String.init)
        #expect(descriptors == ["0", "1", "2"], "the child had: \(descriptors)")
    }

    @Test("a command run by a test (deploy scripts, which may start a database or broker) inherits no descriptor either")
    func commandInheritsNoDescriptors() async throws {
        let leaky = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(leaky) }
        #expect(leaky > 2)
        let (status, output) = try await runCommand("ls /proc/$$/fd")
        #expect(status == 0)
        let descriptors = output.split(whereSeparator: \.isNewline).map(String.init)
        #expect(descriptors == ["0", "1", "2"], "the command had: \(descriptors)")
    }

    /// A socket listening on a port the kernel chose, and that port: taken by this test from the start, so nothing
    /// else can take it in between (a port from `freePort` was once taken before the test could listen on it).
    private func listening() throws -> (fd: Int32, port: Int) {
        guard let fd = try boundSocket(0) else { throw SetupError("could not bind a socket") }
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0, listen(fd, 1) == 0 else {
            close(fd)
            throw SetupError("could not listen")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    @Test("a process a test lets go of without terminating it (a test that threw) is killed, not left running")
    func abandonedProcessIsKilled() async throws {
        func startAndAbandon() async throws -> Int {
            let sandbox = try ServiceProcess("sandbox", environment: [:])
            #expect(await eventually(timeout: .seconds(30)) { await sandbox.get("/health")?.status == 200 })
            return sandbox.port
        }
        let port = try await startAndAbandon()
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health")
        request.method = .GET
        let answered = (try? await HTTPClient.shared.execute(request, timeout: .seconds(2))) != nil
        #expect(!answered, "the abandoned sandbox still answers on \(port)")
    }
}
