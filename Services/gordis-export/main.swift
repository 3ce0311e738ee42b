// gordis-export: pushes finalized special contracts to Xellent.
import AvtalDomain
import AvtalPersistence
import AvtalRuntime

try await ServiceRunner.run(
    ServiceDefinition(
        name: "gordis-export",
        defaultHTTPPort: 8085,
        schema: "gordis_export",
        routingKeys: [
            RoutingKey.specialContractFinalized,
            RoutingKey.exportRetryRequested,
        ]
    )
)
