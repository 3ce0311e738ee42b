import AvtalGetAccept
import AvtalRuntime
import Foundation
import OpenAPIHummingbird

/// sandbox: simulates the third-party systems (customer and facility register, credit bureau, e-mail gateway,
/// GetAccept, Xellent, and a partner's webhook receiver) over real HTTP for local runs and tests, deterministically by the test data (docs/sandbox.md).
public enum SandboxService {
    /// Serves until SIGTERM. Its latencies come from the environment (milliseconds): `SANDBOX_BUREAU_LATENCY_MS`, how
    /// long the bureau takes to answer a new credit check (0); `SANDBOX_BUREAU_SLOW_MS`, for the slow subjects, serial
    /// 800–849 (2000); `SANDBOX_GETACCEPT_SIGN_AFTER_MS`, how long a simulated signer takes to act on a sent document
    /// (300; 0: never); `SANDBOX_GETACCEPT_CREATE_LATENCY_MS`, how long creating a document takes to answer, after it
    /// exists (0); `SANDBOX_XELLENT_LATENCY_MS`, how long Xellent takes to answer a new agreement, after it exists (0).
    public static func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        // A simulator answers any credit check with a made-up report: it never runs outside a laptop or a test.
        guard environment["AVTAL_ENVIRONMENT"] == "local" else {
            FileHandle.standardError.write(Data("sandbox: refusing to start outside local mode (AVTAL_ENVIRONMENT=local)\n".utf8))
            exit(78)
        }
        func milliseconds(_ key: String, default value: Int) -> Duration { .milliseconds(Int(environment[key] ?? "") ?? value) }
        let bureauLatency = milliseconds("SANDBOX_BUREAU_LATENCY_MS", default: 0)
        let bureauSlowLatency = milliseconds("SANDBOX_BUREAU_SLOW_MS", default: 2000)
        let signAfter = milliseconds("SANDBOX_GETACCEPT_SIGN_AFTER_MS", default: 300)
        let createLatency = milliseconds("SANDBOX_GETACCEPT_CREATE_LATENCY_MS", default: 0)
        let xellentLatency = milliseconds("SANDBOX_XELLENT_LATENCY_MS", default: 0)
        let state = SandboxState()
        try await HTTPOnlyRunner.run(name: "sandbox", defaultHTTPPort: 8090) { router, logger in
            SandboxRoutes.add(to: router, state: state, bureauLatency: bureauLatency, bureauSlowLatency: bureauSlowLatency)
            let getAccept = GetAcceptState()
            let simulation = GetAcceptSimulation(state: getAccept, calls: state, signAfter: signAfter, createLatency: createLatency, logger: logger)
            try simulation.registerHandlers(
                on: router, serverURL: URL(string: "/getaccept/v1")!, middlewares: [GetAcceptBearerCheck(state: getAccept)])
            GetAcceptControlRoutes.add(to: router, simulation: simulation)
            XellentSimulation(calls: state, latency: xellentLatency).addRoutes(to: router)
            PartnerReceiverRoutes.add(to: router, receiver: PartnerReceiver())
        }
    }
}
