import AvtalBackOffice
import AvtalContractStore
import AvtalDomain
import Foundation
import Hummingbird
import Logging
import PostgresNIO

/// webbavtal's back-office pages: the start page, MKA's worklist and the contract page (the internal form and MKA's
/// actions follow in issue 6's next steps).
enum BackOfficePages {
    static func add(to router: Router<BasicRequestContext>, auth: BackOfficeAuth, client: PostgresClient, logger: Logger) {
        let store = ContractStore(logger: logger)
        router.get("contracts/:id") { request, context -> Response in
            try await auth.guarded(request, context, role: .mka) { _, session in
                guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)),
                    let (contract, trail) = try await client.withConnection({ connection -> (StoredContract, [AuditRecord])? in
                        guard let contract = try await store.contract(id, on: connection) else { return nil }
                        return (contract, try await store.auditTrail(id, on: connection))
                    })
                else {
                    return auth.page("error", ["title": "Avtalet finns inte", "message": "Inget avtal har det id:t."], status: .notFound)
                }
                var page = BackOfficeAuth.banner(session)
                page.merge(ContractPage.context(contract, trail: trail)) { $1 }
                return auth.page("contract", page)
            }
        }
        auth.addLoginRoutes(to: router)
        router.get("/") { request, context -> Response in
            try await auth.guarded(request, context, role: nil) { _, session in auth.page("home", BackOfficeAuth.banner(session)) }
        }
        router.get("mka") { request, context -> Response in
            try await auth.guarded(request, context, role: .mka) { _, session in
                let rows = try await client.query(
                    """
                    SELECT id, sales_channel, state_changed_at, needs_mka_reasons FROM webbavtal.contracts
                    WHERE state = 'needsMKA' ORDER BY state_changed_at, id LIMIT 200
                    """,
                    logger: logger)
                let formatter = ISO8601DateFormatter()
                var contracts: [[String: Any]] = []
                for try await (id, channel, since, reasons) in rows.decode((UUID, String, Date, [String]).self) {
                    contracts.append([
                        "id": id.uuidString.lowercased(), "channel": channel, "since": formatter.string(from: since),
                        "reasons": reasons.joined(separator: ", "),
                    ])
                }
                var page = BackOfficeAuth.banner(session)
                page["contracts"] = contracts
                page["count"] = contracts.count
                return auth.page("worklist", page)
            }
        }
    }
}
