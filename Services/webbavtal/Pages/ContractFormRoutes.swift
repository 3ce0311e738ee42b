import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import AvtalRuntime
import AvtalSecrets
import Foundation
import Hummingbird
import PostgresNIO

/// The internal (green) form: the link from Lime, the form, and saving it as a telesales or customer-service
/// contract. The Lime link's query is read once, kept on the server and never logged.
extension BackOfficePages {
    func addContractForm(to router: Router<AvtalRequestContext>) {
        router.get("lime/contract") { request, context -> Response in
            // Anyone may follow the link: the data waits on the server under a token, and the seller goes on (through
            // the login page if need be) to the form, which claims it.
            let prefill = LimeLink.prefill(FormFields(urlEncoded: request.uri.query ?? ""), onto: ContractForm())
            guard let token = try await prefills.keep(prefill.fields.values, clientAddress: context.clientAddress) else {
                return PrefillStore.tooMany(auth)
            }
            return BackOfficeAuth.redirect("/contracts/new?prefill=" + token)
        }
        router.get("contracts/new") { request, context -> Response in
            try await auth.guarded(request, context, roles: Self.sellers, keepQuery: true) { _, session in
                var form = ContractForm.blank(today: CivilDate(swedishDateAt: Date()))
                if let token = request.uri.queryParameters["prefill"] {
                    let fields = try await prefills.open(String(token), for: session.user.username)
                    for (name, value) in fields ?? [:] { form.fields[name] = value }
                }
                return formPage(form, errors: FieldErrors(), formId: SecretTokens.random(), session: session)
            }
        }
        router.post("contracts/new") { request, context -> Response in
            try await auth.guarded(request, context, roles: Self.sellers) { body, session in
                var fields = body.fields
                let formId = fields.text("formId") ?? ""
                guard (16...64).contains(formId.count) else {
                    return auth.page(
                        "error", ["title": "Formuläret saknar sitt id", "message": "Öppna formuläret på nytt och spara igen."], status: .badRequest)
                }
                fields["_csrf"] = nil
                fields["formId"] = nil
                // An uploaded spreadsheet's rows join the typed lines, and are shown as such if anything is wrong.
                var uploaded: (file: String, lines: Int)?
                if let file = body.files["facilitiesFile"] {
                    switch FacilityFile.lines(file) {
                    case .success(let lines):
                        let typed = fields["facilities"].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
                        fields["facilities"] = ((typed.isEmpty ? [] : [typed]) + lines).joined(separator: "\n")
                        uploaded = (file.filename, lines.count)
                    case .failure(let problem):
                        let issue = FacilityFile.issue(problem)
                        return formPage(
                            ContractForm(fields), errors: FieldErrors(ValidationFailure(issues: [issue])), formId: formId, session: session,
                            status: .unprocessableContent)
                    }
                }
                let form = ContractForm(fields)
                let now = Date()
                // A kind the seller's role does not sell is refused before anything else is looked at.
                if let kind = fields.text("kind").flatMap(ContractKind.init(rawValue:)), !session.user.role.formKinds.contains(kind) {
                    let refused = ValidationFailure(issues: [
                        ValidationIssue(field: "kind", code: "not_allowed", message: "only business sellers create \(kind.rawValue) contracts")
                    ])
                    return formPage(form, errors: FieldErrors(refused), formId: formId, session: session, status: .forbidden)
                }
                switch form.details(seller: session.user.username, catalogue: catalogue, today: CivilDate(swedishDateAt: now)) {
                case .failure(let failure):
                    return formPage(
                        form, errors: FieldErrors(failure), formId: formId, session: session, uploaded: uploaded, status: .unprocessableContent)
                case .success(let details):
                    do {
                        let id = try await save(details, formId: formId, by: session.user.username, now: now)
                        return BackOfficeAuth.redirect("/contracts/\(id.uuidString.lowercased())?done=saved")
                    } catch let failure as ValidationFailure {
                        return formPage(form, errors: FieldErrors(failure), formId: formId, session: session, status: .unprocessableContent)
                    }
                }
            }
        }
    }

    /// Stores the contract and records the form as saved, in one transaction; a form saved before answers the
    /// contract it created then.
    private func save(_ details: ContractDetails, formId: String, by username: String, now: Date) async throws -> UUID {
        struct SavedBefore: Error {}
        do {
            return try await client.withTransaction(logger: logger) { connection in
                if let existing = try await submissions.contract(of: formId, on: connection) { return existing }
                let id: UUID
                switch try await store.insert(details, by: .user(username), now: now, on: connection) {
                case .created(let contract): id = contract.id
                case .existingReference(let existing): id = existing
                }
                guard try await submissions.record(formId, created: id, by: username, on: connection) else { throw SavedBefore() }
                logger.info("contract saved from the internal form", metadata: ["avtal.contract.id": "\(id)", "avtal.user": "\(username)"])
                return id
            }
        } catch is SavedBefore {
            // A second post of the same form raced the first; the first's contract stands, this one was rolled back.
            return try await client.withConnection { connection in
                guard let id = try await submissions.contract(of: formId, on: connection) else { throw SavedBefore() }
                return id
            }
        }
    }

    private func formPage(
        _ form: ContractForm, errors: FieldErrors, formId: String, session: SessionStore.Session, uploaded: (file: String, lines: Int)? = nil,
        status: HTTPResponse.Status = .ok
    ) -> Response {
        var page = BackOfficeAuth.banner(session)
        let kinds = session.user.role.formKinds
        let fields = blankFields.html(for: form, errors: errors, kinds: kinds, today: CivilDate(swedishDateAt: Date())) {
            let context = FormView.context(form, errors: errors, catalogue: catalogue, kinds: kinds)
            page.merge(context) { $1 }
            return auth.pages.render("contract-fields", context)
        }
        // Rendered by the `contract-fields` template, which escapes every value in it.
        page["contractFields"] = fields
        page["formId"] = formId
        if let uploaded {
            page["uploaded"] = "\(uploaded.lines) rader från \(uploaded.file) står nu i listan nedan; rätta de markerade raderna där och spara igen."
        }
        return auth.page("new-contract", page, status: status)
    }
}
