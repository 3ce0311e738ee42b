import AvtalRuntime
// signering: signing requests through GetAccept, its webhooks, reminders, expiry and recalls.
import Signering

TasksOnEventLoops.install()
try await ServiceRunner.run(SigneringService.definition)
