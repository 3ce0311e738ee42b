import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Foundation
import Logging
import PostgresNIO

/// What the flow board and the state gauges read from the contract store: contracts per state and how long the oldest
/// has waited, and the last hour's transitions with how long each contract had stayed in the state it left.
enum FlowFigures {
    /// The states a contract moves on from by itself or by a person; the final ones are left out (they only grow).
    static let states: [ContractState] = [.stored, .needsMKA, .readyForMKA, .approved, .awaitingSignature, .signed, .finalized, .exportFailed]

    struct StateFigure: Sendable, Equatable {
        var state: ContractState
        var count: Int
        var oldestSeconds: Double
    }

    struct StepFigure: Sendable, Equatable {
        var from: ContractState
        var to: ContractState
        var count: Int
        var medianSeconds: Double
        var p95Seconds: Double
    }

    /// Every one of ``states``, with 0 where none is: one query on the `(state, state_changed_at)` index.
    static func states(client: PostgresClient, logger: Logger) async throws -> [StateFigure] {
        let rows = try await client.query(
            """
            SELECT state, count(*)::bigint, extract(epoch FROM now() - min(state_changed_at))::float8
            FROM \(unescaped: ContractStore.schema.name).contracts WHERE state = ANY(\(states.map(\.rawValue))) GROUP BY state
            """, logger: logger)
        var found: [String: (Int64, Double)] = [:]
        for try await (state, count, oldest) in rows.decode((String, Int64, Double).self) { found[state] = (count, oldest) }
        return states.map { state in
            let (count, oldest) = found[state.rawValue] ?? (0, 0)
            return StateFigure(state: state, count: Int(count), oldestSeconds: max(0, oldest))
        }
    }

    /// The transitions of the last `window`, by step, with the median and 95th percentile of the time spent in the
    /// state left (since the contract's previous creation, transition or edit). The trail's BRIN index on `at` finds
    /// the hour; each transition's previous record is one step back on `(contract_id, id)`.
    static func steps(within window: Duration, client: PostgresClient, logger: Logger) async throws -> [StepFigure] {
        let seconds = Int(window.components.seconds)
        let rows = try await client.query(
            """
            SELECT t.from_state, t.to_state, count(*)::bigint,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY previous.stayed)::float8,
                percentile_cont(0.95) WITHIN GROUP (ORDER BY previous.stayed)::float8
            FROM \(unescaped: ContractStore.schema.name).audit_trail t
            CROSS JOIN LATERAL (
                SELECT extract(epoch FROM t.at - p.at)::float8 AS stayed FROM \(unescaped: ContractStore.schema.name).audit_trail p
                WHERE p.contract_id = t.contract_id AND p.id < t.id AND p.action IN ('created', 'transition')
                ORDER BY p.id DESC LIMIT 1
            ) previous
            WHERE t.action = 'transition' AND t.at > now() - \(seconds) * interval '1 second'
            GROUP BY t.from_state, t.to_state ORDER BY count(*) DESC
            """, logger: logger)
        var steps: [StepFigure] = []
        for try await (from, to, count, median, p95) in rows.decode((String, String, Int64, Double, Double).self) {
            guard let from = ContractState(rawValue: from), let to = ContractState(rawValue: to) else { continue }
            steps.append(StepFigure(from: from, to: to, count: Int(count), medianSeconds: median, p95Seconds: p95))
        }
        return steps
    }
}
