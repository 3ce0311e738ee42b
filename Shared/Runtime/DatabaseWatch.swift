import AvtalMessaging
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization

/// Asks the database `SELECT 1` every couple of seconds, from the start, and keeps the answer as state: what `/ready`
/// reads for "database", so that a probe never queues a query of its own. A question unanswered after 3 s counts as
/// no answer.
///
/// Each question runs in a task of its own that the watch never waits for: a query for a connection the pool can no
/// longer give (the pool stopping first, at shutdown) must not hold the process's stop.
///
/// It is also the consumer's ``InfrastructureWatch``: a handler that failed while the database does not answer has its
/// message held, not retried.
final class DatabaseWatch: Service, InfrastructureWatch {
    private struct State {
        var answered = false
        /// When the question in flight was asked; nil when none is.
        var askedAt: ContinuousClock.Instant?
    }

    private let postgres: PostgresClient
    private let interval: Duration
    private let logger: Logger
    private let state = Mutex(State())

    init(postgres: PostgresClient, interval: Duration = .seconds(2), logger: Logger) {
        self.postgres = postgres
        self.interval = interval
        self.logger = logger
    }

    var isAnswering: Bool {
        state.withLock { state in
            if let askedAt = state.askedAt, ContinuousClock.now - askedAt > .seconds(3) { return false }
            return state.answered
        }
    }

    /// One question of its own, answered within 3 s (a query sent as the database went away may never answer).
    func answersNow() async -> Bool {
        let postgres = postgres
        let logger = logger
        let answer = try? await withTimeLimit(.seconds(3)) {
            (try? await postgres.query("SELECT 1", logger: logger).collect().count) == 1
        }
        return answer == true
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                self.ask()
                try? await Task.sleep(for: self.interval)
            }
        }
    }

    private func ask() {
        let asking = state.withLock { state -> Bool in
            guard state.askedAt == nil else { return false }
            state.askedAt = .now
            return true
        }
        guard asking else { return }
        Task { [self] in
            let answered = (try? await postgres.query("SELECT 1", logger: logger).collect().count) == 1
            self.state.withLock { state in
                state.answered = answered
                state.askedAt = nil
            }
        }
    }
}
