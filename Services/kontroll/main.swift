// kontroll: the checks of every stored standard contract (customer, facility, credit check).
import AvtalDomain
import AvtalPersistence
import AvtalRuntime

try await ServiceRunner.run(
    ServiceDefinition(
        name: "kontroll",
        defaultHTTPPort: 8082,
        schema: "kontroll",
        routingKeys: [
            RoutingKey.contractStoredStandard,
            RoutingKey.contractResubmitted,
        ]
    )
)
