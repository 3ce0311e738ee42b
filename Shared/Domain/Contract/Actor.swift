/// Who did something to a contract, as the audit trail records it.
public enum Actor: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// A person logged in to the back office (MKA, a seller), by user id.
    case user(String)
    /// One of our services, by name.
    case service(String)
    /// A partner through partner-api, by partner id.
    case partner(String)

    public var kind: String {
        switch self {
        case .user: "user"
        case .service: "service"
        case .partner: "partner"
        }
    }

    public var id: String {
        switch self {
        case .user(let id), .service(let id), .partner(let id): id
        }
    }

    public var description: String { "\(kind):\(id)" }

    public init?(kind: String, id: String) {
        switch kind {
        case "user": self = .user(id)
        case "service": self = .service(id)
        case "partner": self = .partner(id)
        default: return nil
        }
    }
}
