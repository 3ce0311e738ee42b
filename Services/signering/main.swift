// signering: signing requests through GetAccept and its webhooks.
import AvtalDomain
import AvtalPersistence
import AvtalRuntime

try await ServiceRunner.run(
    ServiceDefinition(
        name: "signering",
        defaultHTTPPort: 8083,
        schema: "signering",
        routingKeys: [
            RoutingKey.contractApproved,
            RoutingKey.contractCancelled,
            RoutingKey.contractRejected,
        ]
    )
)
