import Foundation

/// A PostgreSQL server of its own (instance `chaos` in `deploy/instances`), which a test may stop and start at will
/// without disturbing the server the other tests share.
enum ChaosDatabase {
    static let port = 27432

    static func start() async throws { try await script("start") }
    static func stop() async throws { try await script("stop") }

    private static func script(_ action: String) async throws {
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("deploy/postgres.sh").path
        let (status, output) = try await runCommand("/bin/bash '\(script)' chaos \(action)")
        guard status == 0 else { throw SetupError("deploy/postgres.sh chaos \(action) exited with \(status): \(output)") }
    }
}
