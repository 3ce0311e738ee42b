import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Foundation
import Logging
import Metrics
import PostgresNIO
import ServiceLifecycle

/// The contracts in each state still in the flow, and how long the oldest of them has waited there, as gauges
/// (`avtal_contracts_in_state{state}`, `avtal_contract_oldest_in_state_seconds{state}`) for the dashboard and the
/// alerts on contracts waiting past their time (deploy/k8s/base/monitoring/alerts.yaml). One indexed query a round
/// (`contracts_state`: state, state_changed_at); every replica reports the same figures, so dashboards take `max`.
struct ContractStateGauges: Service {
    let client: PostgresClient
    let interval: Duration
    let logger: Logger

    /// The states a contract moves on from by itself or by a person; the final ones are left out (they only grow).
    static let states: [ContractState] = [.stored, .needsMKA, .readyForMKA, .approved, .awaitingSignature, .signed, .finalized, .exportFailed]

    func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "contract state gauges not updated") {
            try await measure()
        }
    }

    func measure() async throws {
        let rows = try await client.query(
            """
            SELECT state, count(*)::bigint, extract(epoch FROM now() - min(state_changed_at))::float8
            FROM \(unescaped: ContractStore.schema.name).contracts WHERE state = ANY(\(Self.states.map(\.rawValue))) GROUP BY state
            """, logger: logger)
        var found: [String: (count: Int64, oldest: Double)] = [:]
        for try await (state, count, oldest) in rows.decode((String, Int64, Double).self) { found[state] = (count, oldest) }
        for state in Self.states {
            let figures = found[state.rawValue] ?? (0, 0)
            Gauge(label: "avtal_contracts_in_state", dimensions: [("state", state.rawValue)]).record(figures.count)
            Gauge(label: "avtal_contract_oldest_in_state_seconds", dimensions: [("state", state.rawValue)]).record(figures.oldest)
        }
    }
}
