public import AvtalDomain

/// What a back-office user may do. A seller sells; a business seller also builds special contracts in FOA; MKA
/// works the contracts the checks could not approve. Only MKA approves.
public enum Role: String, Sendable, CaseIterable, Codable {
    case seller
    case businessSeller = "business-seller"
    case mka

    public var mayApprove: Bool { self == .mka }
    public var maySell: Bool { self != .mka }
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
