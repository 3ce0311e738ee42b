import AvtalBackOffice
import AvtalDomain
import AvtalPersistence
import AvtalTestSupport
import Foundation
import Kontroll
import NIOHTTP1
import PartnerAPI
import PostgresNIO
import Testing

@testable import AvtalMessaging

/// Least privilege in the database: each service logs in as its own role and may do only what it needs; the owner
/// role runs the migrations. The roles come from deploy/sql/roles.sql, which `make test` ran on its cluster.
@Suite("Database roles")
struct DatabaseRoleTests {
    /// What PostgreSQL answers a role that may not do something: SQLSTATE 42501.
    static func isRefused(_ client: PostgresClient, _ sql: String) async -> Bool {
        do {
            _ = try await client.query(PostgresQuery(unsafeSQL: sql)).collect()
            return false
        } catch let error as PSQLError {
            return error.serverInfo?[.sqlState] == "42501"
        } catch {
            return false
        }
    }

    @Test("partner-api runs as its own role: it stores contracts, but cannot update one, read the users or another service's schema")
    func partnerAPIRole() async throws {
        try await TestDatabase.withFreshDatabase(owner: "avtal_owner") { admin, database in
            // The other schemas, as their services would migrate them: as the owner.
            try await TestDatabase.withClient(TestDatabase.configuration(database: database, user: "avtal_owner")) { owner in
                for schema in [DatabaseSchema.backOffice, .kontroll] {
                    try await MigrationRunner.migrate(schema, client: owner, logger: TestEnvironment.logger)
                }
            }
            var environment = ServiceProcessTests.isolatedEnvironment(database: database)
            environment["POSTGRES_USER"] = "avtal_partner_api"
            environment["POSTGRES_MIGRATION_USER"] = "avtal_owner"
            // kontroll's queue, as kontroll declares it: where partner-api's ContractStored must arrive, with no webbavtal running.
            let kontroll = ServiceTopology(
                service: environment["AMQP_QUEUE_PREFIX", default: ""] + "kontroll", exchange: environment["AMQP_EXCHANGE", default: ""],
                routingKeys: [RoutingKey.contractStoredStandard], retry: .standard)
            defer { Task { await TestBroker.delete(kontroll) } }
            try await TestBroker.withConnection(TestEnvironment.broker) { try kontroll.topology.declare(on: $0) }
            let process = try ServiceProcess("partner-api", environment: environment)
            let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
            #expect(ready, "partner-api is not ready as its own role:\n\(process.output)")
            let keys = try await PartnerAPITests.addPartners(admin)
            let stored = try await HTTPCall.send(
                .POST, "http://127.0.0.1:\(process.port)/v1/contracts",
                headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(keys[0])")],
                body: PartnerAPITests.json(PartnerAPITests.request(reference: "roles-1", facility: 411)))
            #expect(stored.status == 201, "\(stored.body)")
            // No webbavtal runs: partner-api gets its own ContractStored out, through its own outbox and relay.
            let published = await eventually { (try? await TestBroker.messageCount(kontroll.workQueue)) == 1 }
            #expect(published, "partner-api publishes its contracts' ContractStored itself")
            #expect(await process.terminate() == 0)

            try await TestDatabase.withClient(TestDatabase.configuration(database: database, user: "avtal_partner_api")) { partnerAPI in
                #expect(await Self.isRefused(partnerAPI, "UPDATE webbavtal.contracts SET state = 'rejected'"), "it changes no contract")
                #expect(await Self.isRefused(partnerAPI, "DELETE FROM webbavtal.contracts"))
                #expect(await Self.isRefused(partnerAPI, "UPDATE webbavtal.outbox SET published_at = now()"), "nor webbavtal's outbox")
                #expect(
                    await Self.isRefused(partnerAPI, "INSERT INTO webbavtal.outbox (message_id) VALUES (gen_random_uuid())"),
                    "it writes its events into its own outbox")
                #expect(await Self.isRefused(partnerAPI, "SELECT count(*) FROM backoffice.users"), "it reads no users")
                #expect(await Self.isRefused(partnerAPI, "SELECT count(*) FROM kontroll.credit_checks"), "nor another service's schema")
                #expect(await Self.isRefused(partnerAPI, "CREATE TABLE partner_api.extra (id int)"), "nor changes its schema")
                let readable = try await TestDatabase.count(partnerAPI, "SELECT count(*) FROM webbavtal.contracts")
                #expect(readable == 1, "it reads what it may")
            }
            try await TestDatabase.withClient(TestDatabase.configuration(database: database, user: "avtal_kontroll")) { kontroll in
                #expect(await Self.isRefused(kontroll, "SELECT count(*) FROM webbavtal.contracts"), "kontroll never reads the store")
            }
            try await TestDatabase.withClient(TestDatabase.configuration(database: database, user: "avtal_webbavtal")) { webbavtal in
                let rows = try await webbavtal.query("UPDATE webbavtal.contracts SET version = version WHERE true RETURNING id").collect()
                #expect(rows.count == 1, "webbavtal, and only webbavtal, changes a contract")
                #expect(await Self.isRefused(webbavtal, "SELECT count(*) FROM partner_api.partners"))
            }
        }
    }

    @Test("AVTAL_MIGRATIONS=only migrates as the owner and exits 0; then, with skip, the service starts as its own role without the owner's login")
    func migrationsBeforeStart() async throws {
        try await TestDatabase.withFreshDatabase(owner: "avtal_owner") { admin, database in
            var environment = ServiceProcessTests.isolatedEnvironment(database: database)
            environment["POSTGRES_USER"] = "avtal_kontroll"
            // Without the migrations, the service's own role cannot create its schema: skip means it does not try.
            var unmigrated = environment
            unmigrated["AVTAL_MIGRATIONS"] = "atStart"
            let refused = try ServiceProcess("kontroll", environment: unmigrated)
            try await Task.sleep(for: .seconds(3))
            #expect(await refused.admin("/ready")?.status != 200, "its own role may not create the schema")
            #expect(await refused.terminate() == 0)

            var only = environment
            only["AVTAL_MIGRATIONS"] = "only"
            only["POSTGRES_MIGRATION_USER"] = "avtal_owner"
            let migrate = try ServiceProcess("kontroll", environment: only)
            #expect(await eventually(timeout: .seconds(60)) { !migrate.isRunning }, "it exits once migrated:\n\(migrate.output)")
            #expect(migrate.exitCode == 0, "\(migrate.output)")
            #expect(try await TestDatabase.count(admin, "SELECT count(*) FROM kontroll.schema_migrations") > 0)
            #expect(
                try await TestDatabase.count(
                    admin, "SELECT count(*) FROM pg_namespace WHERE nspname = 'kontroll' AND nspowner = 'avtal_owner'::regrole")
                    == 1, "the owner owns the schema")

            var skip = environment
            skip["AVTAL_MIGRATIONS"] = "skip"
            let service = try ServiceProcess("kontroll", environment: skip)
            let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await service.admin("/ready")?.status == 200 }
            #expect(ready, "kontroll is not ready as its own role after the migrations:\n\(service.output)")
            #expect(await service.terminate() == 0)

            var wrong = environment
            wrong["AVTAL_MIGRATIONS"] = "sometimes"
            let invalid = try ServiceProcess("kontroll", environment: wrong)
            #expect(await eventually { !invalid.isRunning })
            #expect(invalid.exitCode == 78 && invalid.output.contains("AVTAL_MIGRATIONS must be one of atStart, only, skip"), "\(invalid.output)")
        }
    }
}
