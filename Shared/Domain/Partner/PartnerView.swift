public import Foundation

/// What a partner may see of a contract: a coarse status, the history of those statuses, and what the partner can
/// act on. Pure. A partner never learns anything about a credit check or our internal reasons: every review by our
/// staff shows only as `underReview`, and only facility problems the customer can fix become actions.
public enum PartnerView {
    public enum Status: String, Sendable, Equatable, CaseIterable {
        case received
        case underReview = "under_review"
        case awaitingSignature = "awaiting_signature"
        case accepted
        case signed
        case completed
        case rejected
        case cancelled
    }

    public struct Action: Sendable, Equatable {
        public var code: String
        public var field: String?
        public var message: String
    }

    public struct Change: Sendable, Equatable {
        public var status: Status
        public var at: Date

        public init(status: Status, at: Date) {
            self.status = status
            self.at = at
        }
    }

    public static func status(of state: ContractState) -> Status {
        switch state {
        case .stored: .received
        case .needsMKA, .readyForMKA: .underReview
        case .approved, .finalized, .exportFailed: .accepted
        case .awaitingSignature: .awaitingSignature
        case .signed: .signed
        case .exported: .completed
        case .rejected: .rejected
        case .cancelled: .cancelled
        }
    }

    /// The states a contract passed through, as partner statuses, oldest first, with repeats folded into the first.
    public static func history(_ states: [(state: ContractState, at: Date)]) -> [Change] {
        var changes: [Change] = []
        for (state, at) in states {
            let status = status(of: state)
            if changes.last?.status != status { changes.append(Change(status: status, at: at)) }
        }
        return changes
    }

    /// The actions for a contract under review with these reasons: only those about facilities, once each.
    public static func actions(state: ContractState, reasons: [NeedsMKAReason], facilities: [Facility]) -> [Action] {
        guard state == .needsMKA else { return [] }
        var actions: [Action] = []
        for reason in reasons {
            switch reason {
            case .facilityIdMissing:
                let index = facilities.firstIndex { $0.meteringPointId == nil }
                actions.append(
                    Action(
                        code: "facility_id_missing", field: index.map { "facilities[\($0)].meteringPointId" },
                        message: "the facility's anläggnings-ID is missing: we will ask the customer, or send it to us"))
            case .facilityUnknown:
                actions.append(Action(code: "facility_unknown", field: nil, message: "the grid owner does not know the anläggnings-ID given"))
            case .facilityPriceAreaMismatch:
                actions.append(Action(code: "price_area_mismatch", field: nil, message: "the facility lies in another price area than given"))
            case .switchTooEarly:
                actions.append(
                    Action(code: "start_date_too_early", field: "startDate", message: "a switch at this facility cannot start on the date given"))
            default:
                continue
            }
        }
        return actions
    }
}
