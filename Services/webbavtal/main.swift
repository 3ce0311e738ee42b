// webbavtal: the contract store's owner at run time, the lifecycle, the safety-net sweep and the back office.
import AvtalBackOffice
import AvtalContractDesk
import AvtalContractStore
import AvtalPersistence
import AvtalRuntime
import Configuration

try await ServiceRunner.run(
    ServiceDefinition(
        name: "webbavtal",
        defaultHTTPPort: 8081,
        schema: ContractStore.schema,
        migrations: ContractStore.ownMigrations,
        alsoMigrates: [SchemaMigrations(schema: BackOfficeMigrations.schema, migrations: BackOfficeMigrations.all)],
        routingKeys: ContractEventHandlers.routingKeys,
        handlers: { context in
            ContractEventHandlers.make(store: ContractStore(logger: context.logger), inbox: context.inbox)
        },
        // Each event is a short transaction waiting on its commit's fsync: eight contracts' events at once.
        defaultConsumerConcurrency: 8,
        background: { context in
            [
                SafetyNetSweep(
                    client: context.postgres,
                    store: ContractStore(logger: context.logger),
                    interval: .seconds(context.reader.int(forKey: "sweep.interval.seconds", default: 600)),
                    stuckAfter: .seconds(context.reader.int(forKey: "sweep.stuck.after.seconds", default: 300)),
                    logger: context.logger
                )
            ]
        },
        routes: { router, context in
            let auth = BackOfficeAuth(
                client: context.postgres, pages: try Pages(adding: [try ContractDeskTemplates.directory]),
                secureCookies: context.reader.bool(forKey: "session.cookie.secure", default: false), logger: context.logger)
            BackOfficePages(auth: auth, client: context.postgres, logger: context.logger).add(to: router)
        }
    )
)
