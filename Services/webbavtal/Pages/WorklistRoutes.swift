import AvtalBackOffice
import AvtalDomain
import AvtalRuntime
import Foundation
import Hummingbird
import PostgresNIO

/// MKA's worklist: the contracts that need MKA (or any state), oldest first, filtered by reason, channel and age, and
/// searched by contract id, personnummer, organisationsnummer, anläggnings-ID, customer name or partner reference.
extension BackOfficePages {
    static let worklistLimit = 200

    func addWorklist(to router: Router<AvtalRequestContext>) {
        // The filters may come in the URL; a search term only in a posted form, since it may be a personnummer or a
        // name, and the Lime link is the only URL that carries personal data.
        router.get("mka") { request, context -> Response in
            try await auth.guarded(request, context, role: .mka) { _, session in
                var fields = FormFields(urlEncoded: request.uri.query ?? "")
                fields["q"] = nil
                return try await worklistPage(fields, session: session)
            }
        }
        router.post("mka") { request, context -> Response in
            try await auth.guarded(request, context, role: .mka) { body, session in
                try await worklistPage(body.fields, session: session)
            }
        }
        // Gördis: the special contracts from FOA, for MKA to post-process and finalize, and their exports.
        router.get("gordis") { request, context -> Response in
            try await auth.guarded(request, context, role: .mka) { _, session in
                try await worklistPage(FormFields(), session: session, gordis: true)
            }
        }
    }

    private func worklistPage(_ fields: FormFields, session: SessionStore.Session, gordis: Bool = false) async throws -> Response {
        let now = Date()
        var query = WorklistQuery(fields, today: CivilDate(swedishDateAt: now))
        if gordis { query.states = WorklistQuery.gordis }
        let (rows, total) = try await worklist(query, now: now)
        var page = BackOfficeAuth.banner(session)
        page.merge(WorklistView.context(query, rows: rows, total: total, limit: Self.worklistLimit)) { $1 }
        return auth.page("worklist", page)
    }

    private func worklist(_ query: WorklistQuery, now: Date) async throws -> ([WorklistView.Row], Int) {
        var id: UUID?
        var personnummer: String?
        var organisationsnummer: String?
        var meteringPoint: String?
        var text: String?
        switch query.search {
        case .contractId(let value): id = value
        case .personnummer(let value): personnummer = value
        case .organisationsnummer(let value): organisationsnummer = value
        case .meteringPoint(let value): meteringPoint = value
        case .text(let value): text = value
        case nil: break
        }
        let states = query.states?.map(\.rawValue)
        let pattern = text.map {
            "%"
                + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(
                    of: "_", with: "\\_") + "%"
        }
        let rows = try await client.query(
            """
            SELECT c.id, c.sales_channel, c.state, c.state_changed_at, c.needs_mka_reasons,
                coalesce(c.details->'customer'->>'companyName',
                    concat_ws(' ', c.details->'customer'->>'firstName', c.details->'customer'->>'lastName')),
                count(*) OVER ()
            FROM webbavtal.contracts c
            WHERE (\(states)::text[] IS NULL OR c.state = ANY (\(states)))
              AND (\(query.reason?.rawValue)::text IS NULL OR \(query.reason?.rawValue) = ANY (c.needs_mka_reasons))
              AND (\(query.channel?.rawValue)::text IS NULL OR c.sales_channel = \(query.channel?.rawValue))
              AND (\(query.changedBefore(now: now))::timestamptz IS NULL OR c.state_changed_at <= \(query.changedBefore(now: now)))
              AND (\(id)::uuid IS NULL OR c.id = \(id))
              AND (\(personnummer)::text IS NULL OR c.details->'customer'->>'personalIdentityNumber' = \(personnummer)
                   OR c.details->'signer'->>'personalIdentityNumber' = \(personnummer))
              AND (\(organisationsnummer)::text IS NULL OR c.details->'customer'->>'organizationNumber' = \(organisationsnummer))
              AND (\(meteringPoint)::text IS NULL OR c.id IN (
                   SELECT contract_id FROM webbavtal.contract_facilities WHERE metering_point_id = \(meteringPoint)))
              AND (\(text)::text IS NULL OR c.external_reference = \(text)
                   OR c.details->'customer'->>'companyName' ILIKE \(pattern)
                   OR concat_ws(' ', c.details->'customer'->>'firstName', c.details->'customer'->>'lastName') ILIKE \(pattern))
            ORDER BY c.state_changed_at, c.id
            LIMIT \(Self.worklistLimit)
            """,
            logger: logger)
        var result: [WorklistView.Row] = []
        var total = 0
        for try await (id, channel, state, since, reasons, customer, count) in rows.decode(
            (UUID, String, String, Date, [String], String, Int).self)
        {
            total = count
            result.append(
                WorklistView.Row(
                    id: id, channel: channel, state: ContractState(rawValue: state), since: since,
                    reasons: reasons.compactMap(NeedsMKAReason.init(rawValue:)), customer: customer))
        }
        return (result, total)
    }
}
