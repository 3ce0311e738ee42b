/// What kind of contract it is. Special contracts come from FOA and go to Xellent through Gördis; the others are
/// standard contracts that kontroll checks.
public enum ContractKind: String, Codable, Sendable, CaseIterable {
    case `private`
    case business
    case mass
    case special

    /// Standard contracts are checked by kontroll; special contracts never are.
    public var isStandard: Bool { self != .special }
}
