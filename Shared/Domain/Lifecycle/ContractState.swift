/// Where a contract is in its life. Standard contracts go `stored → approved | needsMKA → …`; special contracts
/// `readyForMKA → finalized → exported | exportFailed`.
public enum ContractState: String, Codable, Sendable, CaseIterable {
    case stored
    case needsMKA
    case approved
    case awaitingSignature
    case signed
    case rejected
    case cancelled
    case readyForMKA
    case finalized
    case exported
    case exportFailed

    /// Whether the contract is still open: a second contract for one of its facilities is then a possible duplicate.
    public var isOpen: Bool {
        switch self {
        case .rejected, .cancelled, .exported: false
        default: true
        }
    }

    /// The state a new contract of `kind` starts in.
    public static func initial(for kind: ContractKind) -> ContractState {
        kind == .special ? .readyForMKA : .stored
    }
}
