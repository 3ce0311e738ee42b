// sandbox: simulates the third-party systems (customer and facility register, credit bureau, e-mail gateway,
// GetAccept, Xellent) over real HTTP for local runs and tests, deterministically by the test data (docs/sandbox.md).
import AvtalGetAccept
import AvtalRuntime
import Foundation
import OpenAPIHummingbird

let state = SandboxState()
let environment = ProcessInfo.processInfo.environment
// SANDBOX_BUREAU_LATENCY_MS: how long the bureau takes to answer a new credit check (default 0).
let bureauLatency = Duration.milliseconds(Int(environment["SANDBOX_BUREAU_LATENCY_MS"] ?? "") ?? 0)
// SANDBOX_BUREAU_SLOW_MS: how long the bureau takes for the slow subjects, serial 800–849 (default 2000).
let bureauSlowLatency = Duration.milliseconds(Int(environment["SANDBOX_BUREAU_SLOW_MS"] ?? "") ?? 2000)
// SANDBOX_GETACCEPT_SIGN_AFTER_MS: how long a simulated signer takes to act on a sent document (default 300; 0: never).
let signAfter = Duration.milliseconds(Int(environment["SANDBOX_GETACCEPT_SIGN_AFTER_MS"] ?? "") ?? 300)
// SANDBOX_GETACCEPT_CREATE_LATENCY_MS: how long creating a document takes to answer, after it exists (default 0).
let createLatency = Duration.milliseconds(Int(environment["SANDBOX_GETACCEPT_CREATE_LATENCY_MS"] ?? "") ?? 0)
// SANDBOX_XELLENT_LATENCY_MS: how long Xellent takes to answer a new agreement, after it exists (default 0).
let xellentLatency = Duration.milliseconds(Int(environment["SANDBOX_XELLENT_LATENCY_MS"] ?? "") ?? 0)
try await HTTPOnlyRunner.run(name: "sandbox", defaultHTTPPort: 8090) { router, logger in
    SandboxRoutes.add(to: router, state: state, bureauLatency: bureauLatency, bureauSlowLatency: bureauSlowLatency)
    let getAccept = GetAcceptState()
    let simulation = GetAcceptSimulation(state: getAccept, calls: state, signAfter: signAfter, createLatency: createLatency, logger: logger)
    try simulation.registerHandlers(
        on: router, serverURL: URL(string: "/getaccept/v1")!, middlewares: [GetAcceptBearerCheck(state: getAccept)])
    GetAcceptControlRoutes.add(to: router, simulation: simulation)
    XellentSimulation(calls: state, latency: xellentLatency).addRoutes(to: router)
}
