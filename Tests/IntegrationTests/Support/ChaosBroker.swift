@testable import AvtalMessaging
import Foundation
import Glibc

/// A RabbitMQ node of its own (instance `chaos` in `deploy/instances`), which a test may stop and start at will
/// without disturbing the broker the other tests share.
enum ChaosBroker {
    static let port = 57672

    static var options: ConnectionOptions {
        ConnectionOptions(
            addresses: [BrokerAddress(port: port)], heartbeatSeconds: 5, timeout: .seconds(2),
            initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(500)
        )
    }

    static func start() async throws { try await script("start") }
    static func stop() async throws { try await script("stop") }
    static func reset() async throws { try await script("reset") }

    /// Runs `deploy/rabbitmq.sh chaos <action>` with `system(3)` on a thread of its own. (Foundation's `Process`
    /// left the script a zombie here and never reported its exit.)
    private static func script(_ action: String) async throws {
        let command = "/bin/bash '\(TestEnvironment.repositoryRoot.appendingPathComponent("deploy/rabbitmq.sh").path)' chaos \(action) >/dev/null"
        let thread = ConnectionThread()
        let status = try await thread.run { system(command) }
        await thread.shutdown()
        guard status == 0 else { throw SetupError("deploy/rabbitmq.sh chaos \(action) exited with \(status)") }
    }
}
