// foa: special business contracts built by business sellers (the blue tool), from a Lime deal's FOA id to a contract
// ready for MKA in Gördis.
import AvtalBackOffice
import AvtalContractDesk
import AvtalContractStore
import AvtalFOA
import AvtalPersistence
import AvtalRuntime
import Configuration

try await ServiceRunner.run(
    ServiceDefinition(
        name: "foa",
        defaultHTTPPort: 8084,
        schema: FOAMigrations.schema,
        migrations: FOAMigrations.migrations,
        alsoMigrates: [ContractStore.schemaMigrations, SchemaMigrations(schema: BackOfficeMigrations.schema, migrations: BackOfficeMigrations.all)],
        routes: { router, context in
            let auth = BackOfficeAuth(
                client: context.postgres, pages: try Pages(adding: [try ContractDeskTemplates.directory, try FOATemplates.directory]),
                secureCookies: context.reader.bool(forKey: "session.cookie.secure", default: false), logger: context.logger)
            FOAPages(auth: auth, client: context.postgres, logger: context.logger).add(to: router)
        }
    )
)
