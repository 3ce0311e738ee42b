import AvtalDomain
import AvtalPersistence
import AvtalTestSupport
import Foundation
import PostgresNIO
import Testing

@testable import Signering

/// signering's ledger against the real PostgreSQL: opening a round needs no transaction or lock, and still only
/// one round is opened however many callers ask at once.
@Suite("Signing ledger")
struct SigningLedgerTests {
    let ledger = SigningLedger(logger: TestEnvironment.logger)

    static func withLedger<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        try await TestDatabase.withFreshDatabase { client, _ in
            try await MigrationRunner.migrate(.signering, client: client, logger: TestEnvironment.logger)
            return try await body(client)
        }
    }

    /// `count` callers open a round for `contractId` at once, each on its own connection, as signering's handler does.
    func openAll(_ contractId: UUID, count: Int, _ client: PostgresClient) -> Task<[SigningRound], any Error> {
        Task { [ledger] in
            try await withThrowingTaskGroup(of: SigningRound.self) { group in
                for _ in 0..<count {
                    group.addTask {
                        try await client.withConnection { connection in
                            try await ledger.openRound(
                                contractId: contractId, method: .email, now: Samples.now, expiresAt: Samples.now.addingTimeInterval(86_400),
                                on: connection)
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
    }

    func rounds(_ contractId: UUID, _ client: PostgresClient) async throws -> [String] {
        var found: [String] = []
        let rows = try await client.query(
            "SELECT round || ' ' || state FROM signering.signing_requests WHERE contract_id = \(contractId) ORDER BY round")
        for try await row in rows.decode(String.self) { found.append(row) }
        return found
    }

    @Test("eight callers open a round at once while another's insert of that round is still uncommitted: one round, all get it")
    func concurrentOpen() async throws {
        try await Self.withLedger { client in
            let contractId = UUID()
            // Another caller's round 1, inserted and not yet committed: all eight read no round, try round 1 and wait
            // on its row; once it commits, each must find that round rather than fail or open another.
            let opening = try await client.withTransaction(logger: TestEnvironment.logger) { holder in
                let first = SigningRound(
                    contractId: contractId, round: 1, state: .intended, method: .email, documentId: nil,
                    expiresAt: Samples.now.addingTimeInterval(86_400), traceparent: nil)
                for try await _ in try await holder.execute(
                    SigningRoundInsert(round: first, requestedAt: Samples.now), logger: TestEnvironment.logger)
                {}
                let opening = openAll(contractId, count: 8, client)
                let waiting = "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
                let allWaiting = try await eventually { try await TestDatabase.count(client, waiting) == 8 }
                #expect(allWaiting, "all eight wait on the uncommitted round")
                return opening
            }
            let opened = try await opening.value
            #expect(opened.count == 8)
            #expect(opened.allSatisfy { $0.round == 1 && $0.state == .intended })
            #expect(try await rounds(contractId, client) == ["1 intended"])
        }
    }

    @Test("a live round is returned as it is; after one that ended unsigned, eight callers at once open exactly one next")
    func nextRound() async throws {
        try await Self.withLedger { client in
            let contractId = UUID()
            let first = try await openAll(contractId, count: 1, client).value
            #expect(first.map(\.round) == [1])
            _ = try await client.query(
                "UPDATE signering.signing_requests SET state = 'live', document_id = 'doc-1' WHERE contract_id = \(contractId)"
            ).collect()
            let live = try await openAll(contractId, count: 3, client).value
            #expect(live.allSatisfy { $0.round == 1 && $0.state == .live && $0.documentId == "doc-1" })
            _ = try await client.query("UPDATE signering.signing_requests SET state = 'rejected' WHERE contract_id = \(contractId)").collect()
            let next = try await openAll(contractId, count: 8, client).value
            #expect(next.allSatisfy { $0.round == 2 && $0.state == .intended }, "\(next.map(\.round))")
            #expect(try await rounds(contractId, client) == ["1 rejected", "2 intended"])
        }
    }
}
