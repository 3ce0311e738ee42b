import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Foundation
import Logging
import PostgresNIO

/// The events a transition of one contract asks for, as envelopes caused by the message that moved it (if one did).
struct LifecycleEvents {
    let contract: StoredContract
    /// The contract's lifecycle record after the transition.
    let record: LifecycleRecord
    let cause: EnvelopeHeader?
    let now: Date

    func enqueue(_ emission: Lifecycle.Emission, in outbox: Outbox, on connection: PostgresConnection, logger: Logger) async throws {
        let id = contract.id
        let snapshot = contract.details
        func put<Event: DomainEvent>(_ event: Event) async throws { try await self.put(event, in: outbox, on: connection, logger: logger) }
        switch emission {
        case .contractApproved: try await put(ContractApproved(contractId: id, snapshot: snapshot))
        case .contractResubmitted(let newCreditCheck):
            try await put(ContractResubmitted(contractId: id, snapshot: snapshot, newCreditCheck: newCreditCheck, creditRound: record.creditRound))
        case .contractRejected(let reason): try await put(ContractRejected(contractId: id, reason: reason))
        case .contractCancelled(let reason): try await put(ContractCancelled(contractId: id, reason: reason))
        case .specialContractFinalized: try await put(SpecialContractFinalized(contractId: id, snapshot: snapshot))
        case .exportRetryRequested: try await put(ExportRetryRequested(contractId: id, snapshot: snapshot))
        }
    }

    /// ``PartnerStatusChanged`` when the transition changes what the contract's partner sees (`version`: the
    /// contract's after it); nothing for a contract no partner sent, or a change the partner cannot see.
    func enqueuePartnerStatus(
        _ transition: Lifecycle.Transition, version: Int, in outbox: Outbox, on connection: PostgresConnection, logger: Logger
    ) async throws {
        guard let partner = contract.details.partner, let status = PartnerStatusChanged.newStatus(from: transition.from, to: transition.to) else {
            return
        }
        let event = PartnerStatusChanged(
            contractId: contract.id, partnerId: partner.partnerId, externalReference: partner.externalReference, status: status,
            contractVersion: version, changedAt: now)
        try await put(event, in: outbox, on: connection, logger: logger)
    }

    private func put<Event: DomainEvent>(_ event: Event, in outbox: Outbox, on connection: PostgresConnection, logger: Logger) async throws {
        let envelope =
            if let cause { EventEnvelope(payload: event, causedBy: cause, contractId: contract.id, occurredAt: now) } else {
                EventEnvelope(payload: event, contractId: contract.id, occurredAt: now)
            }
        try await outbox.enqueue(envelope, on: connection, logger: logger)
    }
}
