import AvtalContractStore
import AvtalDomain
public import AvtalMessaging
public import AvtalPersistence
public import Foundation
import Metrics
import PostgresNIO

/// webbavtal's consumers: the other services' events, applied to the store through the lifecycle, each exactly
/// once (the inbox records the message id in the same statement or transaction as the change and its audit record).
///
/// An event that does not fit the contract's state is acknowledged and changes nothing but the audit trail; an event
/// about a contract the store does not know is unprocessable and parked.
public enum ContractEventHandlers {
    public static func make(lifecycle: ContractLifecycle, inbox: Inbox, now: @escaping @Sendable () -> Date = Date.init) -> EventHandlers {
        var handlers = EventHandlers()
        /// Applies each `Event` as the lifecycle input `translate` makes of it, by the actor `by` names.
        func on<Event: DomainEvent>(
            _ type: Event.Type,
            by actor: @escaping @Sendable (Event) -> Actor,
            _ translate: @escaping @Sendable (Event) -> (LifecycleInput, ContractLifecycle.Attachments, UUID)
        ) {
            // First without a transaction: the read, then the transition written only if nothing changed in between,
            // with the message's inbox entry (two round trips). What that does not settle — a refusal, a redelivery,
            // an unknown contract, a contract that kept changing — goes the locked way, where the message's inbox
            // entry is made by the statement that reads and locks the contract.
            handlers.on(type.eventType) { event in
                let envelope = try event.envelope(as: type)
                let (input, attachments, contractId) = translate(envelope.payload)
                let unlocked = try await inbox.withConnection { connection in
                    try await lifecycle.applyIfUnchanged(
                        input, to: contractId, by: actor(envelope.payload), message: envelope.header, attachments: attachments, now: now(),
                        on: connection)
                }
                Counter(label: "avtal_lifecycle_unlocked_total", dimensions: [("outcome", unlocked == nil ? "locked" : "written")]).increment()
                guard unlocked == nil else { return }
                try await inbox.withTransaction { connection in
                    let outcome = try await lifecycle.apply(
                        input, to: contractId, by: actor(envelope.payload), message: envelope.header, attachments: attachments, now: now(),
                        on: connection)
                    if outcome == .notFound {
                        throw UnprocessableMessage("\(Event.eventType) for contract \(contractId), which the store does not know")
                    }
                }
            }
        }
        func on<Event: DomainEvent>(
            _ type: Event.Type,
            from service: String,
            _ translate: @escaping @Sendable (Event) -> (LifecycleInput, ContractLifecycle.Attachments, UUID)
        ) {
            on(type, by: { _ in .service(service) }, translate)
        }
        on(CreditChecked.self, from: "kontroll") { (.creditChecked, .init(findings: $0.findings), $0.contractId) }
        on(NeedsMKA.self, from: "kontroll") { (.needsMKA(reasons: $0.reasons), .init(findings: $0.findings), $0.contractId) }
        on(SigningRequested.self, from: "signering") { (.signingRequested, .init(signingDocumentId: $0.documentId), $0.contractId) }
        on(ContractSigned.self, from: "signering") { (.contractSigned(at: $0.signedAt), .init(signingDocumentId: $0.documentId), $0.contractId) }
        on(SigningRejected.self, from: "signering") { (.signingRejected, .init(), $0.contractId) }
        on(SigningExpired.self, from: "signering") { (.signingExpired, .init(), $0.contractId) }
        on(ContractExported.self, from: "gordis-export") { (.contractExported, .init(), $0.contractId) }
        on(ExportFailed.self, from: "gordis-export") { (.exportFailed(reason: $0.reason), .init(), $0.contractId) }
        // A customer's withdrawal a partner passed on: the back office's cancellation, by the partner.
        on(WithdrawalRequested.self, by: { .partner($0.partnerId) }) { (.cancelled(reason: $0.cancellationReason), .init(), $0.contractId) }
        // What a partner supplied to a contract under review: the partner's edit, then back to kontroll — only if the
        // contract is still the version the partner saw (MKA may have acted in between: then nothing changes).
        handlers.on(SupplementSubmitted.self, inbox: inbox) { envelope, connection in
            let submitted = envelope.payload
            guard let contract = try await lifecycle.store.contract(submitted.contractId, on: connection) else {
                throw UnprocessableMessage("\(SupplementSubmitted.eventType) for contract \(submitted.contractId), which the store does not know")
            }
            let edited: ContractLifecycle.EditOutcome
            do {
                edited = try await lifecycle.edit(
                    submitted.contractId, to: submitted.supplement.applied(to: contract.details), expectedVersion: submitted.basedOnVersion,
                    by: .partner(submitted.partnerId), reason: submitted.auditReason, now: now(), on: connection)
            } catch is ValidationFailure {
                Counter(label: "avtal_supplements_total", dimensions: [("outcome", "invalid")]).increment()
                return
            }
            guard case .edited = edited else {
                Counter(label: "avtal_supplements_total", dimensions: [("outcome", "outdated")]).increment()
                return
            }
            _ = try await lifecycle.apply(
                .resubmittedByMKA(newCreditCheck: false), to: submitted.contractId, by: .partner(submitted.partnerId), cause: envelope.header,
                attachments: .init(), now: now(), on: connection)
            Counter(label: "avtal_supplements_total", dimensions: [("outcome", "applied")]).increment()
        }
        // A special contract stored by FOA: nothing moves (it waits in Gördis for MKA), but the fact is taken in and
        // counted, so that every intake has a consumer and the flow board sees special contracts arrive.
        handlers.on(ContractStored.self, inbox: inbox) { envelope, _ in
            guard !envelope.payload.snapshot.kind.isStandard else {
                throw UnprocessableMessage("webbavtal takes in only special contracts' ContractStored (\(envelope.payload.contractId))")
            }
            Counter(label: "avtal_special_contracts_stored_total").increment()
        }
        return handlers
    }

    /// The routing keys of the events above, for webbavtal's work queue.
    public static let routingKeys = [
        RoutingKey.creditChecked, RoutingKey.needsMKA, RoutingKey.signingRequested, RoutingKey.contractSigned, RoutingKey.signingRejected,
        RoutingKey.signingExpired, RoutingKey.contractExported, RoutingKey.exportFailed, RoutingKey.contractStoredSpecial,
        RoutingKey.withdrawalRequested, RoutingKey.supplementSubmitted,
    ]
}
