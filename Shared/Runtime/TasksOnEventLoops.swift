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
/// Off unless `AVTAL_TASKS_ON_EVENT_LOOPS=1`. With it on, a stop sometimes never ended (2026-12-02): in each of three
/// runs — a fault run, and two test runs beside two spinning processes — a service did not stop on SIGTERM within
/// the bound a test or the fault run gives it: webbavtal twice (once its last log line was Hummingbird's `DateCache`
/// asked to stop), partner-api once, after a database outage. Three runs beside the same spinning processes with it off
/// (one with the fault run) had none. Its gain was within the noise in CPU (33.4 against 33.9 ms a contract) and showed in latency
/// (docs/PERFORMANCE.md). Not proven to be the cause; kept, off, for measuring.
public enum TasksOnEventLoops {
    /// Call first thing in `main`, before any task exists. Returns whether the event loops now run the tasks.
    @discardableResult
    public static func install() -> Bool {
        guard let value = getenv("AVTAL_TASKS_ON_EVENT_LOOPS"), String(cString: value) == "1" else { return false }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}
