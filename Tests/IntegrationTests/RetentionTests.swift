import AvtalPersistence
import Foundation
import Kontroll
import PostgresNIO
import Testing

/// The tables that would only grow: each service prunes what its schema's retention no longer keeps.
@Suite("Retention")
struct RetentionTests {
    @Test("published outbox rows older than 7 days and inbox entries older than 30 go; unpublished and failed rows stay")
    func prunes() async throws {
        try await TestDatabase.withFreshDatabase { client, _ in
            try await MigrationRunner.migrate(.kontroll, client: client, logger: TestEnvironment.logger)
            try await client.query(
                """
                INSERT INTO kontroll.outbox (message_id, message_type, routing_key, body, created_at, published_at, failed_at) VALUES
                    (gen_random_uuid(), 'T', 't', '\\x00', now() - interval '9 days', now() - interval '8 days', NULL),
                    (gen_random_uuid(), 'T', 't', '\\x00', now() - interval '2 days', now() - interval '1 day', NULL),
                    (gen_random_uuid(), 'T', 't', '\\x00', now() - interval '30 days', NULL, NULL),
                    (gen_random_uuid(), 'T', 't', '\\x00', now() - interval '30 days', NULL, now() - interval '29 days')
                """)
            try await client.query(
                """
                INSERT INTO kontroll.inbox (message_id, message_type, received_at) VALUES
                    (gen_random_uuid(), 'T', now() - interval '31 days'), (gen_random_uuid(), 'T', now() - interval '1 day')
                """)
            let pruner = Pruner(schema: .kontroll, client: client, interval: .seconds(3600), batch: 1, logger: TestEnvironment.logger)
            #expect(try await pruner.pruneOnce() == 2)
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM kontroll.outbox") == 3, "the recent, the unpublished, the failed")
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM kontroll.outbox WHERE published_at < now() - interval '7 days'") == 0)
            #expect(try await TestDatabase.count(client, "SELECT count(*) FROM kontroll.inbox") == 1)
            #expect(try await pruner.pruneOnce() == 0, "nothing twice")
        }
    }
}
