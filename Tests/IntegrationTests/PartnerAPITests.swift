import AvtalContractStore
import AvtalDomain
import AvtalTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import PartnerAPI
import PostgresNIO
import Testing
import Webbavtal

/// partner-api's routes in-process on a fresh database: intake, every error status, idempotency, isolation between
/// partners, rate limiting and the status a partner may see.
@Suite("Partner API over HTTP")
struct PartnerAPITests {
    struct API: Sendable {
        let transport: any HTTPTransport
        let client: PostgresClient
        let database: String
        let alpha: String
        let beta: String
        let limited: String
        let unlimited: String
        /// Where it listens: only for partner-api run as a process (`live`).
        let base: String?

        func post(_ body: String, key: String?, idempotencyKey: String? = nil, contentType: String = "application/json") async throws -> HTTPAnswer {
            var headers = HTTPHeaders([("Content-Type", contentType)])
            if let key { headers.add(name: "Authorization", value: "Bearer \(key)") }
            if let idempotencyKey { headers.add(name: "Idempotency-Key", value: idempotencyKey) }
            return try await transport.send(.POST, "/v1/contracts", headers: headers, body: ByteBuffer(string: body))
        }

        func get(_ path: String, key: String?) async throws -> HTTPAnswer {
            try await transport.send(.GET, path, headers: HTTPHeaders(key.map { [("Authorization", "Bearer \($0)")] } ?? []), body: nil)
        }

        func count(_ sql: String) async throws -> Int { try await TestDatabase.count(client, sql) }
    }

    /// partner-api on a fresh database with four partners: its routes in-process (HummingbirdTesting), or with `live`
    /// as a process on a port (for a client that needs one).
    static func withAPI(live: Bool = false, _ body: @escaping @Sendable (API) async throws -> Void) async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            if live {
                let process = try ServiceProcess("partner-api", environment: ServiceProcessTests.isolatedEnvironment(database: database))
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
                #expect(ready, "partner-api is not ready:\n\(process.output)")
                let base = "http://127.0.0.1:\(process.port)"
                let keys = try await addPartners(client)
                try await body(
                    API(
                        transport: LiveTransport(base: base), client: client, database: database, alpha: keys[0], beta: keys[1], limited: keys[2],
                        unlimited: keys[3],
                        base: base))
                #expect(await process.terminate() == 0)
            } else {
                try await InProcessRoutes.test(PartnerAPIService.definition, database: database) { router, _ in
                    let keys = try await addPartners(client)
                    try await body(
                        API(
                            transport: RouterTransport(client: router), client: client, database: database, alpha: keys[0], beta: keys[1],
                            limited: keys[2],
                            unlimited: keys[3], base: nil))
                }
            }
        }
    }

    /// Partners alpha and beta (1000 requests a minute), limited (3) and unlimited; their keys, in that order.
    static func addPartners(_ client: PostgresClient) async throws -> [String] {
        var keys: [String] = []
        for (id, perMinute) in [("alpha", 1000), ("beta", 1000), ("limited", 3), ("unlimited", 10_000_000)] {
            let key = APIKey.generate()
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await PartnerDirectory.upsert(
                    Partner(id: id, name: id.capitalized, channel: .partner, requestsPerMinute: perMinute), on: connection,
                    logger: TestEnvironment.logger)
                try await PartnerDirectory.add(key, to: id, on: connection, logger: TestEnvironment.logger)
            }
            keys.append(key.value)
        }
        return keys
    }

    /// A valid request body, as a partner site would send it.
    static func request(reference: String = "order-1", facility: Int = 31, personnummer: String = "640823-3234") -> [String: Any] {
        [
            "externalReference": reference,
            "customer": [
                "type": "private", "personalIdentityNumber": personnummer, "firstName": "Anna", "lastName": "Andersson",
                "email": "anna@example.se", "phone": "070-123 45 67",
                "address": ["street": "Storgatan 1", "postalCode": "11122", "city": "Stockholm"],
            ],
            "facilities": [["meteringPointId": Samples.meteringPointId(facility), "priceArea": "SE3", "annualConsumptionKwh": 12000]],
            "product": ["code": "FIXED-12"],
            "startDate": CivilDate(swedishDateAt: Date()).adding(days: 30).description,
            "consent": ["termsAccepted": true, "marketing": false],
        ]
    }

    static func json(_ object: [String: Any]) -> String {
        String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("a valid contract is stored with its event before 201, normalised, and can be read back by its partner")
    func happyPath() async throws {
        try await Self.withAPI { api in
            let answer = try await api.post(Self.json(Self.request()), key: api.alpha)
            #expect(answer.status == 201, "\(answer.body)")
            let id = try #require(answer.json["id"] as? String)
            #expect(answer.json["status"] as? String == "received")
            #expect(answer.headers.first(name: "Location") == "/v1/contracts/\(id)")
            #expect(!(answer.headers.first(name: "X-Request-Id") ?? "").isEmpty)

            #expect(try await api.count("SELECT count(*) FROM webbavtal.contracts WHERE id = '\(id)' AND partner_id = 'alpha'") == 1)
            #expect(
                try await api.count(
                    "SELECT count(*) FROM webbavtal.contracts WHERE id = '\(id)' AND details->'customer'->>'personalIdentityNumber' = '196408233234'"
                ) == 1, "the personnummer is stored as 12 digits")
            #expect(
                try await api.count(
                    "SELECT count(*) FROM partner_api.outbox WHERE message_type = 'ContractStored' AND convert_from(body, 'UTF8') ILIKE '%\(id)%'")
                    == 1
            )

            let status = try await api.get("/v1/contracts/\(id)", key: api.alpha)
            #expect(status.status == 200)
            #expect(status.json["status"] as? String == "received")
            #expect(status.json["externalReference"] as? String == "order-1")
            #expect((status.json["history"] as? [[String: Any]])?.first?["status"] as? String == "received")
        }
    }

    @Test("every invalid field is reported at once with a stable code, as problem+json, and nothing is stored")
    func validation() async throws {
        try await Self.withAPI { api in
            var body = Self.request()
            var customer = body["customer"] as! [String: Any]
            customer["personalIdentityNumber"] = "640823-3235"  // checksum
            customer["email"] = "anna.example.se"
            customer["address"] = ["street": "Storgatan 1", "postalCode": "1112", "city": "Stockholm"]
            body["customer"] = customer
            body["facilities"] = [["meteringPointId": "735999310000000007", "priceArea": "SE3"]]
            body["product"] = ["code": "GRATIS"]
            body["startDate"] = CivilDate(swedishDateAt: Date()).adding(days: 3).description
            body["consent"] = ["termsAccepted": false]
            let answer = try await api.post(Self.json(body), key: api.alpha)
            #expect(answer.status == 422)
            #expect(answer.contentType.hasPrefix("application/problem+json"))
            #expect(answer.json["type"] as? String == "https://avtalsflode.se/problems/validation")
            let errors = (answer.json["errors"] as? [[String: Any]] ?? []).map { "\($0["field"]!)=\($0["code"]!)" }
            #expect(
                Set(errors) == [
                    "customer.personalIdentityNumber=checksum", "customer.email=format", "customer.address.postalCode=format",
                    "facilities[0].meteringPointId=checksum", "product.code=unknown", "startDate=too_early", "consent.termsAccepted=must_be_true",
                ], "\(answer.body)")
            #expect(try await api.count("SELECT count(*) FROM webbavtal.contracts") == 0)
            #expect(try await api.count("SELECT count(*) FROM partner_api.outbox") == 0)
        }
    }

    @Test("401, 400, 413, 415 and 404 are problems with their own types")
    func errorStatuses() async throws {
        try await Self.withAPI { api in
            let body = Self.json(Self.request())
            let none = try await api.post(body, key: nil)
            #expect(none.status == 401)
            #expect(none.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect(try await api.post(body, key: "avtal_not-a-real-key-at-all-0000000000").status == 401)
            #expect(try await api.get("/v1/contracts/\(UUID())", key: "wrong").status == 401)

            let wrongType = try await api.post(#"{"externalReference": 5}"#, key: api.alpha)
            #expect(wrongType.status == 400)
            #expect((wrongType.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "externalReference")
            let unknownProperty = try await api.post(#"{"externalReference": "x", "colour": "blue"}"#, key: api.alpha)
            #expect(unknownProperty.status == 400)
            #expect(try await api.post("{not json", key: api.alpha).status == 400)

            let huge = try await api.post(#"{"externalReference": "\#(String(repeating: "x", count: 530_000))"}"#, key: api.alpha)
            #expect(huge.status == 413)
            let text = try await api.post(body, key: api.alpha, contentType: "text/plain")
            #expect(text.status == 415)
            let missing = try await api.get("/v1/contracts/\(UUID())", key: api.alpha)
            #expect(missing.status == 404)
            for answer in [none, wrongType, unknownProperty, huge, text, missing] {
                #expect(answer.contentType.hasPrefix("application/problem+json"), "\(answer.status): \(answer.contentType)")
                #expect((answer.json["type"] as? String)?.hasPrefix("https://avtalsflode.se/problems/") == true)
                #expect(answer.json["status"] as? Int == answer.status)
            }
            #expect(try await api.count("SELECT count(*) FROM webbavtal.contracts") == 0)
        }
    }

    @Test("the same Idempotency-Key replays the answer, another body under it is 422, the same reference again is 409")
    func idempotency() async throws {
        try await Self.withAPI { api in
            let body = Self.json(Self.request(reference: "order-7"))
            let first = try await api.post(body, key: api.alpha, idempotencyKey: "retry-7")
            let again = try await api.post(body, key: api.alpha, idempotencyKey: "retry-7")
            #expect(first.status == 201)
            #expect(again.status == 201)
            #expect(again.json["id"] as? String == first.json["id"] as? String)
            #expect(again.json["receivedAt"] as? String == first.json["receivedAt"] as? String)

            let other = try await api.post(Self.json(Self.request(reference: "order-8")), key: api.alpha, idempotencyKey: "retry-7")
            #expect(other.status == 422)
            #expect(other.json["type"] as? String == "https://avtalsflode.se/problems/idempotency-key-reused")

            let duplicate = try await api.post(body, key: api.alpha)
            #expect(duplicate.status == 409)
            #expect(duplicate.json["existingId"] as? String == first.json["id"] as? String)
            #expect(try await api.count("SELECT count(*) FROM webbavtal.contracts") == 1)

            // Another partner may use the same reference and the same idempotency key: they are per partner.
            let beta = try await api.post(body, key: api.beta, idempotencyKey: "retry-7")
            #expect(beta.status == 201)
            #expect(beta.json["id"] as? String != first.json["id"] as? String)
        }
    }

    @Test("concurrent retries with one Idempotency-Key store one contract and all get its id")
    func concurrentRetries() async throws {
        try await Self.withAPI { api in
            let body = Self.json(Self.request(reference: "order-race"))
            let answers = try await withThrowingTaskGroup(of: HTTPAnswer.self) { group in
                for _ in 0..<8 { group.addTask { try await api.post(body, key: api.alpha, idempotencyKey: "race") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(answers.allSatisfy { $0.status == 201 }, "\(answers.map(\.status))")
            #expect(Set(answers.compactMap { $0.json["id"] as? String }).count == 1)
            #expect(try await api.count("SELECT count(*) FROM webbavtal.contracts") == 1)
        }
    }

    @Test("a partner sees only its own contracts, and a review shows only as under_review with what it can act on")
    func isolationAndStatus() async throws {
        try await Self.withAPI { api in
            var body = Self.request(reference: "order-9")
            body["facilities"] = [["priceArea": "SE3"]]  // no anläggnings-ID: MKA completes it
            let created = try await api.post(Self.json(body), key: api.alpha)
            let id = try #require(UUID(uuidString: created.json["id"] as? String ?? ""))
            #expect(try await api.get("/v1/contracts/\(id)", key: api.beta).status == 404)

            // kontroll's verdict, applied as webbavtal would: a denied credit check and the missing facility id.
            let lifecycle = ContractLifecycle(logger: TestEnvironment.logger)
            _ = try await api.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await lifecycle.apply(
                    .needsMKA(reasons: [.creditDenied, .facilityIdMissing]), to: id, by: .service("kontroll"), now: Date(), on: connection)
            }
            let status = try await api.get("/v1/contracts/\(id)", key: api.alpha)
            #expect(status.status == 200)
            #expect(status.json["status"] as? String == "under_review")
            let actions = status.json["actions"] as? [[String: Any]] ?? []
            #expect(actions.map { $0["code"] as? String } == ["facility_id_missing"])
            #expect(actions.first?["field"] as? String == "facilities[0].meteringPointId")
            #expect(!status.body.lowercased().contains("credit"), "a partner never learns of a credit check: \(status.body)")
            let history = (status.json["history"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
            #expect(history == ["received", "under_review"])
        }
    }

    @Test("past the partner's rate limit: 429 with Retry-After, other partners unaffected")
    func rateLimit() async throws {
        try await Self.withAPI { api in
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await api.get("/v1/contracts/\(UUID())", key: api.limited).status) }
            #expect(statuses == [404, 404, 404, 429])
            let limited = try await api.get("/v1/contracts/\(UUID())", key: api.limited)
            #expect(limited.status == 429)
            #expect(Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
            #expect(limited.json["type"] as? String == "https://avtalsflode.se/problems/rate-limited")
            #expect(try await api.get("/v1/contracts/\(UUID())", key: api.alpha).status == 404)
        }
    }

    @Test("the rate limit holds across replicas: a second partner-api on the same database counts the same requests")
    func rateLimitAcrossReplicas() async throws {
        try await Self.withAPI { api in
            try await InProcessRoutes.test(PartnerAPIService.definition, database: api.database) { second, _ in
                let replica = API(
                    transport: RouterTransport(client: second), client: api.client, database: api.database, alpha: api.alpha, beta: api.beta,
                    limited: api.limited,
                    unlimited: api.unlimited, base: nil)
                var statuses: [Int] = []
                for index in 0..<4 {
                    let answering = index.isMultiple(of: 2) ? api : replica
                    statuses.append(try await answering.get("/v1/contracts/\(UUID())", key: api.limited).status)
                }
                #expect(statuses == [404, 404, 404, 429], "3 a minute in all, not 3 per replica")
                let limited = try await replica.get("/v1/contracts/\(UUID())", key: api.limited)
                #expect(limited.status == 429 && Int(limited.headers.first(name: "Retry-After") ?? "") ?? 0 >= 1)
            }
        }
    }

    @Test("a busy partner's requests take a second's worth of its bucket at a time, and never more than the bucket holds")
    func rateLimitLeases() async throws {
        try await Self.withAPI { api in
            let limiter = RateLimiter(client: api.client, logger: Logger(label: "test"))
            func tokens(_ partner: String) async throws -> Double {
                let rows = try await api.client.query("SELECT tokens FROM partner_api.rate_buckets WHERE partner_id = \(partner)")
                for try await value in rows.decode(Double.self) { return value }
                return -1
            }
            // 1 000 a minute: leases of 16 (1000 / 60).
            #expect(RateLimiter.leaseSize(perMinute: 1000) == 16)
            let start = ContinuousClock.now
            #expect(try await limiter.admit(partner: "busy", perMinute: 1000) == .allowed)
            let afterFirst = try await tokens("busy")
            #expect(afterFirst == 1000 - 16, "the first request leased 16 tokens")
            for _ in 1..<16 { #expect(try await limiter.admit(partner: "busy", perMinute: 1000) == .allowed) }
            #expect(try await tokens("busy") == afterFirst, "the lease's other 15 requests did not ask the bucket")
            #expect(try await limiter.admit(partner: "busy", perMinute: 1000) == .allowed)
            let afterSecond = try await tokens("busy")
            // 16 fewer, plus what flowed in since the first lease (1000 a minute), at most as long as it all took.
            let took = (ContinuousClock.now - start).components
            let refill = 1000.0 / 60 * (Double(took.seconds) + Double(took.attoseconds) / 1e18)
            #expect(afterSecond >= afterFirst - 16 && afterSecond < afterFirst - 16 + refill, "the 17th request leased 16 more: \(afterSecond)")

            // 120 a minute (leases of 2): 200 requests at once are admitted for the 120 in the bucket, plus the
            // two a second that flow in meanwhile, and no more; two replicas share the bucket.
            let other = RateLimiter(client: api.client, logger: Logger(label: "test"))
            let started = ContinuousClock.now
            var allowed = 0
            for index in 0..<200 where try await (index.isMultiple(of: 2) ? limiter : other).admit(partner: "burst", perMinute: 120) == .allowed {
                allowed += 1
            }
            let elapsed = Double((ContinuousClock.now - started).components.seconds) + 1  // whole seconds, rounded up
            #expect(allowed >= 120 && Double(allowed) <= 120 + 2 * elapsed + 2, "\(allowed) admitted in under \(elapsed) s")
            // The old behaviour for a small limit: one token at a time.
            #expect(RateLimiter.leaseSize(perMinute: 3) == 1 && RateLimiter.leaseSize(perMinute: 100_000_000) == 50)
        }
    }

    @Test("our own web and app (a key of channel ownWeb): stored as ownWeb, shown as its own channel in the back office")
    func ownWebChannel() async throws {
        try await Self.withAPI { api in
            let key = APIKey.generate()
            try await api.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await PartnerDirectory.upsert(
                    Partner(id: "mina-sidor", name: "Mina sidor", channel: .ownWeb, requestsPerMinute: 1000), on: connection,
                    logger: TestEnvironment.logger)
                try await PartnerDirectory.add(key, to: "mina-sidor", on: connection, logger: TestEnvironment.logger)
            }
            let answer = try await api.post(Self.json(Self.request(reference: "app-1", facility: 611)), key: key.value)
            #expect(answer.status == 201, "\(answer.body)")
            let id = try #require(answer.json["id"] as? String)
            #expect(try await api.count("SELECT count(*) FROM webbavtal.contracts WHERE id = '\(id)' AND sales_channel = 'ownWeb'") == 1)
            #expect(try await api.get("/v1/contracts/\(id)", key: key.value).status == 200, "our own web reads its contract back")
            #expect(try await api.get("/v1/contracts/\(id)", key: api.alpha).status == 404, "a partner does not see it")

            try await BackOfficeTests.withRoutes("webbavtal", database: api.database) { office in
                try await BackOfficeTests.addUsers(office.client)
                let mona = office.browser()
                try await mona.get("/login")
                #expect(try await mona.post("/login", form: ["username": "mona", "password": "mona-secret-123", "_csrf": mona.csrf]).status == 303)
                let page = try await mona.get("/contracts/\(id)")
                #expect(page.status == 200 && page.body.contains("Egen webb/app (mina-sidor: app-1)"), "\(page.body.prefix(3000))")
                let listed = try await mona.get("/mka?state=all&channel=ownWeb")
                #expect(listed.body.contains(id) && listed.body.contains("Egen webb/app"))
                #expect(!(try await mona.get("/mka?state=all&channel=partner")).body.contains(id), "not among the partners' contracts")
            }
        }
    }

    @Test("a mass contract of 1 000 facilities, each with an address, fits the body limit and is stored whole")
    func thousandFacilities() async throws {
        try await Self.withAPI { api in
            var request = Self.request(reference: "mass-1")
            request["facilities"] = (1...1_000).map {
                [
                    "meteringPointId": Samples.meteringPointId(10 * $0 + 3), "priceArea": "SE3", "annualConsumptionKwh": 120_000,
                    "address": ["street": "Industrivägen \($0)", "postalCode": "11122", "city": "Stockholm"],
                ] as [String: Any]
            }
            let body = Self.json(request)
            print("a request of 1 000 facilities with addresses: \(body.utf8.count / 1024) KiB (the limit is 512 KiB)")
            let answer = try await api.post(body, key: api.unlimited)
            #expect(answer.status == 201, "\(answer.body.prefix(500))")
            let id = try #require(answer.json["id"] as? String)
            #expect(try await api.count("SELECT count(*) FROM webbavtal.contract_facilities WHERE contract_id = '\(id)'") == 1_000)
        }
    }

    @Test("the OpenAPI document and the product catalogue are served without a key")
    func documentAndProducts() async throws {
        try await Self.withAPI { api in
            let document = try await api.get("/v1/openapi.yaml", key: nil)
            #expect(document.status == 200)
            #expect(document.body.hasPrefix("openapi: 3.1.0"))
            let products = try await api.get("/v1/products", key: nil)
            #expect(products.status == 200)
            let codes = (products.json["products"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
            #expect(codes == ProductCatalogue.current.products.map(\.code))
        }
    }
}
