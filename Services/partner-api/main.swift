import AvtalRuntime
// partner-api: contract intake over HTTP for partner sites and our own web/app (flow 1).
import PartnerAPI

TasksOnEventLoops.install()
try await ServiceRunner.run(PartnerAPIService.definition)
