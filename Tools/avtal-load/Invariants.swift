import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PostgresNIO

/// The promises checked after a run, from the stores and the sandbox's record of every call it received: nothing
/// lost, nothing twice, every audit trail whole.
struct Invariants: Sendable {
    let postgres: PostgresClient
    let client: HTTPClient
    let sandboxURL: String
    let logger: Logger

    struct Finding: Sendable, CustomStringConvertible {
        var invariant: String
        var count: Int
        var examples: [String]
        var description: String { "\(invariant): \(count)" + (examples.isEmpty ? "" : " (e.g. \(examples.prefix(3).joined(separator: ", ")))") }
    }

    /// Every broken promise, empty when all hold.
    func check(_ tracked: [Tracked], states: [UUID: String]) async throws -> [Finding] {
        var findings: [Finding] = []
        let missing = tracked.filter { states[$0.id] == nil }.map(\.id.uuidString)
        if !missing.isEmpty { findings.append(Finding(invariant: "submitted but not in the store", count: missing.count, examples: missing)) }
        let wrong = tracked.compactMap { contract -> String? in
            guard let state = states[contract.id], state != contract.scenario.expectedState else { return nil }
            return "\(contract.id) \(contract.scenario.rawValue) is \(state), not \(contract.scenario.expectedState)"
        }
        if !wrong.isEmpty { findings.append(Finding(invariant: "not in the expected state", count: wrong.count, examples: wrong)) }
        findings += try await sideEffects(tracked)
        let broken = try await brokenAuditTrails(tracked.map(\.id))
        if !broken.isEmpty { findings.append(Finding(invariant: "audit trail incomplete", count: broken.count, examples: broken)) }
        return findings
    }

    private struct Call: Decodable {
        var system: String
        var operation: String
        var key: String
    }

    /// At most one credit check, one notification e-mail and one signing document per contract; exactly one document
    /// for each signed contract. The sandbox's keys begin with the contract's id (`<id>-credit-1`, `<id>-signing-1`).
    private func sideEffects(_ tracked: [Tracked]) async throws -> [Finding] {
        let response = try await client.execute(HTTPClientRequest(url: sandboxURL + "/calls"), timeout: .seconds(60))
        let body = try await response.body.collect(upTo: 1 << 30)
        let calls = try JSONDecoder().decode([Call].self, from: Data(body.readableBytesView))
        var counts: [String: [String: Int]] = [:]
        for call in calls where ["credit-check", "mail-sent", "document-created"].contains(call.operation) {
            counts[String(call.key.prefix(36)).uppercased(), default: [:]][call.operation, default: 0] += 1
        }
        var findings: [Finding] = []
        for (operation, label) in [
            ("credit-check", "two credit checks"), ("mail-sent", "two notification e-mails"), ("document-created", "two signing documents"),
        ] {
            let twice = counts.filter { ($0.value[operation] ?? 0) > 1 }.map(\.key)
            if !twice.isEmpty { findings.append(Finding(invariant: label, count: twice.count, examples: twice)) }
        }
        let unsigned = tracked.filter { $0.scenario.expectedState == "signed" && counts[$0.id.uuidString]?["document-created"] != 1 }
        if !unsigned.isEmpty {
            findings.append(Finding(invariant: "signed without exactly one document", count: unsigned.count, examples: unsigned.map(\.id.uuidString)))
        }
        let checked = tracked.filter {
            [.selfServicePrivate, .selfServiceDenied].contains($0.scenario) && counts[$0.id.uuidString]?["credit-check"] != 1
        }
        if !checked.isEmpty {
            findings.append(
                Finding(invariant: "a new customer without exactly one credit check", count: checked.count, examples: checked.map(\.id.uuidString)))
        }
        return findings
    }

    /// Contracts whose audit trail does not run from their creation to their state: the first record without a
    /// `from` state, each next one starting where the last ended, the last one ending in the contract's state.
    private func brokenAuditTrails(_ ids: [UUID]) async throws -> [String] {
        var broken: [String] = []
        for chunk in ids.chunked(5_000) {
            let rows = try await postgres.query(
                """
                WITH chain AS (
                    SELECT contract_id, from_state, to_state,
                        lag(to_state) OVER (PARTITION BY contract_id ORDER BY id) AS previous,
                        row_number() OVER (PARTITION BY contract_id ORDER BY id) AS position,
                        row_number() OVER (PARTITION BY contract_id ORDER BY id DESC) AS from_end
                    FROM webbavtal.audit_trail WHERE contract_id = ANY(\(chunk)) AND action <> 'refused' AND to_state IS NOT NULL)
                SELECT c.id FROM webbavtal.contracts c WHERE c.id = ANY(\(chunk)) AND (
                    NOT EXISTS (SELECT 1 FROM chain WHERE chain.contract_id = c.id AND chain.position = 1 AND chain.from_state IS NULL)
                    OR EXISTS (SELECT 1 FROM chain WHERE chain.contract_id = c.id AND chain.position > 1
                               AND chain.from_state IS DISTINCT FROM chain.previous)
                    OR NOT EXISTS (SELECT 1 FROM chain WHERE chain.contract_id = c.id AND chain.from_end = 1 AND chain.to_state = c.state))
                """, logger: logger)
            for try await id in rows.decode(UUID.self) { broken.append(id.uuidString) }
        }
        return broken
    }
}
