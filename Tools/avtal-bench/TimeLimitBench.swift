import AvtalMessaging
import Foundation

/// `avtal-bench time-limit [calls]`: what `withTimeLimit` — every handled message's watchdog — costs around a closure
/// that does nothing: CPU (user + system, `getrusage`) and wall time per call, one caller at a time and 16 at once.
/// Needs neither broker nor database.
enum TimeLimitBench {
    static func run(calls: Int) async throws {
        print("withTimeLimit around an empty closure, \(calls) calls, limit 120 s:")
        try await measure("one caller at a time", calls: calls) {
            for index in 0..<calls { guard try await withTimeLimit(.seconds(120), { index }) == index else { throw Mismatch() } }
        }
        try await measure("16 callers at once", calls: calls) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for caller in 0..<16 {
                    group.addTask {
                        for index in stride(from: caller, to: calls, by: 16) {
                            guard try await withTimeLimit(.seconds(120), { index }) == index else { throw Mismatch() }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    struct Mismatch: Error {}

    private static func measure(_ name: String, calls: Int, _ body: () async throws -> Void) async throws {
        let cpuBefore = cpuSeconds()
        let start = ContinuousClock.now
        try await body()
        let wall = ContinuousClock.now - start
        let cpu = cpuSeconds() - cpuBefore
        let wallSeconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
        let figures = String(
            format: "%6.1f µs CPU a call, %6.1f µs wall a call (%.2f s CPU in %.2f s)", cpu / Double(calls) * 1e6, wallSeconds / Double(calls) * 1e6,
            cpu, wallSeconds)
        print("  \(name.padding(toLength: 22, withPad: " ", startingAt: 0)) \(figures)")
    }

    private static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }
}
