import AvtalRuntime
// gordis-export: pushes finalized special contracts to Xellent, each exactly once.
import GordisExport

TasksOnEventLoops.install()
try await ServiceRunner.run(GordisExportService.definition)
