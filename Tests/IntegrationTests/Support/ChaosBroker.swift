import Foundation
import Glibc

@testable import AvtalMessaging

/// A RabbitMQ node of its own (instance `chaos` in `deploy/instances`), which a test may stop and start at will
/// without disturbing the broker the other tests share.
enum ChaosBroker {
    static let port = 27672

    static var options: ConnectionOptions {
        ConnectionOptions(
            addresses: [BrokerAddress(port: port)], heartbeatSeconds: 5, timeout: .seconds(2),
            initialBackoff: .milliseconds(100), maximumBackoff: .milliseconds(500)
        )
    }

    static func start() async throws { try await deployScript("rabbitmq.sh", "chaos", "start") }
    static func stop() async throws { try await deployScript("rabbitmq.sh", "chaos", "stop") }
    static func reset() async throws { try await deployScript("rabbitmq.sh", "chaos", "reset") }
}
