// foa: special business contracts built by business sellers (the blue tool).
import AvtalContractStore
import AvtalPersistence
import AvtalRuntime

try await ServiceRunner.run(
    ServiceDefinition(
        name: "foa",
        defaultHTTPPort: 8084,
        schema: "foa",
        alsoMigrates: [ContractStore.schemaMigrations]
    )
)
