public import Foundation

/// What a partner supplies to a contract under review: only the fields a reason for the review names — a facility's
/// anläggnings-ID (missing or unknown to the grid owner), its price area (another than the register's), or a new start
/// date (a switch cannot start on the one given) — each facility by its position in the submitted list. Pure.
public struct Supplement: Codable, Sendable, Equatable {
    public struct FacilityChange: Codable, Sendable, Equatable {
        /// The facility's index in the contract's `facilities`, from 0.
        public var position: Int
        public var meteringPointId: String?
        public var priceArea: PriceArea?

        public init(position: Int, meteringPointId: String? = nil, priceArea: PriceArea? = nil) {
            self.position = position
            self.meteringPointId = meteringPointId
            self.priceArea = priceArea
        }
    }

    public var facilities: [FacilityChange]
    public var startDate: CivilDate?

    public init(facilities: [FacilityChange] = [], startDate: CivilDate? = nil) {
        self.facilities = facilities
        self.startDate = startDate
    }

    /// What the form of the supplement itself gets wrong: nothing supplied, a position outside the contract's list or
    /// named twice, a facility change that changes nothing.
    public func issues(facilityCount: Int) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if facilities.isEmpty && startDate == nil {
            issues.append(ValidationIssue(field: "facilities", code: "required", message: "supply at least one field"))
        }
        var seen = Set<Int>()
        for (index, change) in facilities.enumerated() {
            let field = "facilities[\(index)]"
            if !(0..<facilityCount).contains(change.position) {
                issues.append(ValidationIssue(field: "\(field).position", code: "range", message: "the contract has \(facilityCount) facilities"))
            } else if !seen.insert(change.position).inserted {
                issues.append(ValidationIssue(field: "\(field).position", code: "duplicate", message: "each facility once"))
            }
            if change.meteringPointId == nil && change.priceArea == nil {
                issues.append(ValidationIssue(field: field, code: "required", message: "supply meteringPointId or priceArea"))
            }
        }
        return issues
    }

    /// The supplied fields no reason of the review asks for, by name (`facilities[].meteringPointId`, …): a supplement
    /// may touch only what the partner was asked about.
    public func unexpected(reasons: [NeedsMKAReason]) -> [String] {
        var fields: [String] = []
        let reasons = Set(reasons)
        if facilities.contains(where: { $0.meteringPointId != nil }) && reasons.isDisjoint(with: [.facilityIdMissing, .facilityUnknown]) {
            fields.append("facilities[].meteringPointId")
        }
        if facilities.contains(where: { $0.priceArea != nil }) && !reasons.contains(.facilityPriceAreaMismatch) {
            fields.append("facilities[].priceArea")
        }
        if startDate != nil && !reasons.contains(.switchTooEarly) { fields.append("startDate") }
        return fields
    }

    /// The contract's details with the supplement applied; nothing else changes. Positions must be valid
    /// (``issues(facilityCount:)``).
    public func applied(to details: ContractDetails) -> ContractDetails {
        var updated = details
        for change in facilities where updated.facilities.indices.contains(change.position) {
            if let id = change.meteringPointId { updated.facilities[change.position].meteringPointId = id }
            if let area = change.priceArea { updated.facilities[change.position].priceArea = area }
        }
        if let startDate { updated.startDate = startDate }
        return updated
    }

    /// For the audit trail: what was supplied, by field (never a value that is personal data: anläggnings-IDs are not).
    public var summary: String {
        var parts = facilities.map { change in
            [
                change.meteringPointId.map { "facility \(change.position): anläggnings-ID \($0)" },
                change.priceArea.map { "facility \(change.position): price area \($0.rawValue)" },
            ].compactMap { $0 }.joined(separator: ", ")
        }
        if let startDate { parts.append("start date \(startDate)") }
        return parts.joined(separator: "; ")
    }
}
