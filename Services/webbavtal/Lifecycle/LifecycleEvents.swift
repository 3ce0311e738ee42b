import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import Foundation

/// The events a transition of one contract asks for, as envelopes caused by the message that moved it (if one did),
/// ready for the outbox: the transition's statement writes them with the contract's row (``ContractTransitionWrite``).
struct LifecycleEvents {
    let contract: StoredContract
    /// The contract's lifecycle record after the transition.
    let record: LifecycleRecord
    let cause: EnvelopeHeader?
    let now: Date
    let outbox: Outbox

    /// The transition's emissions, in order, then ``PartnerStatusChanged`` if the partner sees a change.
    func rows(for transition: Lifecycle.Transition, version: Int) throws -> [OutboxRow] {
        var rows = try transition.emissions.map(row(for:))
        if let status = try partnerStatus(transition, version: version) { rows.append(status) }
        return rows
    }

    private func row(for emission: Lifecycle.Emission) throws -> OutboxRow {
        let id = contract.id
        let snapshot = contract.details
        switch emission {
        case .contractApproved: return try row(ContractApproved(contractId: id, snapshot: snapshot))
        case .contractResubmitted(let newCreditCheck):
            return try row(ContractResubmitted(contractId: id, snapshot: snapshot, newCreditCheck: newCreditCheck, creditRound: record.creditRound))
        case .contractRejected(let reason): return try row(ContractRejected(contractId: id, reason: reason))
        case .contractCancelled(let reason): return try row(ContractCancelled(contractId: id, reason: reason))
        case .specialContractFinalized: return try row(SpecialContractFinalized(contractId: id, snapshot: snapshot))
        case .exportRetryRequested: return try row(ExportRetryRequested(contractId: id, snapshot: snapshot))
        }
    }

    /// ``PartnerStatusChanged`` when the transition changes what the contract's partner sees (`version`: the
    /// contract's after it); nil for a contract no partner sent, or a change the partner cannot see.
    private func partnerStatus(_ transition: Lifecycle.Transition, version: Int) throws -> OutboxRow? {
        guard let partner = contract.details.partner, let status = PartnerStatusChanged.newStatus(from: transition.from, to: transition.to) else {
            return nil
        }
        return try row(
            PartnerStatusChanged(
                contractId: contract.id, partnerId: partner.partnerId, externalReference: partner.externalReference, status: status,
                contractVersion: version, changedAt: now))
    }

    private func row<Event: DomainEvent>(_ event: Event) throws -> OutboxRow {
        let envelope =
            if let cause { EventEnvelope(payload: event, causedBy: cause, contractId: contract.id, occurredAt: now) } else {
                EventEnvelope(payload: event, contractId: contract.id, occurredAt: now)
            }
        return try outbox.row(envelope)
    }
}
