import AvtalDomain
public import AvtalMessaging
public import AvtalPersistence
import Foundation
public import Logging

/// kontroll's consumers: each `ContractStored` (standard contracts only) and `ContractResubmitted` is checked, and
/// the outcome — `CreditChecked` when the contract may proceed, else `NeedsMKA` with every reason — goes out through
/// kontroll's outbox in the same transaction that records the message in its inbox and the credit round in its ledger.
public enum KontrollHandlers {
    public static let routingKeys = [RoutingKey.contractStoredStandard, RoutingKey.contractResubmitted]

    public static func make(checks: ContractChecks, inbox: Inbox, outbox: Outbox, retry: RetryPolicy, logger: Logger) -> EventHandlers {
        @Sendable func run(
            _ header: EnvelopeHeader, _ message: InboundMessage, contractId: UUID, snapshot: ContractDetails, duplicates: [UUID], round: Int,
            ordered: Bool
        ) async throws {
            guard snapshot.kind.isStandard else {
                throw UnprocessableMessage("kontroll never checks a special contract (\(contractId))")
            }
            try await inbox.once(header) {
                try await checks.check(
                    contractId: contractId, snapshot: snapshot, possibleDuplicateOf: duplicates, creditRound: round, creditCheckOrdered: ordered,
                    lastAttempt: retry.isLastAttempt(message))
            } recordingInOneStatement: { outcome in
                func row<Event: DomainEvent>(_ event: Event) throws -> OutboxRow {
                    try outbox.row(EventEnvelope(payload: event, causedBy: header, contractId: contractId))
                }
                let event =
                    outcome.reasons.isEmpty
                    ? try row(
                        CreditChecked(contractId: contractId, outcome: outcome.report == nil ? .notRequired : .approved, findings: outcome.findings))
                    : try row(NeedsMKA(contractId: contractId, reasons: outcome.reasons, findings: outcome.findings))
                return CheckRecordWrite(
                    message: header, report: outcome.report, contractId: contractId, round: round, mailReference: outcome.mailReference,
                    event: event)
            }
        }
        var handlers = EventHandlers()
        handlers.on(ContractStored.eventType) { event in
            let envelope = try event.envelope(as: ContractStored.self)
            let stored = envelope.payload
            try await run(
                event.header, event.message, contractId: stored.contractId, snapshot: stored.snapshot, duplicates: stored.possibleDuplicateOf,
                round: 1, ordered: false)
        }
        handlers.on(ContractResubmitted.eventType) { event in
            let envelope = try event.envelope(as: ContractResubmitted.self)
            let resubmitted = envelope.payload
            try await run(
                event.header, event.message, contractId: resubmitted.contractId, snapshot: resubmitted.snapshot, duplicates: [],
                round: resubmitted.creditRound, ordered: resubmitted.newCreditCheck
            )
        }
        return handlers
    }
}
