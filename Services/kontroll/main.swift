import AvtalRuntime
// kontroll: the checks of every stored standard contract (customer, facility, credit check).
import Kontroll

TasksOnEventLoops.install()
try await ServiceRunner.run(KontrollService.definition)
