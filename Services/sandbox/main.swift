// sandbox: simulates the third-party systems over real HTTP for local runs and tests (docs/sandbox.md).
import Sandbox

try await SandboxService.run()
