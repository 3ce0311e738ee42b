import AvtalRuntime
// kontroll: the checks of every stored standard contract (customer, facility, credit check).
import Kontroll

try await ServiceRunner.run(KontrollService.definition)
