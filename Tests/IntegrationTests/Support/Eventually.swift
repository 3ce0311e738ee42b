import Foundation

/// Polls `condition` until it holds or `timeout` passes; returns whether it held. For waiting on asynchronous
/// effects (a message arriving, a process becoming ready) without fixed sleeps. The default bound is generous: it
/// only delays a failing test, and on a busy 2-core CI machine, with the suite's processes all starting at once,
/// what takes a second here has taken over ten.
///
/// Time the test process itself could not run does not count: when a pause between looks oversleeps by more than
/// a tenth of a second, the deadline moves by as much (at most by `timeout` again). A starved process cannot have
/// seen its own timers fire either — a pool closing an idle connection, say — so giving up then proves nothing.
func eventually(
    timeout: Duration = .seconds(30),
    every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let clock = ContinuousClock()
    var deadline = clock.now.advanced(by: timeout)
    var allowance = timeout
    while clock.now < deadline {
        if try await condition() { return true }
        let before = clock.now
        try? await Task.sleep(for: interval)
        let overslept = before.duration(to: clock.now) - interval
        if overslept > .milliseconds(100) {
            let extra = min(overslept, allowance)
            deadline = deadline.advanced(by: extra)
            allowance -= extra
        }
    }
    return try await condition()
}
