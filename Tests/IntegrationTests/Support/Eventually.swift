import Foundation

/// Polls `condition` until it holds or `timeout` passes; returns whether it held. For waiting on asynchronous
/// effects (a message arriving, a process becoming ready) without fixed sleeps. The default bound is generous: it
/// only delays a failing test, and on a busy 2-core CI machine, with the suite's processes all starting at once,
/// what takes a second here has taken over ten.
func eventually(
    timeout: Duration = .seconds(30),
    every interval: Duration = .milliseconds(20),
    _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now.advanced(by: timeout)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: interval)
    }
    return try await condition()
}
