import AvtalMessaging
import Foundation
import Logging

/// Where the test stack `make test` started is, read from the environment `deploy/test.sh` sets, with the same
/// defaults as `deploy/instances/test.env`.
enum TestEnvironment {
    static let environment = ProcessInfo.processInfo.environment

    static let postgresPort = Int(environment["AVTAL_TEST_PG_PORT"] ?? "") ?? 26432
    static let amqpPort = Int(environment["AVTAL_TEST_AMQP_PORT"] ?? "") ?? 26672

    /// The repository root, for the deploy scripts.
    static let repositoryRoot: URL = {
        if let root = environment["AVTAL_REPO_ROOT"] { return URL(fileURLWithPath: root) }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }()

    /// Where the service executables were built.
    static var binDirectory: URL? {
        environment["AVTAL_BIN_DIR"].map { URL(fileURLWithPath: $0) }
    }

    static var broker: ConnectionOptions {
        ConnectionOptions(addresses: [BrokerAddress(port: amqpPort)], heartbeatSeconds: 10, timeout: .seconds(30))
    }

    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = Logger.Level(rawValue: environment["AVTAL_TEST_LOG_LEVEL"] ?? "") ?? .critical
        return logger
    }()

    /// A name no other test uses, for queues, exchanges, schemas and databases.
    static func uniqueName(_ prefix: String) -> String {
        "t_\(prefix)_\(UUID().uuidString.prefix(8).lowercased())"
    }
}
