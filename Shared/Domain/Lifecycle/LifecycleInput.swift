public import Foundation

/// Something that may move a contract: an event from another service, or a decision of a person in MKA.
public enum LifecycleInput: Sendable, Equatable {
    // From kontroll
    case creditChecked
    case needsMKA(reasons: [NeedsMKAReason])
    // From signering
    case signingRequested
    case contractSigned(at: Date)
    case signingRejected
    case signingExpired
    // From gordis-export
    case contractExported
    case exportFailed(reason: String)
    // MKA's decisions
    case approvedByMKA(reason: String)
    case resubmittedByMKA(newCreditCheck: Bool)
    case rejectedByMKA(reason: String)
    case cancelled(reason: String)
    case finalizedByMKA
    case exportRetryRequested
    // From webbavtal's safety net: the service the contract waits on never answered, however often it was asked.
    case stalled(detail: String)

    /// The input without its values: what the transition table is keyed on.
    public enum Kind: String, Sendable, CaseIterable {
        case creditChecked, needsMKA, signingRequested, contractSigned, signingRejected, signingExpired, contractExported, exportFailed
        case approvedByMKA, resubmittedByMKA, rejectedByMKA, cancelled, finalizedByMKA, exportRetryRequested
        case stalled
    }

    public var kind: Kind {
        switch self {
        case .creditChecked: .creditChecked
        case .needsMKA: .needsMKA
        case .signingRequested: .signingRequested
        case .contractSigned: .contractSigned
        case .signingRejected: .signingRejected
        case .signingExpired: .signingExpired
        case .contractExported: .contractExported
        case .exportFailed: .exportFailed
        case .approvedByMKA: .approvedByMKA
        case .resubmittedByMKA: .resubmittedByMKA
        case .rejectedByMKA: .rejectedByMKA
        case .cancelled: .cancelled
        case .finalizedByMKA: .finalizedByMKA
        case .exportRetryRequested: .exportRetryRequested
        case .stalled: .stalled
        }
    }
}
