import AsyncHTTPClient
import Foundation
import Glibc
import NIOCore
import NIOHTTP1

/// One of our executables run as a real child process, as `make up` runs it, with its output kept in a file.
final class ServiceProcess: @unchecked Sendable {
    // @unchecked: `process` is only started in init and afterwards only read (isRunning, terminationStatus, pid),
    // which Foundation's Process allows from any thread.
    let name: String
    let port: Int
    let logFile: URL
    private let process = Process()

    init(_ name: String, environment: [String: String]) throws {
        guard let bin = TestEnvironment.binDirectory else { throw SetupError("AVTAL_BIN_DIR is not set: run the tests with `make test`") }
        self.name = name
        port = try freePort()
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(TestEnvironment.uniqueName(name)).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: logFile)
        process.executableURL = bin.appendingPathComponent(name)
        process.environment = ProcessInfo.processInfo.environment.merging(environment.merging(["HTTP_PORT": "\(port)"]) { $1 }) { $1 }
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// GET `path` on the process's HTTP port: the status code and body, or nil when nothing answers.
    func get(_ path: String) async -> (status: Int, body: String)? {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .GET
        guard let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(5)),
            let body = try? await response.body.collect(upTo: 1 << 20)
        else { return nil }
        return (Int(response.status.code), String(buffer: body))
    }

    /// Sends SIGTERM and waits up to `timeout` for the process to exit; returns its exit status, or nil if it did not.
    func terminate(timeout: Duration = .seconds(15)) async -> Int32? {
        kill(process.processIdentifier, SIGTERM)
        guard await eventually(timeout: timeout, { !self.process.isRunning }) else {
            process.interrupt()
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    /// The process's output so far, for a failing test's message.
    var output: String {
        (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
    }
}

struct SetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A TCP port on 127.0.0.1 that nothing listens on right now.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw SetupError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
    }
    guard bound == 0 else { throw SetupError("bind() failed") }
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    guard named == 0 else { throw SetupError("getsockname() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
