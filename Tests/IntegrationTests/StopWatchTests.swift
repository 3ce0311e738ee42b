import AvtalRuntime
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The ``StopWatch`` names what holds a stop up: members of a group whose `run()` has not returned some time after the
/// stop began.
@Suite("Stop watch")
struct StopWatchTests {
    struct Quick: Service {
        func run() async throws {}
    }

    /// Ends only when cancelled, as a member that ignores the graceful shutdown would.
    struct Stubborn: Service {
        func run() async throws {
            while !Task.isCancelled { try? await Task.sleep(for: .seconds(3600)) }
        }
    }

    @Test("a stop that outlasts the patience names the members still running; one that does not names none")
    func namesWhatHoldsTheStopUp() async throws {
        for stubborn in [true, false] {
            let log = CapturedLog()
            let watch = StopWatch(patience: .milliseconds(300))
            let members = watch.watching([.init(service: Quick())] + (stubborn ? [.init(service: Stubborn())] : []))
            let (stops, stop) = AsyncStream.makeStream(of: Void.self)
            await withTaskGroup(of: Void.self) { tasks in
                for member in members { tasks.addTask { try? await member.service.run() } }
                tasks.addTask { await watch.report(after: stops, logger: log.logger(label: "test")) }
                let expected = stubborn ? ["Stubborn"] : []
                #expect(await eventually(timeout: .seconds(10)) { watch.stillRunning == expected }, "\(watch.stillRunning)")
                stop.yield()
                // A second stop while the first is watched changes nothing: one warning at most.
                stop.yield()
                try? await Task.sleep(for: .seconds(1))
                let warnings = log.text.components(separatedBy: "still stopping").count - 1
                #expect(warnings == (stubborn ? 1 : 0), "\(log.text)")
                #expect(log.text.contains("avtal.running=Stubborn") == stubborn, "\(log.text)")
                tasks.cancelAll()
            }
            #expect(watch.stillRunning.isEmpty, "every member ended once cancelled")
        }
    }
}
