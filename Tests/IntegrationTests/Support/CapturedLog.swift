import Foundation
import Logging
import Synchronization

/// Everything an in-process service logs, kept in memory as its standard error would show it (message and metadata),
/// so a test can look for personal data in it — and written to a file in the temporary directory too, which `make test`
/// scans with every other service's log at the end of the run.
final class CapturedLog: Sendable {
    private let lines = Mutex<[String]>([])
    private let file: FileHandle?

    init() {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(TestEnvironment.uniqueName("in-process")).log")
        FileManager.default.createFile(atPath: url.path, contents: nil)
        file = try? FileHandle(forWritingTo: url)
    }

    deinit { try? file?.close() }

    var text: String { lines.withLock { $0.joined(separator: "\n") } }

    /// A logger at `level` whose lines end up here.
    func logger(label: String, level: Logger.Level = .debug) -> Logger {
        Logger(label: label) { _ in Handler(log: self, logLevel: level) }
    }

    fileprivate func append(_ line: String) {
        lines.withLock {
            $0.append(line)
            file?.write(Data((line + "\n").utf8))
        }
    }

    struct Handler: LogHandler {
        let log: CapturedLog
        var logLevel: Logger.Level
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            log.append("\(event.level) \(event.message) \(all.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))")
        }
    }
}
