import AvtalCreditBureau
import AvtalMailGateway
import Foundation

/// What the sandbox remembers: every call it received (for tests to count), the bureau's reports and the gateway's
/// messages by reference (so a repeated reference is answered, not done again).
actor SandboxState {
    struct Call: Codable, Sendable {
        /// `customer-register`, `facility-register`, `credit-bureau`, `mail`.
        var system: String
        /// What was done: `lookup`, `credit-check`, `credit-check-repeat`, `credit-check-unavailable`, `report`,
        /// `mail-sent`, `mail-repeat`, `mail-status`.
        var operation: String
        /// The identity, metering point or reference the call was about.
        var key: String
        var at: Date
    }

    private var calls: [Call] = []
    private var reports: [String: CreditReport] = [:]
    private var mails: [String: OutgoingMail] = [:]

    func record(_ system: String, _ operation: String, key: String) {
        calls.append(Call(system: system, operation: operation, key: key, at: Date()))
    }

    func calls(system: String?, key: String?) -> [Call] {
        calls.filter { call in (system.map { call.system == $0 } ?? true) && (key.map { call.key == $0 } ?? true) }
    }

    func report(_ reference: String) -> CreditReport? { reports[reference] }

    func store(_ report: CreditReport) { reports[report.reference] = report }

    /// Records `mail` unless its reference was sent before; returns whether it is new.
    func send(_ mail: OutgoingMail) -> Bool {
        guard mails[mail.reference] == nil else { return false }
        mails[mail.reference] = mail
        return true
    }

    func mail(_ reference: String) -> OutgoingMail? { mails[reference] }
}
