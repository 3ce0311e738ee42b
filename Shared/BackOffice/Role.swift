public import AvtalDomain

/// What a back-office user may do. A seller sells; a business seller also builds special contracts in FOA; MKA
/// works the contracts the checks could not approve. Only MKA approves. Operations staff (`ops`) watch the flow board
/// and replay parked messages; they see no contract.
public enum Role: String, Sendable, CaseIterable, Codable {
    case seller
    case businessSeller = "business-seller"
    case mka
    case ops

    public var mayApprove: Bool { self == .mka }
    public var maySell: Bool { self == .seller || self == .businessSeller }
    /// The flow board: MKA and operations.
    public var mayWatchFlow: Bool { self == .mka || self == .ops }
    public var mayUseFOA: Bool { self == .businessSeller }
    /// The kinds of contract the internal form offers: a private seller sells private contracts only; business and
    /// mass contracts are for business sellers (and MKA).
    public var formKinds: [ContractKind] { self == .seller ? [.private] : [.private, .business, .mass] }
}

public struct User: Sendable, Equatable {
    public var username: String
    public var displayName: String
    public var role: Role

    public init(username: String, displayName: String, role: Role) {
        self.username = username
        self.displayName = displayName
        self.role = role
    }
}
