import Foundation
import Glibc

@testable import AvtalMessaging

/// Runs a shell command to completion — spawned by ``spawnChild(path:arguments:environment:output:)``, so it gets
/// none of the test process's sockets, and waited for on a thread of its own — and returns its exit status and
/// output. (Foundation's `Process` was seen here to leave a finished script as a zombie and never report its exit;
/// `system(3)` handed every open socket to the command and to any server it started.)
func runCommand(_ command: String) async throws -> (status: Int32, output: String) {
    let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("cmd"))
    let child = try spawnChild(path: "/bin/sh", arguments: ["-c", command], output: outputFile)
    let thread = ConnectionThread()
    let status = try await thread.run { () -> Int32 in
        var status: Int32 = 0
        while waitpid(child, &status, 0) == -1 && errno == EINTR {}
        return status
    }
    await thread.shutdown()
    let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: outputFile)
    // A wait status: the exit code is in its second byte.
    return ((status >> 8) & 0xff, output)
}

/// Runs `deploy/<script> <instance> <action>` (`postgres.sh`, `rabbitmq.sh`) and throws with its output if it fails.
func deployScript(_ script: String, _ instance: String, _ action: String) async throws {
    let path = TestEnvironment.repositoryRoot.appendingPathComponent("deploy/\(script)").path
    let (status, output) = try await runCommand("/bin/bash '\(path)' \(instance) \(action)")
    guard status == 0 else { throw SetupError("deploy/\(script) \(instance) \(action) exited with \(status): \(output)") }
}
