import AvtalRuntime
// foa: special business contracts built by business sellers (the blue tool), from a Lime deal's FOA id to a contract
// ready for MKA in Gördis.
import Foa

TasksOnEventLoops.install()
try await ServiceRunner.run(FoaService.definition)
