import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalPersistence
import AvtalRuntime
import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// FOA's pages: the link from a Lime deal, the start page with the latest drafts, and the draft page where a
/// business seller builds a special contract, saves it as they go, and marks it ready for MKA.
struct FOAPages: Sendable {
    let auth: BackOfficeAuth
    let client: PostgresClient
    let drafts: DraftStore
    let store: ContractStore
    let prefills: PrefillStore
    let logger: Logger

    /// `outbox`: foa's own, where its contracts' `ContractStored` goes.
    init(auth: BackOfficeAuth, client: PostgresClient, outbox: Outbox, logger: Logger) {
        self.auth = auth
        self.client = client
        self.drafts = DraftStore(logger: logger)
        self.store = ContractStore(logger: logger, outbox: outbox)
        self.prefills = PrefillStore(client: client, logger: logger)
        self.logger = logger
    }

    func add(to router: Router<AvtalRequestContext>) {
        auth.addLoginRoutes(to: router)
        // The link on a Lime deal card: `/lime/foa?foaId=…&orgnr=…&company=…` (docs/special-contracts.md). Its
        // customer data waits on the server, as the internal form's does; the FOA id is not personal data.
        router.get("lime/foa") { request, context -> Response in
            let query = FormFields(urlEncoded: request.uri.query ?? "")
            guard let foaId = query.text("foaId"), FOAForm.isValidFOAId(foaId) else {
                return auth.page("error", ["title": "FOA-id saknas", "message": "Länken från Lime saknar ett giltigt FOA-id."], status: .badRequest)
            }
            let prefill = LimeLink.prefill(query, onto: ContractForm())
            guard let token = try await prefills.keep(FOAForm(prefill.fields).fields.values, clientAddress: context.clientAddress) else {
                return PrefillStore.tooMany(auth)
            }
            return BackOfficeAuth.redirect("/drafts/\(foaId)?prefill=\(token)")
        }
        router.get("/") { request, context -> Response in
            try await auth.guarded(request, context, role: .businessSeller) { _, session in
                let recent = try await client.withConnection { try await drafts.recent(limit: 50, on: $0) }
                var page = BackOfficeAuth.banner(session)
                page["drafts"] = recent.map { draft in
                    [
                        "foaId": draft.foaId, "company": draft.fields["customer.companyName"] ?? "", "updatedBy": draft.updatedBy,
                        "state": draft.isReady ? "Klarmarkerat" : "Utkast",
                    ]
                }
                return auth.page("foa-home", page)
            }
        }
        router.get("open") { request, context -> Response in
            try await auth.guarded(request, context, role: .businessSeller) { _, _ in
                let foaId = request.uri.queryParameters["foaId"].map(String.init) ?? ""
                guard FOAForm.isValidFOAId(foaId) else { return BackOfficeAuth.redirect("/") }
                return BackOfficeAuth.redirect("/drafts/\(foaId)")
            }
        }
        router.get("drafts/:foaId") { request, context -> Response in
            try await auth.guarded(request, context, roles: [.businessSeller], keepQuery: true) { _, session in
                guard let foaId = context.parameters.get("foaId"), FOAForm.isValidFOAId(foaId) else { return notFound() }
                let existing = try await client.withConnection { try await drafts.draft(foaId, on: $0) }
                if let existing { return draftPage(existing, session: session) }
                // A new draft: prefilled from the Lime link when it came with one; saved when the seller first saves.
                var fields = FormFields()
                if let token = request.uri.queryParameters["prefill"] {
                    for (name, value) in try await prefills.open(String(token), for: session.user.username) ?? [:] { fields[name] = value }
                }
                fields["startDate"] = CivilDate(swedishDateAt: Date()).adding(days: ContractValidator.switchNoticeDays).description
                return page(
                    foaId, FOAForm(fields), version: 0, isReady: false, contractId: nil, updatedBy: nil, errors: FieldErrors(), session: session)
            }
        }
        router.post("drafts/:foaId") { request, context -> Response in
            try await auth.guarded(request, context, roles: [.businessSeller]) { body, session in
                guard let foaId = context.parameters.get("foaId"), FOAForm.isValidFOAId(foaId) else { return notFound() }
                let posted = body.fields
                return try await save(
                    foaId, FOAForm(posted), version: posted.text("version").flatMap(Int.init) ?? -1,
                    ready: posted.text("then") == "ready", session: session)
            }
        }
    }

    /// Saves the draft (whatever it holds) if nobody saved it since the page was loaded; when asked to mark it
    /// ready and nothing is missing, inserts the special contract through the store's insert path and marks the
    /// draft ready, in the same transaction.
    private func save(_ foaId: String, _ form: FOAForm, version: Int, ready: Bool, session: SessionStore.Session) async throws -> Response {
        let username = session.user.username
        let now = Date()
        let (details, issues) = form.check(foaId: foaId, seller: username, today: CivilDate(swedishDateAt: now), ready: ready)
        enum Result { case saved(Draft), conflict(Draft), alreadyReady(Draft), ready(Draft) }
        let result = try await client.withTransaction(logger: logger) { connection -> Result in
            switch try await drafts.save(foaId, fields: form.fields.values, expectedVersion: version, by: username, now: now, on: connection) {
            case .conflict(let theirs): return .conflict(theirs)
            case .alreadyReady(let draft): return .alreadyReady(draft)
            case .saved(let draft):
                guard ready, issues.isEmpty else { return .saved(draft) }
                guard case .created(let contract) = try await store.insert(details, by: .user(username), now: now, on: connection) else {
                    return .saved(draft)
                }
                try await drafts.markReady(foaId, contractId: contract.id, on: connection)
                logger.info(
                    "special contract marked ready",
                    metadata: ["avtal.contract.id": "\(contract.id)", "avtal.foa.id": "\(foaId)", "avtal.user": "\(username)"])
                return .ready(try await drafts.draft(foaId, on: connection) ?? draft)
            }
        }
        switch result {
        case .saved(let draft):
            var response = page(
                foaId, form, version: draft.version, isReady: false, contractId: nil, updatedBy: draft.updatedBy,
                errors: FieldErrors(ValidationFailure(issues: issues)), session: session,
                notice: ready ? nil : "Utkastet är sparat.",
                problem: ready ? "Utkastet är sparat, men det saknas saker innan det kan klarmarkeras." : nil)
            if ready { response.status = .unprocessableContent }
            return response
        case .ready(let draft):
            return draftPage(draft, session: session, notice: "Avtalet är klarmarkerat och väntar på MKA i Gördis.")
        case .alreadyReady(let draft):
            var response = draftPage(draft, session: session, problem: "Avtalet är redan klarmarkerat och ändras inte längre här.")
            response.status = .conflict
            return response
        case .conflict(let theirs):
            var response = page(
                foaId, form, version: theirs.version, isReady: false, contractId: nil, updatedBy: theirs.updatedBy, errors: FieldErrors(),
                session: session,
                problem: "\(theirs.updatedBy) sparade utkastet medan du arbetade, så ingenting sparades. Dina ändringar finns kvar nedan; "
                    + "öppna utkastet i en ny flik för att se det sparade, och spara igen när du har jämfört.")
            response.status = .conflict
            return response
        }
    }

    private func draftPage(_ draft: Draft, session: SessionStore.Session, notice: String? = nil, problem: String? = nil) -> Response {
        let form = FOAForm(FormFields(draft.fields))
        let issues =
            draft.isReady
            ? [] : form.check(foaId: draft.foaId, seller: session.user.username, today: CivilDate(swedishDateAt: Date()), ready: false).issues
        return page(
            draft.foaId, form, version: draft.version, isReady: draft.isReady, contractId: draft.contractId, updatedBy: draft.updatedBy,
            errors: FieldErrors(ValidationFailure(issues: issues)), session: session, notice: notice, problem: problem)
    }

    private func page(
        _ foaId: String, _ form: FOAForm, version: Int, isReady: Bool, contractId: UUID?, updatedBy: String?, errors: FieldErrors,
        session: SessionStore.Session, notice: String? = nil, problem: String? = nil
    ) -> Response {
        var page = BackOfficeAuth.banner(session)
        page.merge(
            FOAView.context(
                foaId: foaId, form: form, version: version, isReady: isReady, contractId: contractId, updatedBy: updatedBy, errors: errors)
        ) { $1 }
        if let notice { page["notice"] = notice }
        if let problem { page["problem"] = problem }
        return auth.page("foa-draft", page)
    }

    private func notFound() -> Response {
        auth.page("error", ["title": "Inget sådant FOA-id", "message": "Ett FOA-id är bokstäver, siffror, - och _."], status: .notFound)
    }
}
