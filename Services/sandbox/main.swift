// sandbox: simulates the third-party systems (credit bureau, customer register, GetAccept, e-mail, Xellent) over
// real HTTP for local runs and tests. The simulators arrive with the services that call them.
import AvtalRuntime

try await HTTPOnlyRunner.run(name: "sandbox", defaultHTTPPort: 8090) { _, _ in }
