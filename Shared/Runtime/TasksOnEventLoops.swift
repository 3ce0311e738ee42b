import Glibc
import NIOCore
import NIOPosix

/// Runs Swift concurrency's tasks on SwiftNIO's event loops instead of the concurrency pool's own threads.
///
/// Every service's I/O — Hummingbird's server, PostgresNIO's connections, AsyncHTTPClient — already runs on NIO's
/// shared event loop group. With tasks on their own pool, each `await` on a channel's answer hops from an event loop
/// to a pool thread and back: under load a tenth of a service's CPU went to the kernel switching threads (issue 19,
/// `perf`). With the group as the global executor, a task resumes on the loop that answered it.
///
/// Safe here because nothing blocks a task: the AMQP connections run rabbitmq-c on threads of their own
/// (``ConnectionThread``), password hashing and name look-ups run on NIO's blocking thread pool.
/// `AVTAL_TASKS_ON_EVENT_LOOPS=0` keeps the concurrency pool (for comparing the two).
public enum TasksOnEventLoops {
    /// Call first thing in `main`, before any task exists. Returns whether the event loops now run the tasks.
    @discardableResult
    public static func install() -> Bool {
        if let value = getenv("AVTAL_TASKS_ON_EVENT_LOOPS"), String(cString: value) == "0" { return false }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
