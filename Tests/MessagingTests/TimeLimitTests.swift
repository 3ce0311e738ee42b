import AvtalMessaging
import Foundation
import Synchronization
import Testing

/// Every handled message's watchdog (`withTimeLimit`) and the one ``Deadlines`` that watches them all.
@Suite("Time limit", .timeLimit(.minutes(1)))
struct TimeLimitTests {
    /// A watch of its own for each test, with a short tick, so that one test's deadlines never meet another's.
    let deadlines = Deadlines(tick: .milliseconds(50))

    /// Work that waits for `release` and pays no heed to cancellation, as a query sent into a database restart did;
    /// it records whether it was cancelled.
    final class Stubborn: Sendable {
        private let released = Mutex(false)
        private let cancelled = Mutex(false)
        var wasCancelled: Bool { cancelled.withLock { $0 } }
        func release() { released.withLock { $0 = true } }
        func run() async -> Int {
            while !released.withLock({ $0 }) {
                if Task.isCancelled { cancelled.withLock { $0 = true } }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return 7
        }
    }

    struct Failure: Error, Equatable {}

    @Test("work that finishes in time: its result, and nothing is left on the watch")
    func inTime() async throws {
        let result = try await withTimeLimit(.seconds(30), deadlines: deadlines) { 42 }
        #expect(result == 42)
        #expect(deadlines.registered == 0)
    }

    @Test("work that throws: its error, and nothing is left on the watch")
    func throwing() async throws {
        await #expect(throws: Failure.self) {
            try await withTimeLimit(.seconds(30), deadlines: deadlines) { () async throws -> Int in throw Failure() }
        }
        #expect(deadlines.registered == 0)
    }

    @Test("work that does not end by itself: nil once the limit has passed, not before, and the work is cancelled")
    func tooLate() async throws {
        let work = Stubborn()
        let start = ContinuousClock.now
        let result = try await withTimeLimit(.milliseconds(300), deadlines: deadlines) { await work.run() }
        let waited = ContinuousClock.now - start
        #expect(result == nil)
        #expect(waited >= .milliseconds(300), "gave up after \(waited)")
        #expect(await eventually { work.wasCancelled })
        #expect(deadlines.registered == 0)
        work.release()
    }

    @Test("a cancelled caller throws CancellationError without waiting for the limit, and cancels the work")
    func callerCancelled() async throws {
        let work = Stubborn()
        let started = Mutex(false)
        let caller = Task {
            try await withTimeLimit(.seconds(600), deadlines: deadlines) {
                started.withLock { $0 = true }
                return await work.run()
            }
        }
        #expect(await eventually { started.withLock { $0 } })
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        #expect(await eventually { work.wasCancelled })
        #expect(deadlines.registered == 0)
        work.release()
    }

    @Test("many callers at once each get their own result")
    func manyCallers() async throws {
        let results = try await withThrowingTaskGroup(of: Int?.self, returning: [Int].self) { group in
            for index in 0..<200 { group.addTask { try await withTimeLimit(.seconds(30), deadlines: deadlines) { index } } }
            return try await group.reduce(into: []) { $0.append($1 ?? -1) }
        }
        #expect(results.sorted() == Array(0..<200))
        #expect(deadlines.registered == 0)
    }

    @Test("the watch: a withdrawn action is never called; a later, nearer deadline still fires; it watches again after falling idle")
    func watch() async throws {
        let fired = Mutex<[String]>([])
        let far = deadlines.watch(until: .now + .milliseconds(200)) { fired.withLock { $0.append("withdrawn") } }
        _ = deadlines.watch(until: .now + .seconds(30)) { fired.withLock { $0.append("far") } }
        _ = deadlines.watch(until: .now + .milliseconds(100)) { fired.withLock { $0.append("near") } }
        deadlines.withdraw(far)
        #expect(await eventually { fired.withLock { $0 } == ["near"] })
        try await Task.sleep(for: .milliseconds(300))
        #expect(fired.withLock { $0 } == ["near"], "the withdrawn one stays silent, the far one waits")
        #expect(deadlines.registered == 1)
        // Once nothing waits the watch's task ends; a new deadline starts it again.
        let idle = Deadlines(tick: .milliseconds(50))
        _ = idle.watch(until: .now) { fired.withLock { $0.append("first") } }
        #expect(await eventually { idle.registered == 0 && fired.withLock { $0.contains("first") } })
        try await Task.sleep(for: .milliseconds(200))
        _ = idle.watch(until: .now + .milliseconds(50)) { fired.withLock { $0.append("second") } }
        #expect(await eventually { fired.withLock { $0.contains("second") } })
    }
}

/// Polls `condition` every 10 ms for up to 10 s.
private func eventually(_ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + .seconds(10)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}
