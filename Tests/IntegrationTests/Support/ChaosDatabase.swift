import Foundation

/// A PostgreSQL server of its own (instance `chaos` in `deploy/instances`), which a test may stop and start at will
/// without disturbing the server the other tests share.
enum ChaosDatabase {
    static let port = 27432

    static func start() async throws { try await deployScript("postgres.sh", "chaos", "start") }
    static func stop() async throws { try await deployScript("postgres.sh", "chaos", "stop") }
}
