// webbavtal: the contract store's owner at run time, the lifecycle, the safety-net sweep and the back office.
import AvtalDomain
import AvtalPersistence
import AvtalRuntime

try await ServiceRunner.run(
    ServiceDefinition(
        name: "webbavtal",
        defaultHTTPPort: 8081,
        schema: "webbavtal",
        routingKeys: [
            RoutingKey.creditChecked,
            RoutingKey.needsMKA,
            RoutingKey.signingRequested,
            RoutingKey.contractSigned,
            RoutingKey.signingRejected,
            RoutingKey.signingExpired,
            RoutingKey.contractExported,
            RoutingKey.exportFailed,
        ]
    )
)
