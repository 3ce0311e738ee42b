// partner-api: contract intake over HTTP for partner sites and our own web/app (flow 1).
import AvtalContractStore
import AvtalPartnerAPI
import AvtalPersistence
import AvtalRuntime

try await ServiceRunner.run(
    ServiceDefinition(
        name: "partner-api",
        defaultHTTPPort: 8080,
        schema: PartnerMigrations.schema,
        migrations: PartnerMigrations.all,
        alsoMigrates: [ContractStore.schemaMigrations],
        routes: { router, context in
            try PartnerAPIRoutes.add(to: router, client: context.postgres, logger: context.logger)
        }
    )
)
