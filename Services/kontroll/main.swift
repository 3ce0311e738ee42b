// kontroll: the checks of every stored standard contract (customer, facility, credit check).
import AvtalKontroll
import AvtalRuntime
import AvtalThirdParty
import Configuration

try await ServiceRunner.run(
    ServiceDefinition(
        name: "kontroll",
        defaultHTTPPort: 8082,
        schema: KontrollLedger.schema,
        migrations: KontrollLedger.migrations,
        routingKeys: KontrollHandlers.routingKeys,
        handlers: { context in
            // SANDBOX_URL: where the customer/facility register, the credit bureau and the mail gateway answer.
            let thirdParties = HTTPThirdParties(baseURL: context.reader.string(forKey: "sandbox.url", default: "http://127.0.0.1:8090"))
            return KontrollHandlers.make(
                checks: ContractChecks(customers: thirdParties, facilities: thirdParties, bureau: thirdParties, mail: thirdParties),
                inbox: context.inbox,
                outbox: context.outbox,
                retry: context.configuration.retry,
                logger: context.logger
            )
        },
        // Each check waits on the registers, the bureau and the mail gateway: handle several contracts at once.
        defaultConsumerConcurrency: 16
    )
)
