import AvtalContractStore
import AvtalPersistence
public import AvtalRuntime

/// partner-api: contract intake over HTTP for partner sites and our own web/app (flow 1), through the contract
/// store's insert path.
public enum PartnerAPIService {
    public static let definition = ServiceDefinition(
        name: "partner-api",
        defaultHTTPPort: 8080,
        schema: .partnerAPI,
        alsoMigrates: [.contractStore],
        routes: { router, context in
            try PartnerAPIRoutes.add(to: router, client: context.postgres, logger: context.logger)
        }
    )
}
