import Foundation
import Glibc

@testable import AvtalMessaging

/// Runs a shell command to completion with `system(3)` on a thread of its own, and returns its exit status and
/// output. (Foundation's `Process` was seen here to leave a finished script as a zombie and never report its exit.)
func runCommand(_ command: String) async throws -> (status: Int32, output: String) {
    let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("cmd"))
    let thread = ConnectionThread()
    let status = try await thread.run { system("\(command) >'\(outputFile.path)' 2>&1") }
    await thread.shutdown()
    let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
    try? FileManager.default.removeItem(at: outputFile)
    // system() returns a wait status: the exit code is in its second byte.
    return ((status >> 8) & 0xff, output)
}

/// Runs `deploy/<script> <instance> <action>` (`postgres.sh`, `rabbitmq.sh`) and throws with its output if it fails.
func deployScript(_ script: String, _ instance: String, _ action: String) async throws {
    let path = TestEnvironment.repositoryRoot.appendingPathComponent("deploy/\(script)").path
    let (status, output) = try await runCommand("/bin/bash '\(path)' \(instance) \(action)")
    guard status == 0 else { throw SetupError("deploy/\(script) \(instance) \(action) exited with \(status): \(output)") }
}
