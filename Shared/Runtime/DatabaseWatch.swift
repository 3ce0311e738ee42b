import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Asks the database `SELECT 1` every couple of seconds, from the start, and keeps the answer as state: what `/ready`
/// reads for "database", so that a probe never queues a query of its own.
final class DatabaseWatch: Service {
    private let postgres: PostgresClient
    private let interval: Duration
    private let logger: Logger
    private let answered = Atomic<Bool>(false)

    init(postgres: PostgresClient, interval: Duration = .seconds(2), logger: Logger) {
        self.postgres = postgres
        self.interval = interval
        self.logger = logger
    }

    var isAnswering: Bool { answered.load(ordering: .relaxed) }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let answer = try? await withThrowingTaskGroup(of: Bool.self) { group in
                    group.addTask { try await self.postgres.query("SELECT 1", logger: self.logger).collect().count == 1 }
                    group.addTask {
                        try await Task.sleep(for: .seconds(3))
                        return false
                    }
                    defer { group.cancelAll() }
                    return try await group.next() ?? false
                }
                self.answered.store(answer ?? false, ordering: .relaxed)
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
