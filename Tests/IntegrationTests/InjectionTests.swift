import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import PostgresNIO
import Testing
import Webbavtal

/// SQL and HTML injection attempts in every free-text field, at the partner API, the internal form and the back
/// office's pages and search: each is stored as the text it is (or refused with a clear error), never run, and shown
/// escaped.
@Suite("Injection attempts")
struct InjectionTests {
    static let sql = "Robert'); DROP TABLE webbavtal.contracts;--"
    static let script = "<script>alert('x')</script>"
    static let attribute = "\"><img src=x onerror=alert(1)>"
    static let tautology = "' OR '1'='1"

    @Test("the partner API stores hostile text as text, and the tables are all still there")
    func partnerAPI() async throws {
        try await PartnerAPITests.withAPI { api in
            var body = PartnerAPITests.request(reference: Self.tautology)
            body["customer"] = [
                "type": "private", "personalIdentityNumber": "640823-3234", "firstName": Self.sql, "lastName": Self.script,
                "email": "anna@example.se", "phone": "070-123 45 67",
                "address": ["street": Self.attribute, "postalCode": "11122", "city": Self.tautology],
            ]
            let created = try await api.post(PartnerAPITests.json(body), key: api.alpha)
            #expect(created.status == 201, "\(created.body)")
            let rows = try await api.client.query(
                """
                SELECT external_reference, details->'customer'->>'firstName', details->'customer'->>'lastName',
                    details->'customer'->'address'->>'street', details->'customer'->'address'->>'city' FROM webbavtal.contracts
                """)
            var stored: [(String?, String, String, String, String)] = []
            for try await row in rows.decode((String?, String, String, String, String).self) { stored.append(row) }
            #expect(stored.count == 1)
            #expect(stored.first?.0 == Self.tautology && stored.first?.1 == Self.sql && stored.first?.2 == Self.script)
            #expect(stored.first?.3 == Self.attribute && stored.first?.4 == Self.tautology)

            // Identifiers are not free text: hostile ones are refused with the field named, and nothing is stored.
            var bad = PartnerAPITests.request(reference: "order-2", facility: 32)
            bad["customer"] = [
                "type": "private", "personalIdentityNumber": Self.tautology, "firstName": "Anna", "lastName": "Andersson",
                "email": "anna@example.se' --", "address": ["street": "Storgatan 1", "postalCode": "11122", "city": "Stockholm"],
            ]
            let refused = try await api.post(PartnerAPITests.json(bad), key: api.alpha)
            #expect(refused.status == 422)
            let fields = (refused.json["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String }
            #expect(fields.contains("customer.personalIdentityNumber") && fields.contains("customer.email"), "\(refused.body)")
            #expect(
                try await api.get("/v1/contracts/\(Self.tautology.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", key: api.alpha)
                    .status == 404)
            #expect(try await api.count("SELECT count(*) FROM webbavtal.contracts") == 1)
            #expect(try await api.count("SELECT count(*) FROM webbavtal.audit_trail") >= 1)
        }
    }

    @Test("the back office shows hostile text escaped, searches for it literally, and the internal form keeps it as typed")
    func backOffice() async throws {
        try await BackOfficeTests.withOffice { office in
            let store = ContractStore(logger: TestEnvironment.logger)
            let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
            let id = try await office.client.withTransaction(logger: TestEnvironment.logger) { connection -> UUID in
                var details = Samples.privateContract(facility: 51)
                details.startDate = CivilDate(swedishDateAt: Date()).adding(days: 30)
                details.customer.firstName = Self.script
                details.customer.lastName = Self.sql
                details.customer.address.street = Self.attribute
                guard case .created(let stored) = try await store.insert(details, by: .partner("test"), now: Date(), on: connection) else {
                    throw SetupError("not created")
                }
                _ = try await lifecycle.apply(
                    .needsMKA(reasons: [NeedsMKAReason.creditDenied]), to: stored.id, by: .service("kontroll"), now: Date(), on: connection)
                return stored.id
            }
            let mka = try await office.logIn("mona", "mona-secret-123")
            for path in ["/contracts/\(id)", "/mka"] {
                let page = try await mka.get(path)
                #expect(page.status == 200)
                #expect(!page.body.contains(Self.script) && !page.body.contains("<img src=x"), "\(path) shows hostile text raw")
                #expect(page.body.contains("&lt;script&gt;"), "\(path) shows the name escaped")
            }
            func search(_ text: String) async throws -> String {
                try await mka.get("/mka")
                let answer = try await mka.post("/mka", form: ["_csrf": mka.csrf, "q": text, "state": "all"])
                #expect(answer.status == 200)
                return answer.body
            }
            #expect(try await search(Self.tautology).contains("0 avtal"), "a tautology matches nothing")
            #expect(try await search("%").contains("0 avtal"), "a wildcard is a literal character")
            #expect(try await search("DROP TABLE").contains(id.uuidString.lowercased()), "the name is found as text")

            let seller = try await office.logIn("sara", "sara-secret-123")
            try await seller.get("/contracts/new")
            var fields = InternalFormTests.filledForm(seller)
            fields["customer.firstName"] = Self.script
            fields["customer.address.city"] = Self.attribute
            fields["customer.personalIdentityNumber"] = Self.tautology
            let wrong = try await seller.post("/contracts/new", form: fields)
            #expect(wrong.status == 422)
            #expect(!wrong.body.contains(Self.script) && !wrong.body.contains("<img src=x"), "typed text is echoed escaped")
            #expect(wrong.body.contains("&lt;script&gt;"))
            fields["customer.personalIdentityNumber"] = "19640823-3234"
            let saved = try await seller.post("/contracts/new", form: fields)
            #expect(saved.status == 303, "\(saved.body.prefix(1500))")
            let names = try await office.client.query(
                "SELECT details->'customer'->>'firstName', details->'customer'->'address'->>'city' FROM webbavtal.contracts WHERE created_by = 'user:sara'"
            )
            var typed: [(String, String)] = []
            for try await row in names.decode((String, String).self) { typed.append(row) }
            #expect(typed.count == 1 && typed.first?.0 == Self.script && typed.first?.1 == Self.attribute)
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts") == 2)

            // A form post over 256 KiB is refused before it is read; one no page of ours could send is 400.
            try await seller.get("/contracts/new")
            var huge = InternalFormTests.filledForm(seller)
            huge["customer.address.street"] = String(repeating: "x", count: 300 * 1024)
            #expect(try await seller.post("/contracts/new", form: huge).status == 413)
            try await seller.get("/contracts/new")
            let garbage = try await seller.post("/contracts/new", form: ["_csrf": seller.csrf, "kind": "\u{0}%%%", "facilities[": "]"])
            #expect(garbage.status == 400 && garbage.body.contains("Formuläret kunde inte läsas"), "\(garbage.status)")
            #expect(try await TestDatabase.count(office.client, "SELECT count(*) FROM webbavtal.contracts") == 2)
        }
    }
}
