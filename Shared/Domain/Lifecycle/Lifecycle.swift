public import Foundation

/// The contract lifecycle as a pure state machine: a declarative table of rules, used both to decide transitions and
/// to draw the diagram in `docs/lifecycle.md` (so the two cannot drift).
public enum Lifecycle {
    /// The withdrawal period (ångerrätt) for distance contracts, counted from the customer's confirmation.
    public static let withdrawalPeriod: TimeInterval = 14 * 24 * 60 * 60

    /// A condition a rule needs besides the state and the input.
    public enum Condition: String, Sendable {
        /// Only contracts we sold by calling the customer are signed.
        case requiresSignature
        /// The customer's 14-day withdrawal period has not run out (or has not started).
        case withinWithdrawalPeriod
    }

    /// What a transition asks the store to publish, besides recording the change.
    public enum Emission: Sendable, Equatable {
        case contractApproved
        case contractResubmitted(newCreditCheck: Bool)
        case contractRejected(reason: String)
        case contractCancelled(reason: String)
        case specialContractFinalized
        case exportRetryRequested
    }

    public struct Rule: Sendable {
        public let from: [ContractState]
        public let input: LifecycleInput.Kind
        public let to: ContractState
        public let condition: Condition?
    }

    /// What the state machine needs to know of the contract besides its state.
    public struct Facts: Sendable, Equatable {
        public var requiresSignature: Bool
        /// When the customer confirmed the contract (signed it, or submitted it when no signature is needed); nil
        /// while a needed signature is missing.
        public var confirmedAt: Date?

        public init(requiresSignature: Bool, confirmedAt: Date?) {
            self.requiresSignature = requiresSignature
            self.confirmedAt = confirmedAt
        }
    }

    public struct Transition: Sendable, Equatable {
        public let from: ContractState
        public let to: ContractState
        public let input: LifecycleInput.Kind
        public let emissions: [Emission]
    }

    public static let rules: [Rule] = [
        Rule(from: [.stored], input: .creditChecked, to: .approved, condition: nil),
        Rule(from: [.stored], input: .needsMKA, to: .needsMKA, condition: nil),
        Rule(from: [.approved], input: .signingRequested, to: .awaitingSignature, condition: .requiresSignature),
        // From `approved` too: the signature may overtake its own signing request on the way here.
        Rule(from: [.approved, .awaitingSignature], input: .contractSigned, to: .signed, condition: .requiresSignature),
        Rule(from: [.approved, .awaitingSignature], input: .signingRejected, to: .needsMKA, condition: .requiresSignature),
        Rule(from: [.approved, .awaitingSignature], input: .signingExpired, to: .needsMKA, condition: .requiresSignature),
        Rule(from: [.needsMKA], input: .approvedByMKA, to: .approved, condition: nil),
        Rule(from: [.needsMKA], input: .resubmittedByMKA, to: .stored, condition: nil),
        Rule(from: [.needsMKA], input: .rejectedByMKA, to: .rejected, condition: nil),
        Rule(from: [.approved, .awaitingSignature, .signed], input: .cancelled, to: .cancelled, condition: .withinWithdrawalPeriod),
        Rule(from: [.readyForMKA], input: .finalizedByMKA, to: .finalized, condition: nil),
        Rule(from: [.finalized, .exportFailed], input: .contractExported, to: .exported, condition: nil),
        // From `exportFailed` too: a retried export may fail again, and MKA must see why.
        Rule(from: [.finalized, .exportFailed], input: .exportFailed, to: .exportFailed, condition: nil),
        Rule(from: [.exportFailed], input: .exportRetryRequested, to: .exportFailed, condition: nil),
        // The safety net gives up on a service that never answered: the contract goes to the people who can act.
        Rule(from: [.stored, .approved], input: .stalled, to: .needsMKA, condition: nil),
        Rule(from: [.finalized], input: .stalled, to: .exportFailed, condition: nil),
    ]

    /// Applies `input` to a contract in `state`: the transition, or why it does not apply. Changes nothing itself.
    public static func apply(
        _ input: LifecycleInput,
        to state: ContractState,
        facts: Facts,
        now: Date
    ) -> Result<Transition, LifecycleRefusal> {
        guard let rule = rules.first(where: { $0.input == input.kind && $0.from.contains(state) }) else {
            let allowed = rules.filter { $0.input == input.kind }.flatMap(\.from).map(\.rawValue)
            return .failure(
                LifecycleRefusal(
                    state: state, input: input.kind,
                    reason:
                        "\(input.kind.rawValue) does not apply to a contract in state \(state.rawValue) (only in \(allowed.joined(separator: ", ")))"
                )
            )
        }
        switch rule.condition {
        case .requiresSignature where !facts.requiresSignature:
            return .failure(
                LifecycleRefusal(state: state, input: input.kind, reason: "this contract is not signed: the customer was not called by us"))
        case .withinWithdrawalPeriod:
            if let confirmedAt = facts.confirmedAt, now >= confirmedAt.addingTimeInterval(withdrawalPeriod) {
                return .failure(
                    LifecycleRefusal(
                        state: state, input: input.kind,
                        reason: "the 14-day withdrawal period ended \(Timestamp.string(confirmedAt.addingTimeInterval(withdrawalPeriod)))"
                    )
                )
            }
        default:
            break
        }
        return .success(Transition(from: state, to: rule.to, input: input.kind, emissions: emissions(for: input, facts: facts)))
    }

    /// An approval is published only when the contract needs a signature: signering, which asks for it, is the only
    /// service that acts on one (a self-service contract's approval reaches its partner as `PartnerStatusChanged`
    /// and MKA through the audit trail). Before, signering took every approval only to ignore 60 % of them.
    private static func emissions(for input: LifecycleInput, facts: Facts) -> [Emission] {
        switch input {
        case .creditChecked, .approvedByMKA: facts.requiresSignature ? [.contractApproved] : []
        case .resubmittedByMKA(let newCreditCheck): [.contractResubmitted(newCreditCheck: newCreditCheck)]
        case .rejectedByMKA(let reason): [.contractRejected(reason: reason)]
        case .cancelled(let reason): [.contractCancelled(reason: reason)]
        case .finalizedByMKA: [.specialContractFinalized]
        case .exportRetryRequested: [.exportRetryRequested]
        default: []
        }
    }
}

/// Why an input does not apply to a contract as it is: a late duplicate, an event out of order, a decision not
/// allowed in this state. Nothing changes; the refusal itself is recorded.
public struct LifecycleRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public let state: ContractState
    public let input: LifecycleInput.Kind
    public let reason: String

    public var description: String { reason }
}
