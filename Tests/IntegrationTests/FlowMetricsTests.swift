import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import PostgresNIO
import Testing

/// The metrics the dashboard and the flow alerts read (deploy/observability), from real processes: webbavtal's
/// contracts per state and their waits, its step latencies and outbox age; kontroll's third-party calls and outbox age.
@Suite("Flow metrics", .serialized)
struct FlowMetricsTests {
    /// The value of the sample of `name` whose labels include `labels`, from a Prometheus text exposition.
    static func sample(_ body: String, _ name: String, _ labels: [String: String] = [:]) -> Double? {
        for line in body.split(separator: "\n") where line.hasPrefix(name + "{") || line.hasPrefix(name + " ") {
            let text = String(line)
            guard labels.allSatisfy({ text.contains("\($0.key)=\"\($0.value)\"") }), let value = text.split(separator: " ").last else { continue }
            return Double(value)
        }
        return nil
    }

    @Test("a contract checked and approved, and one left waiting: states, waits, step latency, outbox age and third-party calls in /metrics")
    func flowMetrics() async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            let (sandbox, webbavtal, kontroll) = try await ServiceProcess.checkingStack(
                database: database, extra: ["STATE_GAUGES_INTERVAL_SECONDS": "1"])
            let store = ContractStore(logger: TestEnvironment.logger)
            func insert(facility: Int) async throws {
                _ = try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                    try await store.insert(Samples.privateContract(facility: facility), by: .partner("alpha"), now: Date(), on: connection)
                }
            }
            try await insert(facility: 13)  // a new customer, checked and approved (KontrollFlowTests)
            let approved = await eventually(timeout: .seconds(30)) {
                (try? await TestDatabase.count(client, "SELECT count(*) FROM webbavtal.contracts WHERE state = 'approved'")) == 1
            }
            #expect(approved, "\(webbavtal.output.suffix(3000))\n\(kontroll.output.suffix(2000))")
            let counted = await eventually(timeout: .seconds(10)) {
                Self.sample(await webbavtal.admin("/metrics")?.body ?? "", "avtal_contracts_in_state", ["state": "approved"]) == 1
            }
            #expect(counted, "approved: 1")
            let metrics = await webbavtal.admin("/metrics")?.body ?? ""
            #expect(Self.sample(metrics, "avtal_lifecycle_step_seconds_count", ["from": "stored", "to": "approved"]) == 1, "one step timed")
            #expect(Self.sample(metrics, "avtal_lifecycle_step_seconds_bucket", ["from": "stored", "to": "approved", "le": "+Inf"]) == 1)
            #expect(Self.sample(metrics, "avtal_contracts_in_state", ["state": "stored"]) == 0)
            let calls = await kontroll.admin("/metrics")?.body ?? ""
            // kontroll's verdict went to webbavtal's queue: nothing of kontroll's waits. webbavtal's PartnerStatusChanged
            // has no queue in this test (no partner-api): the relay holds it, and the gauge shows how long.
            #expect(Self.sample(calls, "avtal_outbox_oldest_seconds", ["schema": "kontroll"]) == 0, "\(calls.suffix(2000))")
            let held = await eventually(timeout: .seconds(40)) {
                (Self.sample(await webbavtal.admin("/metrics")?.body ?? "", "avtal_outbox_oldest_seconds", ["schema": "webbavtal"]) ?? 0) > 0
            }
            #expect(held, "webbavtal's unroutable rows show as waiting")
            #expect(
                (Self.sample(calls, "avtal_third_party_calls_total", ["system": "credit bureau", "outcome": "ok"]) ?? 0) >= 1, "\(calls.suffix(3000))"
            )
            #expect((Self.sample(calls, "avtal_third_party_calls_total", ["system": "customer register", "outcome": "ok"]) ?? 0) >= 1)
            #expect((Self.sample(calls, "avtal_third_party_call_seconds_count", ["system": "credit bureau"]) ?? 0) >= 1)

            // kontroll gone: the next contract waits in `stored`, and the wait grows.
            #expect(await kontroll.terminate() == 0)
            try await insert(facility: 33)
            let waiting = await eventually(timeout: .seconds(15)) {
                let body = await webbavtal.admin("/metrics")?.body ?? ""
                return Self.sample(body, "avtal_contracts_in_state", ["state": "stored"]) == 1
                    && (Self.sample(body, "avtal_contract_oldest_in_state_seconds", ["state": "stored"]) ?? 0) >= 2
            }
            #expect(waiting, "one contract waiting in stored, for two seconds and more")
            for process in [webbavtal, sandbox] { #expect(await process.terminate() == 0, "\(process.name)") }
        }
    }
}
