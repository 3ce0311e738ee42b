// partner-api: contract intake over HTTP for partner sites and our own web/app (flow 1).
import AvtalContractStore
import AvtalPersistence
import AvtalRuntime

try await ServiceRunner.run(
    ServiceDefinition(
        name: "partner-api",
        defaultHTTPPort: 8080,
        schema: "partner_api",
        alsoMigrates: [ContractStore.schemaMigrations]
    )
)
