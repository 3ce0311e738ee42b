import NIOPosix

/// The one OS thread an AMQP connection lives on.
///
/// rabbitmq-c's calls block and its connection is not thread-safe, so each connection is created, used and closed
/// by jobs that run one after another on a dedicated thread, never on Swift's cooperative pool.
final class ConnectionThread: Sendable {
    private let pool: NIOThreadPool

    init() {
        pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
    }

    /// Runs `job` on the thread after every job submitted before it.
    func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive(job)
    }

    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}

/// A value that only jobs on one ``ConnectionThread`` touch.
///
/// `@unchecked Sendable` is safe because every read and write of `value` happens inside a job of the single-threaded
/// ``ConnectionThread`` that owns it; those jobs run strictly one after another, so there is never concurrent access.
final class ThreadConfined<Value>: @unchecked Sendable {
    var value: Value

    init(_ value: Value) {
        self.value = value
    }
}
