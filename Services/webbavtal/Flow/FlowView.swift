import AvtalDomain
import AvtalMessaging
import Foundation

/// What the flow board's template shows, from a ``FlowBoard/Snapshot``. Pure.
enum FlowView {
    static func context(_ snapshot: FlowBoard.Snapshot) -> [String: Any] {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "sv_SE")
        formatter.timeZone = TimeZone(identifier: "Europe/Stockholm")
        formatter.dateFormat = "HH:mm:ss"
        let states: [[String: Any]] = snapshot.states.map { figure in
            [
                "state": figure.state.rawValue, "label": StateLabels.label(figure.state), "count": figure.count,
                "oldest": figure.count == 0 ? "—" : duration(figure.oldestSeconds),
            ]
        }
        let steps: [[String: Any]] = snapshot.steps.map { step in
            [
                "from": StateLabels.label(step.from), "to": StateLabels.label(step.to), "count": step.count,
                "median": duration(step.medianSeconds), "p95": duration(step.p95Seconds),
            ]
        }
        let queues: [[String: Any]] = snapshot.queues.map { row in
            var values: [String: Any] = ["service": row.service, "missing": row.work == nil]
            if let work = row.work {
                values["ready"] = work.messages
                values["consumers"] = work.consumers
                values["noConsumers"] = work.consumers == 0
            }
            values["parked"] = row.parked ?? 0
            values["hasParked"] = (row.parked ?? 0) > 0
            values["alarm"] = (row.parked ?? 0) > 0 || row.work?.consumers == 0
            return values
        }
        let parked: [[String: Any]] = snapshot.parked.map { row in
            [
                "service": row.service, "messageId": row.entry.messageId, "type": row.entry.type ?? "—", "reason": row.entry.reason,
                "parkedAt": row.entry.parkedAt ?? "—", "attempts": row.entry.attempts,
            ]
        }
        var context: [String: Any] = [
            "updated": formatter.string(from: snapshot.at), "states": states, "steps": steps, "noSteps": steps.isEmpty, "queues": queues,
            "parked": parked, "noParked": parked.isEmpty, "throughput": snapshot.steps.reduce(0) { $0 + $1.count },
        ]
        // Only when there is one: an absent value, not an optional, is what the template's section tests.
        if let problem = snapshot.brokerProblem { context["brokerProblem"] = problem }
        return context
    }

    /// A wait as people read it: "4 s", "12 min", "3 h 5 min", "2 d 4 h".
    static func duration(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded())
        switch whole {
        case ..<60: return "\(max(0, whole)) s"
        case ..<3600: return "\(whole / 60) min"
        case ..<86_400: return "\(whole / 3600) h \(whole % 3600 / 60) min"
        default: return "\(whole / 86_400) d \(whole % 86_400 / 3600) h"
        }
    }
}
