import Foundation
import Logging
import PostgresNIO

/// One contract the run submitted.
struct Tracked: Sendable {
    let id: UUID
    let scenario: Scenario
    /// When the generator began to submit it (the first attempt).
    let submittedAt: Date
}

/// Reads the contract store: waits until every tracked contract has settled — reached a state where only a person
/// (or nobody) moves it on — and when each reached which state.
struct Settlement: Sendable {
    let postgres: PostgresClient
    let logger: Logger

    static let waitingForAPerson: Set<String> = ["needsMKA", "signed", "rejected", "cancelled"]

    static func isSettled(_ state: String, _ scenario: Scenario) -> Bool {
        waitingForAPerson.contains(state) || (state == "approved" && !scenario.requiresSignature)
    }

    /// The current state of each contract (absent: not in the store).
    func states(of ids: [UUID]) async throws -> [UUID: String] {
        var states: [UUID: String] = [:]
        for chunk in ids.chunked(5_000) {
            let rows = try await postgres.query("SELECT id, state FROM webbavtal.contracts WHERE id = ANY(\(chunk))", logger: logger)
            for try await (id, state) in rows.decode((UUID, String).self) { states[id] = state }
        }
        return states
    }

    /// Polls until every contract has settled or `timeout` has passed, saying how far it got every 10 s; returns the
    /// last states seen.
    func waitUntilSettled(_ tracked: [Tracked], timeout: Duration) async throws -> [UUID: String] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var said = ContinuousClock.now
        var pending = Dictionary(uniqueKeysWithValues: tracked.map { ($0.id, $0.scenario) })
        var last: [UUID: String] = [:]
        while true {
            let states = try await states(of: Array(pending.keys))
            for (id, state) in states {
                last[id] = state
                if let scenario = pending[id], Self.isSettled(state, scenario) { pending[id] = nil }
            }
            if ContinuousClock.now - said > .seconds(10) {
                print("  settled \(tracked.count - pending.count) of \(tracked.count)")
                fflush(nil)
                said = ContinuousClock.now
            }
            if pending.isEmpty || ContinuousClock.now >= deadline { return last }
            try await Task.sleep(for: .seconds(1))
        }
    }

    /// When each contract first reached each state, from its audit trail.
    func reached(_ ids: [UUID]) async throws -> [UUID: [String: Date]] {
        var reached: [UUID: [String: Date]] = [:]
        for chunk in ids.chunked(5_000) {
            let rows = try await postgres.query(
                """
                SELECT contract_id, to_state, min(at) FROM webbavtal.audit_trail
                WHERE contract_id = ANY(\(chunk)) AND to_state IS NOT NULL AND action <> 'refused' GROUP BY 1, 2
                """, logger: logger)
            for try await (id, state, at) in rows.decode((UUID, String, Date).self) { reached[id, default: [:]][state] = at }
        }
        return reached
    }
}

extension Array {
    func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
