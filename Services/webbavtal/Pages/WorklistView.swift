public import AvtalDomain
public import Foundation

/// What the worklist template shows: the filters as chosen, and one row per contract. Pure.
public enum WorklistView {
    public struct Row: Sendable {
        public var id: UUID
        public var channel: String
        public var state: ContractState?
        public var since: Date
        public var reasons: [NeedsMKAReason]
        public var customer: String

        public init(id: UUID, channel: String, state: ContractState?, since: Date, reasons: [NeedsMKAReason], customer: String) {
            self.id = id
            self.channel = channel
            self.state = state
            self.since = since
            self.reasons = reasons
            self.customer = customer
        }
    }

    public static func context(_ query: WorklistQuery, rows: [Row], total: Int, limit: Int) -> [String: Any] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "sv_SE")
        formatter.timeZone = TimeZone(identifier: "Europe/Stockholm")
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        func option(_ value: String, _ label: String, _ selected: Bool) -> [String: Any] {
            ["value": value, "label": label, "selected": selected]
        }
        return [
            "contracts": rows.map { row in
                [
                    "id": row.id.uuidString.lowercased(), "shortId": String(row.id.uuidString.lowercased().prefix(8)),
                    "channel": SalesChannel(rawValue: row.channel).map(StateLabels.channel) ?? row.channel,
                    "state": row.state.map(StateLabels.label) ?? "", "since": formatter.string(from: row.since), "customer": row.customer,
                    "reasons": row.reasons.map { ["code": $0.rawValue, "label": StateLabels.reason($0)] },
                ] as [String: Any]
            },
            "count": rows.count,
            "total": total,
            "truncated": total > rows.count,
            "limit": limit,
            "term": query.term,
            "states": [option("needsMKA", "Behöver MKA", query.states == [.needsMKA]), option("all", "Alla", query.states == nil)]
                + ContractState.allCases.filter { $0 != .needsMKA }.map { option($0.rawValue, StateLabels.label($0), query.states == [$0]) },
            "reasonOptions": NeedsMKAReason.allCases.map { option($0.rawValue, StateLabels.reason($0), query.reason == $0) },
            "channelOptions": SalesChannel.allCases.map { option($0.rawValue, StateLabels.channel($0), query.channel == $0) },
            "ageOptions": WorklistQuery.ages.map { option($0.code, $0.label, query.age == $0.code) },
            "title": query.states == [.needsMKA] ? "Avtal som behöver MKA" : query.states == WorklistQuery.gordis ? "Gördis: specialavtal" : "Avtal",
            "gordis": query.states == WorklistQuery.gordis,
        ]
    }
}
