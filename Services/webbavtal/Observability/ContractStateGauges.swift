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

    func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "contract state gauges not updated") {
            try await measure()
        }
    }

    func measure() async throws {
        for figure in try await FlowFigures.states(client: client, logger: logger) {
            Gauge(label: "avtal_contracts_in_state", dimensions: [("state", figure.state.rawValue)]).record(figure.count)
            Gauge(label: "avtal_contract_oldest_in_state_seconds", dimensions: [("state", figure.state.rawValue)]).record(figure.oldestSeconds)
        }
    }
}
