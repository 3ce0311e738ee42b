// sandbox: simulates the third-party systems (customer and facility register, credit bureau, e-mail gateway) over
// real HTTP for local runs and tests, deterministically by the test data (docs/sandbox.md).
import AvtalRuntime
import Foundation

let state = SandboxState()
// SANDBOX_BUREAU_LATENCY_MS: how long the bureau takes to answer a new credit check (default 0).
let bureauLatency = Duration.milliseconds(Int(ProcessInfo.processInfo.environment["SANDBOX_BUREAU_LATENCY_MS"] ?? "") ?? 0)
try await HTTPOnlyRunner.run(name: "sandbox", defaultHTTPPort: 8090) { router, _ in
    SandboxRoutes.add(to: router, state: state, bureauLatency: bureauLatency)
}
