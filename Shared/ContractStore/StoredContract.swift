public import AvtalDomain
import AvtalTracing
public import Foundation

/// A contract as the store holds it: its details, where it is in its lifecycle, and what others attached to it.
public struct StoredContract: Sendable, Equatable {
    public var id: UUID
    public var details: ContractDetails
    public var state: ContractState
    /// Raised by every change, for optimistic concurrency in the back office.
    public var version: Int
    /// Open contracts for one of the same facilities when this one was stored.
    public var possibleDuplicateOf: [UUID]
    /// What kontroll found.
    public var findings: CheckFindings?
    /// Why it waits for MKA, when it does.
    public var needsMKAReasons: [NeedsMKAReason]
    /// What another system said, when the reason is its failure (Xellent's refusal of an export).
    public var needsMKADetail: String?
    /// Set when MKA resubmitted it: whether with a new credit check.
    public var resubmittedWithCreditCheck: Bool?
    public var signingDocumentId: String?
    /// When the customer confirmed it: signed it, or submitted it when no signature is needed.
    public var confirmedAt: Date?
    public var createdAt: Date
    public var createdBy: String
    public var stateChangedAt: Date
    /// Which credit check the contract is on: 1, raised each time MKA orders a new one.
    public var creditRound: Int
    /// The span that stored it (W3C `traceparent`), when tracing was on: the contract's trace.
    public var traceparent: String? = nil

    /// The id of the contract's trace, when it has one.
    public var traceId: String? { traceparent.flatMap(TraceParent.traceId(of:)) }

    public var facts: Lifecycle.Facts {
        Lifecycle.Facts(requiresSignature: details.requiresSignature, confirmedAt: confirmedAt)
    }
}

/// One line of a contract's audit trail. The database refuses to change or delete it.
public struct AuditRecord: Sendable, Equatable {
    public var id: Int64
    public var contractId: UUID
    public var at: Date
    public var actor: Actor
    public var action: AuditAction
    public var fromState: ContractState?
    public var toState: ContractState?
    public var reason: String?
    /// The message that caused it, when a message did.
    public var causeMessageId: UUID?
}

extension StoredContract {
    /// What the lifecycle keeps on the contract besides its state.
    public var record: LifecycleRecord {
        LifecycleRecord(
            needsMKAReasons: needsMKAReasons, needsMKADetail: needsMKADetail, confirmedAt: confirmedAt,
            resubmittedWithCreditCheck: resubmittedWithCreditCheck,
            creditRound: creditRound)
    }
}
