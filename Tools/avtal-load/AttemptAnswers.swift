import Foundation
import Synchronization

/// Every HTTP attempt's answer and how long it took, by path and status ("no answer" when none came): under overload
/// the services must answer fast, with `201`/`303` or a `503` that says "retry later", never late.
final class AttemptAnswers: Sendable {
    static let shared = AttemptAnswers()

    private let answers = Mutex<[String: [Double]]>([:])

    func record(_ path: SubmissionPath, status: Int?, took: Duration) {
        let key = "\(path.rawValue) " + (status.map(String.init) ?? "no answer")
        answers.withLock { $0[key, default: []].append(took.milliseconds) }
    }

    /// One line per path and status: how many, and p50 / p99 / max of their answer times.
    func lines() -> [String] {
        answers.withLock { $0 }.sorted { $0.key < $1.key }.map { key, times in
            let answered = Percentiles(times)
            return String(
                format: "  %@: %d, in p50 %.0f ms, p99 %.0f ms, max %.0f ms", key, answered.count, answered.at(0.5), answered.at(0.99),
                answered.max)
        }
    }
}
