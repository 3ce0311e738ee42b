import AvtalContractStore
import AvtalPersistence
public import AvtalRuntime
import Hummingbird

/// partner-api: contract intake over HTTP for partner sites and our own web/app (flow 1), through the contract
/// store's insert path.
public enum PartnerAPIService {
    public static let definition = ServiceDefinition(
        name: "partner-api",
        defaultHTTPPort: 8080,
        schema: .partnerAPI,
        alsoMigrates: [.contractStore],
        // The edge cuts a body off where the API's own check would: at 512 KiB, however the path is spelled.
        defaultMaximumBodyBytes: PartnerAPIMiddleware<AvtalRequestContext>.maximumBodyBytes,
        routes: { router, context in
            try PartnerAPIRoutes.add(to: router, client: context.postgres, outbox: context.outbox, logger: context.logger)
        }
    )
}
