public import Logging
public import ServiceLifecycle
import Synchronization

/// Names the members of a service group that still run some time after a stop began: the one holding a stop up is
/// named in a warning before ServiceLifecycle's bound (``ServiceRunner/boundShutdown(_:)``) ends the process with a
/// crash report that cannot say it — an asynchronous task waiting on something shows on no thread.
public final class StopWatch: Sendable {
    /// How long after the stop began the warning comes: before the graceful part (20 s) runs out.
    public let patience: Duration
    private let running = Mutex<[Int: String]>([:])

    public init(patience: Duration = .seconds(15)) {
        self.patience = patience
    }

    /// The group's members, each wrapped so that the watch knows while its `run()` has not returned.
    public func watching(_ members: [ServiceGroupConfiguration.ServiceConfiguration]) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        members.enumerated().map { index, member in
            var watched = member
            // A type's name, never a member's own description: that may list its settings and secrets.
            let name = (member.service as? AfterBootstrap)?.description ?? String(describing: type(of: member.service))
            watched.service = Watched(inner: member.service, index: index, name: name, watch: self)
            return watched
        }
    }

    /// The watched members whose `run()` has begun and not returned, in the group's order.
    public var stillRunning: [String] {
        running.withLock { $0.sorted { $0.key < $1.key }.map(\.value) }
    }

    /// After the first element of `stops` (the process's SIGTERM or SIGINT), waits ``patience`` and then, if members
    /// still run, logs a warning naming them. Returns only when `stops` ends or the task is cancelled: the sequence's
    /// signal sources stay in place as long as the process runs.
    public func report<Stops: AsyncSequence & Sendable>(after stops: Stops, logger: Logger) async {
        var reported = false
        do {
            for try await _ in stops where !reported {
                reported = true
                try await Task.sleep(for: patience)
                let names = stillRunning
                if !names.isEmpty {
                    logger.warning(
                        "still stopping \(patience) after the stop began",
                        metadata: ["avtal.running": "\(names.joined(separator: ", "))"])
                }
            }
        } catch {}  // cancelled: the group ended
    }

    fileprivate func began(_ index: Int, _ name: String) { running.withLock { $0[index] = name } }
    fileprivate func ended(_ index: Int) { _ = running.withLock { $0.removeValue(forKey: index) } }
}

/// A member of the group, as the ``StopWatch`` sees it.
private struct Watched: Service {
    let inner: any Service
    let index: Int
    let name: String
    let watch: StopWatch

    func run() async throws {
        watch.began(index, name)
        defer { watch.ended(index) }
        try await inner.run()
    }
}
