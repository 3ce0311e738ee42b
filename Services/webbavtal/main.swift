import AvtalRuntime
// webbavtal: the contract store's owner at run time, the lifecycle, the safety-net sweep and the back office.
import Webbavtal

TasksOnEventLoops.install()
try await ServiceRunner.run(WebbavtalService.definition)
