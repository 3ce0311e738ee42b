// sandbox: simulates the third-party systems (customer and facility register, credit bureau, e-mail gateway) over
// real HTTP for local runs and tests, deterministically by the test data (docs/sandbox.md).
import AvtalRuntime

let state = SandboxState()
try await HTTPOnlyRunner.run(name: "sandbox", defaultHTTPPort: 8090) { router, _ in
    SandboxRoutes.add(to: router, state: state)
}
