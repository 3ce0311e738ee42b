public import AvtalBackOffice
public import AvtalDomain
public import Foundation

/// MKA's worklist filters and search, read from the page's query: which state (needs MKA unless asked otherwise),
/// which reason, which channel, how long it has waited at least, and a search term that is recognised as a contract
/// id, a personnummer, an organisationsnummer, an anläggnings-ID, or else a name or partner reference. Pure.
public struct WorklistQuery: Sendable, Equatable {
    public enum Search: Sendable, Equatable {
        case contractId(UUID)
        case personnummer(String)
        case organisationsnummer(String)
        case meteringPoint(String)
        /// A customer name (part of it) or a partner's reference.
        case text(String)
    }

    /// How long a contract has waited at least, as the filter offers it.
    public static let ages: [(code: String, label: String, seconds: TimeInterval)] = [
        ("1h", "minst 1 timme", 3600), ("1d", "minst 1 dygn", 86400), ("3d", "minst 3 dygn", 3 * 86400), ("7d", "minst 7 dygn", 7 * 86400),
    ]

    /// The states listed; nil: every state.
    public var states: [ContractState]? = [.needsMKA]
    public var reason: NeedsMKAReason?
    public var channel: SalesChannel?
    public var age: String?
    public var search: Search?
    /// The search term as typed, to show it again.
    public var term = ""

    public init() {}

    /// Gördis: the special contracts that wait for MKA (ready, or their export failed) or are on their way to Xellent.
    public static let gordis: [ContractState] = [.readyForMKA, .exportFailed, .finalized]

    public init(_ query: FormFields, today: CivilDate) {
        if let state = query.text("state") { states = state == "all" ? nil : [ContractState(rawValue: state) ?? .needsMKA] }
        reason = query.text("reason").flatMap(NeedsMKAReason.init(rawValue:))
        channel = query.text("channel").flatMap(SalesChannel.init(rawValue:))
        age = query.text("age").flatMap { code in Self.ages.contains { $0.code == code } ? code : nil }
        if let term = query.text("q") {
            self.term = String(term.prefix(100))
            search = Self.classify(self.term, today: today)
        }
    }

    public static func classify(_ term: String, today: CivilDate) -> Search {
        if let id = UUID(uuidString: term) { return .contractId(id) }
        if case .success(let id) = MeteringPointId.parse(term) { return .meteringPoint(id.value) }
        if case .success(let number) = Organisationsnummer.parse(term) { return .organisationsnummer(number.value) }
        if case .success(let number) = Personnummer.parse(term, today: today) { return .personnummer(number.digits) }
        return .text(term)
    }

    /// The earliest `state_changed_at` a contract may have to pass the age filter, i.e. it changed state before then.
    public func changedBefore(now: Date) -> Date? {
        guard let age, let seconds = Self.ages.first(where: { $0.code == age })?.seconds else { return nil }
        return now.addingTimeInterval(-seconds)
    }
}
