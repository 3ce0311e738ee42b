// avtal-flow-bench: contracts through the checks, end to end (a benchmark, not a test).
//
//   avtal-flow-bench [rate per second] [seconds]
//   avtal-flow-bench signing [rate per second] [seconds]
//
// With `signing`, the contracts are phone sales that must be signed (BankID), and it waits for them to be signed:
// approval → signering → the sandbox's GetAccept → its webhook → signering → webbavtal. It then prints the latency
// from approval to the signing request and from the webhook's arrival to the contract's `signed` state.
//
// Inserts new-customer contracts through the store's insert path at a steady rate, then waits until each has been
// approved: webbavtal's relay → broker → kontroll (register lookups, credit check and e-mail at the sandbox) →
// kontroll's relay → broker → webbavtal's consumer. Prints the throughput and the latency from insert to approval
// (p50/p99/max, from the contracts' own timestamps). Expects webbavtal, kontroll and the sandbox to be running
// against POSTGRES_PORT / POSTGRES_DATABASE: `make bench-flow` arranges that.
import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Foundation
import Logging
import PostgresNIO

let signing = CommandLine.arguments.dropFirst().first == "signing"
let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let rate = arguments.first ?? 100
let seconds = arguments.dropFirst().first ?? 10
let environment = ProcessInfo.processInfo.environment
var logger = Logger(label: "avtal-flow-bench")
logger.logLevel = .warning

func contract(_ sequence: Int, today: CivilDate) -> ContractDetails {
    if signing { return phoneSale(sequence, today: today) }
    return ContractDetails(
        kind: .private, salesChannel: .partner,
        customer: Customer(
            type: .private, personalIdentityNumber: "196408233234", firstName: "Bench", lastName: "Mark", email: "bench@example.se",
            address: Address(street: "Storgatan 1", postalCode: "111 22", city: "Stockholm")
        ),
        facilities: [Facility(meteringPointId: MeteringPointId.synthetic(sequence).value, priceArea: .se3, annualConsumptionKwh: 10_000)],
        productCode: "FIXED-12", startDate: today.adding(days: 30),
        partner: PartnerReference(partnerId: "bench", externalReference: "bench-\(UUID().uuidString)")
    )
}

/// A business contract sold by calling the customer, to be signed with BankID by its signer.
func phoneSale(_ sequence: Int, today: CivilDate) -> ContractDetails {
    ContractDetails(
        kind: .business, salesChannel: .telesales, callDirection: .outbound, signatureMethod: .bankId,
        customer: Customer(
            type: .business, organizationNumber: "556016-0680", companyName: "Bench AB", email: "info@bench.se",
            address: Address(street: "Storgatan 1", postalCode: "111 22", city: "Stockholm")),
        signer: Signer(firstName: "Bo", lastName: "Berg", email: "bo@bench.se", mobile: "+46701112233", personalIdentityNumber: "198112189876"),
        facilities: [Facility(meteringPointId: MeteringPointId.synthetic(sequence).value, priceArea: .se3, annualConsumptionKwh: 80_000)],
        productCode: "SPOT", startDate: today.adding(days: 30))
}

let postgres = PostgresClient(
    configuration: .init(
        host: "127.0.0.1", port: Int(environment["POSTGRES_PORT"] ?? "") ?? 26432, username: "postgres", password: nil,
        database: environment["POSTGRES_DATABASE"] ?? "avtalsflode", tls: .disable
    ),
    backgroundLogger: logger
)
try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { await postgres.run() }
    let store = ContractStore(logger: logger)
    let total = rate * seconds
    let interval = Duration.nanoseconds(1_000_000_000 / Int64(rate))
    let start = ContinuousClock.now
    var ids: [UUID] = []
    for sequence in 0..<total {
        try await Task.sleep(until: start.advanced(by: interval * sequence))
        let now = Date()
        let outcome = try await postgres.withTransaction(logger: logger) { connection in
            try await store.insert(
                contract(sequence + Int(now.timeIntervalSince1970) % 1_000_000 * 1000, today: CivilDate(swedishDateAt: now)), by: .partner("bench"),
                now: now, on: connection)
        }
        if case .created(let stored) = outcome { ids.append(stored.id) }
        // webbavtal's relay runs in another process: its outbox's channel wakes it (docs/architecture.md, "Relay").
        try await Outbox(schema: ContractStore.schema).wakeRelays(client: postgres, logger: logger)
    }
    let inserted = ContinuousClock.now - start
    let deadline = ContinuousClock.now.advanced(by: .seconds(60))
    var approved = 0
    let target = signing ? "signed" : "approved"
    while ContinuousClock.now < deadline {
        let rows = try await postgres.query("SELECT count(*) FROM webbavtal.contracts WHERE id = ANY(\(ids)) AND state = \(target)", logger: logger)
        for try await count in rows.decode(Int.self) { approved = count }
        if approved == ids.count { break }
        try await Task.sleep(for: .milliseconds(100))
    }
    let done = ContinuousClock.now - start
    let stats = try await postgres.query(
        """
        SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
        FROM (SELECT extract(epoch FROM state_changed_at - created_at)::float8 * 1000 AS ms FROM webbavtal.contracts
              WHERE id = ANY(\(ids)) AND state = 'approved') AS latencies
        """,
        logger: logger
    )
    if signing {
        print(String(format: "offered %d phone sales/s for %d s: %d inserted, %d signed", rate, seconds, ids.count, approved))
        for (label, sql) in signingLatencies(ids) {
            let rows = try await postgres.query(sql, logger: logger)
            for try await (p50, p99, max) in rows.decode((Double?, Double?, Double?).self) {
                print(String(format: "%@: p50 %.0f ms, p99 %.0f ms, max %.0f ms", label, p50 ?? -1, p99 ?? -1, max ?? -1))
            }
        }
        group.cancelAll()
        return
    }
    for try await (p50, p99, max) in stats.decode((Double?, Double?, Double?).self) {
        print(
            String(
                format: "offered %d contracts/s for %d s: %d inserted in %.1f s, %d approved after %.1f s",
                rate, seconds, ids.count, Double(inserted.components.seconds) + Double(inserted.components.attoseconds) / 1e18,
                approved, Double(done.components.seconds) + Double(done.components.attoseconds) / 1e18))
        print(String(format: "insert → approved latency: p50 %.0f ms, p99 %.0f ms, max %.0f ms", p50 ?? -1, p99 ?? -1, max ?? -1))
    }
    group.cancelAll()
}

/// The two signing latencies, from the audit trail and signering's webhook log.
func signingLatencies(_ ids: [UUID]) -> [(String, PostgresQuery)] {
    let percentiles = "percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)"
    return [
        (
            "approved → signing requested (awaitingSignature)",
            """
            SELECT \(unescaped: percentiles) FROM (
                SELECT extract(epoch FROM s.at - a.at)::float8 * 1000 AS ms
                FROM webbavtal.audit_trail a JOIN webbavtal.audit_trail s ON s.contract_id = a.contract_id AND s.to_state = 'awaitingSignature'
                WHERE a.contract_id = ANY(\(ids)) AND a.to_state = 'approved') AS latencies
            """
        ),
        (
            "first webhook received → contract signed",
            """
            SELECT \(unescaped: percentiles) FROM (
                SELECT extract(epoch FROM s.at - w.received_at)::float8 * 1000 AS ms
                FROM webbavtal.contracts c
                JOIN webbavtal.audit_trail s ON s.contract_id = c.id AND s.to_state = 'signed'
                JOIN LATERAL (SELECT min(received_at) AS received_at FROM signering.webhooks
                              WHERE document_id = c.signing_document_id AND event = 'document.signed') w ON true
                WHERE c.id = ANY(\(ids))) AS latencies
            """
        ),
    ]
}
