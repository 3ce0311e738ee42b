import AsyncHTTPClient
import Foundation
import Glibc
import NIOCore
import NIOHTTP1
import Synchronization
import Testing

/// One of our executables run as a real child process, as `make up` runs it, with its output kept in a file.
///
/// Spawned with `posix_spawn` and watched with `waitpid`: Foundation's `Process` was seen here to leave children
/// that had exited as zombies and report them as still running when several tests spawn processes at once.
final class ServiceProcess: Sendable {
    let name: String
    let port: Int
    /// Where it serves `/health`, `/ready` and `/metrics` (nil for an executable that is not ours).
    let adminPort: Int?
    let logFile: URL
    let pid: pid_t
    /// The wait status once the process was reaped.
    private let exit = Mutex<Int32?>(nil)

    convenience init(_ name: String, environment: [String: String]) throws {
        guard let bin = TestEnvironment.binDirectory else { throw SetupError("AVTAL_BIN_DIR is not set: run the tests with `make test`") }
        let port = try freePort()
        let adminPort = try freePort()
        try self.init(
            name: name, path: bin.appendingPathComponent(name).path, arguments: [],
            environment: environment.merging(["HTTP_PORT": "\(port)", "ADMIN_PORT": "\(adminPort)"]) { $1 }, port: port, adminPort: adminPort)
    }

    /// Any executable (a browser driver, say) that serves HTTP on `port`.
    init(name: String, path: String, arguments: [String], environment: [String: String] = [:], port: Int, adminPort: Int? = nil) throws {
        self.name = name
        self.port = port
        self.adminPort = adminPort
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(TestEnvironment.uniqueName(name)).log")
        pid = try spawnChild(path: path, arguments: arguments, environment: environment, output: logFile)
    }

    /// A test that throws before it terminates its processes must not leave them running (seen: services of a
    /// failed test still reconnecting an hour later): whatever still runs when the last reference goes is killed.
    deinit {
        if isRunning {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    var isRunning: Bool {
        exit.withLock { exit in
            guard exit == nil else { return false }
            var status: Int32 = 0
            guard waitpid(pid, &status, WNOHANG) == pid else { return true }
            exit = status
            return false
        }
    }

    /// GET `path` on the process's admin port (`/ready`, `/metrics`): the status code and body, or nil when nothing answers.
    func admin(_ path: String) async -> (status: Int, body: String)? {
        guard let adminPort else { return nil }
        return await get(path, port: adminPort)
    }

    /// GET `path` on the process's HTTP port: the status code and body, or nil when nothing answers.
    func get(_ path: String) async -> (status: Int, body: String)? {
        await get(path, port: port)
    }

    private func get(_ path: String, port: Int) async -> (status: Int, body: String)? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .GET
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5)),
            let body = try? await response.body.collect(upTo: 1 << 20)
        else { return nil }
        return (Int(response.status.code), String(buffer: body))
    }

    /// Sends SIGTERM and waits up to `timeout` for the process to exit; returns its exit status, or nil if it did not.
    func terminate(timeout: Duration = .seconds(15)) async -> Int32? {
        guard isRunning else { return exitCode }
        kill(pid, SIGTERM)
        guard await eventually(timeout: timeout, { !self.isRunning }) else {
            kill(pid, SIGKILL)
            return nil
        }
        return exitCode
    }

    /// The exit code once it exited normally; nil while running, or when a signal ended it.
    var exitCode: Int32? {
        exit.withLock { status in
            guard let status, status & 0x7f == 0 else { return nil }
            return (status >> 8) & 0xff
        }
    }

    /// Kills the process at once (SIGKILL), as a crash would, and waits until it is gone.
    func crash() async {
        kill(pid, SIGKILL)
        _ = await eventually(timeout: .seconds(10)) { !self.isRunning }
    }

    /// The process's output so far, for a failing test's message.
    var output: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }
}

/// Starts `path` with `arguments` and the test process's environment plus `environment`: standard input from
/// /dev/null, output and errors to `output`, and nothing else of the test process. NIO opens its sockets without
/// close-on-exec, so a child would otherwise keep every database connection, HTTP connection or probed port another
/// test had open at that instant — for as long as it lives, and a deploy script's child may be a PostgreSQL or
/// RabbitMQ server (seen: a pool's closed connection kept open on the server's side, `DatabasePoolTests`).
func spawnChild(path: String, arguments: [String], environment: [String: String] = [:], output: URL) throws -> pid_t {
    let variables = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    guard let closeFrom, closeFrom(&actions, 3) == 0 else { throw SetupError("cannot keep the test process's descriptors from a child") }
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var child: pid_t = 0
    let status = posix_spawn(&child, path, &actions, nil, argv, envp)
    guard status == 0 else { throw SetupError("could not start \(path): \(String(cString: strerror(status)))") }
    return child
}

/// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not show.
private let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
    guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
    return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
}()

struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The next port `freePort()` tries: below the kernel's ephemeral range (32768–60999), so no outgoing connection can
/// take a port between the moment it is picked and the moment the child process binds it (that race failed CI runs
/// when ports came from `bind(0)`), and handed out once per test run, so two tests never get the same one. Our fixed
/// ports (25000–29999) are above this range. (10000–19999 collided once, at 13774, with something not identified.)
private let nextPort = Mutex(20_000 + Int.random(in: 0..<2_500))

/// A TCP port on 127.0.0.1 that nothing listens on right now and no other test of this run was given.
func freePort() throws -> Int {
    for _ in 0..<200 {
        let port = nextPort.withLock { next in
            defer { next = next >= 24_999 ? 20_000 : next + 1 }
            return next
        }
        if let probe = try boundSocket(port) {
            close(probe)
            return port
        }
    }
    throw SetupError("no free port in 20000–24999")
}

/// A TCP socket bound to 127.0.0.1:`port`, or nil when the port is taken. Close-on-exec: a process another test
/// spawns at this instant must not inherit it (a probe from `freePort` would hold the very port it hands out).
func boundSocket(_ port: Int) throws -> Int32? {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw SetupError("socket() failed") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else {
        close(fd)
        return nil
    }
    return fd
}

extension ServiceProcess {
    /// The sandbox, webbavtal and kontroll as processes on `database` (kontroll asking the sandbox), each ready:
    /// a contract stored there is checked and moved as in production. `extra` goes to webbavtal and kontroll.
    static func checkingStack(
        database: String, extra: [String: String] = [:]
    ) async throws -> (
        sandbox: ServiceProcess, webbavtal: ServiceProcess, kontroll: ServiceProcess
    ) {
        let sandbox = try ServiceProcess("sandbox", environment: [:])
        var environment = ServiceProcessTests.isolatedEnvironment(database: database).merging(extra) { $1 }
        for key in ["REGISTER_URL", "CREDIT_BUREAU_URL", "MAIL_GATEWAY_URL"] { environment[key] = "http://127.0.0.1:\(sandbox.port)" }
        let webbavtal = try ServiceProcess("webbavtal", environment: environment)
        let kontroll = try ServiceProcess("kontroll", environment: environment)
        for process in [sandbox, webbavtal, kontroll] {
            let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
            #expect(ready, "\(process.name) is not ready:\n\(process.output)")
        }
        return (sandbox, webbavtal, kontroll)
    }
}
