public import Foundation

/// What the lifecycle keeps on a contract besides its state, and how each input changes it: the pure half of a
/// transition, so that the store only writes what this says.
public struct LifecycleRecord: Sendable, Equatable {
    /// Why the contract waits for MKA; empty when it does not.
    public var needsMKAReasons: [NeedsMKAReason]
    /// What the other system said when the reason is its failure (Xellent's refusal of an export); nil otherwise.
    public var needsMKADetail: String?
    /// When the customer confirmed it: signed it, or submitted it when no signature is needed.
    public var confirmedAt: Date?
    /// Set when MKA resubmitted it: whether with a new credit check.
    public var resubmittedWithCreditCheck: Bool?
    /// Which credit check the contract is on: 1, raised each time MKA orders a new one.
    public var creditRound: Int

    public init(
        needsMKAReasons: [NeedsMKAReason], needsMKADetail: String? = nil, confirmedAt: Date?, resubmittedWithCreditCheck: Bool?, creditRound: Int
    ) {
        self.needsMKAReasons = needsMKAReasons
        self.needsMKADetail = needsMKADetail
        self.confirmedAt = confirmedAt
        self.resubmittedWithCreditCheck = resubmittedWithCreditCheck
        self.creditRound = creditRound
    }

    /// The record after `input` moved the contract.
    public func after(_ input: LifecycleInput) -> LifecycleRecord {
        var next = self
        func waits(for reasons: [NeedsMKAReason], detail: String? = nil) {
            next.needsMKAReasons = reasons
            next.needsMKADetail = detail
        }
        switch input {
        case .needsMKA(let reasons): waits(for: reasons)
        case .signingRejected: waits(for: [.signingRejected])
        case .signingExpired: waits(for: [.signingExpired])
        case .contractSigned(let at): next.confirmedAt = at
        case .resubmittedByMKA(let newCreditCheck):
            waits(for: [])
            next.resubmittedWithCreditCheck = newCreditCheck
            if newCreditCheck { next.creditRound += 1 }
        case .approvedByMKA, .contractExported: waits(for: [])
        case .exportFailed(let reason): waits(for: [.exportFailed], detail: reason)
        case .stalled(let detail): waits(for: [.noProgress], detail: detail)
        case .creditChecked, .signingRequested, .rejectedByMKA, .cancelled, .finalizedByMKA, .exportRetryRequested: break
        }
        return next
    }

    /// What the audit trail says of `input`, beside the change of state.
    public static func reason(of input: LifecycleInput) -> String? {
        switch input {
        case .needsMKA(let reasons): reasons.map(\.rawValue).joined(separator: ", ")
        case .exportFailed(let reason), .approvedByMKA(let reason), .rejectedByMKA(let reason), .cancelled(let reason), .stalled(let reason): reason
        case .resubmittedByMKA(let newCreditCheck): newCreditCheck ? "resubmitted with a new credit check" : "resubmitted"
        default: nil
        }
    }
}
