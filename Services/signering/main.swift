import AvtalRuntime
// signering: signing requests through GetAccept, its webhooks, reminders, expiry and recalls.
import Signering

try await ServiceRunner.run(SigneringService.definition)
