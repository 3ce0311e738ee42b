import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalRuntime
import Foundation
import Hummingbird
import PostgresNIO

/// The contract page (MKA sees everything and acts; a seller sees the status of a contract they sold) and MKA's
/// actions. Every action carries the version the page showed: a contract changed since is refused, not overwritten.
extension BackOfficePages {
    /// The confirmations a redirect after an action may ask for (`?done=`): fixed texts, nothing from the request.
    static let notices = [
        "saved": "Avtalet är sparat och kontrolleras nu.",
        "edited": "Ändringen är sparad.",
        "resubmitted": "Avtalet är skickat till kontroll igen.",
        "approved": "Avtalet är godkänt.",
        "rejected": "Avtalet är avslaget.",
        "cancelled": "Avtalet är avbrutet.",
        "retried": "Överföringen till Xellent görs om.",
        "finalized": "Avtalet är slutligt och skickas till Xellent.",
    ]

    func addContractPage(to router: Router<AvtalRequestContext>) {
        router.get("contracts/:id") { request, context -> Response in
            try await auth.guarded(request, context, role: nil) { _, session in
                let notice = request.uri.queryParameters["done"].flatMap { Self.notices[String($0)] }
                return try await contractPage(context.parameters.get("id"), session: session, notice: notice)
            }
        }
        let decisions: [(path: String, done: String, input: @Sendable (String) -> LifecycleInput)] = [
            ("approve", "approved", { .approvedByMKA(reason: $0) }),
            ("reject", "rejected", { .rejectedByMKA(reason: $0) }),
            ("cancel", "cancelled", { .cancelled(reason: $0) }),
            ("retry-export", "retried", { _ in .exportRetryRequested }),
        ]
        for decision in decisions {
            router.post("contracts/:id/\(decision.path)") { request, context -> Response in
                try await auth.guarded(request, context, role: .mka) { body, session in
                    let fields = body.fields
                    let id = context.parameters.get("id")
                    guard let contractId = id.flatMap(UUID.init(uuidString:)), let version = fields.text("version").flatMap(Int.init) else {
                        return auth.page("error", ["title": "Felaktig begäran", "message": "Avtal eller version saknas."], status: .badRequest)
                    }
                    let reason = fields.text("reason") ?? ""
                    if decision.path != "retry-export" && (reason.isEmpty || reason.count > 500) {
                        return try await contractPage(
                            id, session: session, problem: "Skriv en motivering (högst 500 tecken).", status: .unprocessableContent)
                    }
                    let outcome = try await client.withTransaction(logger: logger) { connection in
                        try await lifecycle.decide(
                            decision.input(reason), on: contractId, expectedVersion: version, by: .user(session.user.username), now: Date(),
                            on: connection)
                    }
                    switch outcome {
                    case .applied(.transitioned):
                        return BackOfficeAuth.redirect("/contracts/\(contractId.uuidString.lowercased())?done=\(decision.done)")
                    case .applied(.refused(let refusal)):
                        return try await contractPage(
                            id, session: session, problem: "Det går inte i avtalets nuvarande läge: \(refusal.reason).", status: .conflict)
                    case .applied(.notFound):
                        return notFound()
                    case .versionConflict:
                        return try await contractPage(id, session: session, problem: Self.conflictMessage, status: .conflict)
                    }
                }
            }
        }
        router.post("contracts/:id/edit") { request, context -> Response in
            try await auth.guarded(request, context, role: .mka) { body, session in
                try await edit(context.parameters.get("id"), body.fields, session: session)
            }
        }
    }

    static let conflictMessage =
        "Någon annan har ändrat avtalet medan du arbetade, så ingenting sparades. Sidan visar nu det senaste; kontrollera och gör om din åtgärd."

    /// MKA's edit: saved only if the contract is still at the version the page showed, and then, in the same
    /// transaction, as asked: sent back to kontroll (with a new credit check if ordered), or for a special contract
    /// in Gördis saved as final (`SpecialContractFinalized`, on to Xellent).
    private func edit(_ id: String?, _ fields: FormFields, session: SessionStore.Session) async throws -> Response {
        guard let contractId = id.flatMap(UUID.init(uuidString:)), let version = fields.text("version").flatMap(Int.init) else {
            return auth.page("error", ["title": "Felaktig begäran", "message": "Avtal eller version saknas."], status: .badRequest)
        }
        var formFields = fields
        for control in ["_csrf", "version", "reason", "then", "newCreditCheck"] { formFields[control] = nil }
        let form = ContractForm(formFields)
        let then = fields.text("then") ?? "save"
        let newCreditCheck = fields.isChecked("newCreditCheck")
        let reason = String((fields.text("reason") ?? "kompletterat av MKA").prefix(500))
        let now = Date()
        let actor = Actor.user(session.user.username)
        enum EditResult { case done(String), invalid(ValidationFailure), conflict, notEditable(ContractState), notFound }
        let result = try await client.withTransaction(logger: logger) { connection -> EditResult in
            guard let current = try await store.contract(contractId, on: connection) else { return .notFound }
            let details: ContractDetails
            switch form.edited(current.details, catalogue: catalogue, today: CivilDate(swedishDateAt: now)) {
            case .failure(let failure): return .invalid(failure)
            case .success(let valid): details = valid
            }
            switch try await lifecycle.edit(contractId, to: details, expectedVersion: version, by: actor, reason: reason, now: now, on: connection) {
            case .versionConflict: return .conflict
            case .notEditable(let state): return .notEditable(state)
            case .notFound: return .notFound
            case .edited(let edited):
                let next: (input: LifecycleInput, done: String)
                switch then {
                case "resubmit": next = (.resubmittedByMKA(newCreditCheck: newCreditCheck), "resubmitted")
                case "finalize": next = (.finalizedByMKA, "finalized")
                default: return .done("edited")
                }
                switch try await lifecycle.apply(next.input, to: edited.id, by: actor, now: now, on: connection) {
                case .transitioned: return .done(next.done)
                case .refused(let refusal): return .notEditable(refusal.state)
                case .notFound: return .notFound
                }
            }
        }
        switch result {
        case .done(let done): return BackOfficeAuth.redirect("/contracts/\(contractId.uuidString.lowercased())?done=\(done)")
        case .invalid(let failure):
            return try await contractPage(
                id, session: session, editForm: form, errors: FieldErrors(failure), problem: "Ändringen sparades inte: rätta de markerade fälten.",
                status: .unprocessableContent)
        case .conflict:
            return try await contractPage(id, session: session, editForm: form, problem: Self.conflictMessage, status: .conflict)
        case .notEditable(let state):
            return try await contractPage(
                id, session: session, problem: "Avtalet går inte att ändra i läget \(StateLabels.label(state)).", status: .conflict)
        case .notFound: return notFound()
        }
    }

    /// The contract page for `session`'s user: MKA sees all; a seller only the contracts they sold.
    func contractPage(
        _ id: String?, session: SessionStore.Session, notice: String? = nil, editForm: ContractForm? = nil, errors: FieldErrors = FieldErrors(),
        problem: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        guard let contractId = id.flatMap(UUID.init(uuidString:)),
            let (contract, trail) = try await client.withConnection({ connection -> (StoredContract, [AuditRecord])? in
                guard let contract = try await store.contract(contractId, on: connection) else { return nil }
                return (contract, try await store.auditTrail(contractId, on: connection))
            })
        else { return notFound() }
        let viewer: ContractPageView.Viewer
        if session.user.role == .mka {
            viewer = .mka
        } else if contract.createdBy == Actor.user(session.user.username).description {
            viewer = .seller
        } else {
            return auth.page("error", ["title": "Ingen behörighet", "message": "Du kan bara se avtal du själv har sålt."], status: .forbidden)
        }
        var page = BackOfficeAuth.banner(session)
        page.merge(
            ContractPageView.context(contract, trail: trail, viewer: viewer, editForm: editForm, errors: errors, catalogue: catalogue, now: Date())
        ) { $1 }
        // MKA's page links to the contract's trace, when it has one and a trace viewer is configured.
        if viewer == .mka, let traceLink, let traceId = contract.traceId { page["traceLink"] = traceLink.url(traceId: traceId) }
        if let notice { page["notice"] = notice }
        if let problem { page["problem"] = problem }
        return auth.page("contract", page, status: status)
    }

    func notFound() -> Response {
        auth.page("error", ["title": "Avtalet finns inte", "message": "Inget avtal har det id:t."], status: .notFound)
    }
}
