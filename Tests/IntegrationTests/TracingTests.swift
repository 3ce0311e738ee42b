import AvtalTestSupport
import Foundation
import NIOHTTP1
import PostgresNIO
import Testing

/// One trace per contract, across every hop: all five services and the sandbox as processes exporting over
/// OTLP/HTTP (protobuf, the default) to a receiver of our own (`Tests/otlp/otlp-receiver.py`, which decodes with
/// OpenTelemetry's own message definitions), a phone sale from the seller's form to `signed` and a partner's contract
/// to `approved`.
@Suite("Tracing: one trace per contract", .serialized)
struct TracingTests {
    /// A span as the receiver answers it.
    struct Span {
        let service: String
        let traceId: String
        let spanId: String
        let parentSpanId: String
        let name: String
        let kind: String
        let attributes: [String: Any]
        let links: [(traceId: String, spanId: String)]
        let raw: String

        init(_ json: [String: Any]) throws {
            service = json["service"] as? String ?? ""
            traceId = json["traceId"] as? String ?? ""
            spanId = json["spanId"] as? String ?? ""
            parentSpanId = json["parentSpanId"] as? String ?? ""
            name = json["name"] as? String ?? ""
            kind = json["kind"] as? String ?? ""
            attributes = json["attributes"] as? [String: Any] ?? [:]
            links = (json["links"] as? [[String: Any]] ?? []).map { ($0["traceId"] as? String ?? "", $0["spanId"] as? String ?? "") }
            raw = String(decoding: try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    /// The OTLP receiver as a process on a free port.
    static func receiver() throws -> ServiceProcess {
        let python = TestEnvironment.environment["AVTAL_PYTHON"] ?? "python3"
        let port = try freePort()
        let script = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/otlp/otlp-receiver.py").path
        return try ServiceProcess(name: "otlp-receiver", path: python, arguments: [script, "\(port)"], port: port)
    }

    static func spans(_ receiver: ServiceProcess) async throws -> [Span] {
        let answer = try #require(await receiver.get("/spans"))
        let list = try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [[String: Any]] ?? []
        return try list.map(Span.init)
    }

    /// The personal data the two contracts carry, in every form it could take: none may be in any span.
    static let personalData = [
        "196408233234", "19640823-3234", "6408233234", "640823-3234", "Anna", "Andersson", "anna@example.se", "0701234567",
        "070-123 45 67", "Storgatan", "11122", "111 22", "test-secret",
    ]

    @Test(
        "a phone sale from the form to signed and a partner's contract to approved: each one trace, every hop in it, parents across the broker, no personal data; logs in JSON carry the trace id; MKA's page links to it"
    )
    func oneTracePerContract() async throws {
        try await TestDatabase.withFreshDatabase { client, database in
            let receiver = try Self.receiver()
            #expect(await eventually(timeout: .seconds(20)) { await receiver.get("/health")?.status == 200 }, "\(receiver.output)")
            let sandbox = try ServiceProcess("sandbox", environment: ["SANDBOX_GETACCEPT_SIGN_AFTER_MS": "3000"])
            var environment = ServiceProcessTests.isolatedEnvironment(database: database)
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:\(receiver.port)"
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "100"
            for key in ["REGISTER_URL", "CREDIT_BUREAU_URL", "MAIL_GATEWAY_URL"] { environment[key] = "http://127.0.0.1:\(sandbox.port)" }
            environment["GETACCEPT_URL"] = "http://127.0.0.1:\(sandbox.port)/getaccept/v1"
            environment["GETACCEPT_WEBHOOK_SECRET"] = "test-secret"
            let webbavtal = try ServiceProcess(
                "webbavtal",
                environment: environment.merging(["LOG_FORMAT": "json", "TRACE_LINK": "https://traces.example/trace/{traceId}"]) { $1 })
            let others = try ["kontroll", "signering", "partner-api"].map { try ServiceProcess($0, environment: environment) }
            for process in [sandbox, webbavtal] + others {
                let ready = await eventually(timeout: .seconds(60), every: .milliseconds(100)) { await process.admin("/ready")?.status == 200 }
                #expect(ready, "\(process.name) is not ready:\n\(process.output)")
            }
            try await BackOfficeTests.addUsers(client)
            let keys = try await PartnerAPITests.addPartners(client)

            // A seller's phone sale (we called: it needs a signature), through the form.
            let base = "http://127.0.0.1:\(webbavtal.port)"
            let office = BackOfficeTests.Office(
                transport: LiveTransport(base: base), client: client, database: database, log: { webbavtal.output }, base: base)
            let sara = try await office.logIn("sara", "sara-secret-123")
            try await sara.get("/contracts/new")
            var fields = InternalFormTests.filledForm(sara)
            fields["callDirection"] = "outbound"
            fields["signatureMethod"] = "sms"
            // A facility the sandbox's register has in SE3, as the form says: nothing for MKA to look at.
            fields["facilities"] = "\(Samples.meteringPointId(43)); SE3; 12000"
            let saved = try await sara.post("/contracts/new", form: fields)
            #expect(saved.status == 303, "\(saved.body.prefix(1000))")
            // A partner's contract, through the partner API.
            let submitted = try await HTTPCall.send(
                .POST, "http://127.0.0.1:\(others[2].port)/v1/contracts",
                headers: [("Content-Type", "application/json"), ("Authorization", "Bearer \(keys[0])")],
                body: PartnerAPITests.json(PartnerAPITests.request(reference: "trace-1", facility: 33)))
            #expect(submitted.status == 201, "\(submitted.body)")

            func contract(_ channel: String) async throws -> (id: String, state: String, traceparent: String?)? {
                let rows = try await client.query(
                    "SELECT id::text, state, traceparent FROM webbavtal.contracts WHERE sales_channel = \(channel)", logger: TestEnvironment.logger)
                for try await row in rows.decode((String, String, String?).self) { return row }
                return nil
            }
            #expect(await eventually(timeout: .seconds(60)) { (try? await contract("telesales"))??.state == "signed" }, "the phone sale is signed")
            #expect(await eventually(timeout: .seconds(60)) { (try? await contract("partner"))??.state == "approved" }, "the partner's is approved")
            let sale = try #require(try await contract("telesales"))
            let partnerContract = try #require(try await contract("partner"))
            let saleTrace = try #require(sale.traceparent.map { String($0.split(separator: "-")[1]) }, "the contract keeps its trace")
            let partnerTrace = try #require(partnerContract.traceparent.map { String($0.split(separator: "-")[1]) })
            #expect(saleTrace != partnerTrace)

            // Every span of the sale's trace arrives: the last hop is webbavtal's `signed` transition.
            let expected: [(service: String, name: String)] = [
                ("webbavtal", "POST /contracts/new"), ("webbavtal", "contract store"), ("webbavtal", "contract.stored.standard publish"),
                ("kontroll", "ContractStored process"), ("kontroll", "customer register customer lookup"),
                ("kontroll", "customer register facility lookup"), ("webbavtal", "CreditChecked process"),
                ("webbavtal", "lifecycle creditChecked"),
                ("webbavtal", "contract.approved publish"), ("signering", "ContractApproved process"), ("signering", "getaccept CreateDocument"),
                ("signering", "signing webhook read"), ("signering", "signing webhook settle"), ("signering", "contract.signed publish"),
                ("webbavtal", "ContractSigned process"), ("webbavtal", "lifecycle contractSigned"),
            ]
            var spans: [Span] = []
            var trace: [Span] = []
            let complete = await eventually(timeout: .seconds(30)) {
                spans = (try? await Self.spans(receiver)) ?? []
                trace = spans.filter { $0.traceId == saleTrace }
                return expected.allSatisfy { step in trace.contains { $0.service == step.service && $0.name == step.name } }
            }
            let names = trace.map { "\($0.service): \($0.name) [\($0.kind)]" }.sorted()
            #expect(
                complete,
                "the sale's trace lacks \(expected.filter { step in !trace.contains { $0.service == step.service && $0.name == step.name } }); it has \(names)"
            )

            // One tree: a single root (the form's POST), every other span's parent in the same trace.
            let ids = Set(trace.map(\.spanId))
            let roots = trace.filter { !ids.contains($0.parentSpanId) }
            #expect(roots.map(\.name) == ["POST /contracts/new"], "roots: \(roots.map(\.name)) of \(names)")
            #expect(roots.first?.parentSpanId == "", "the root has no parent")
            // Across the broker: each consumer span is the child of the producer span that published its message,
            // in another process (the relay of the service whose outbox held it).
            let byId = Dictionary(trace.map { ($0.spanId, $0) }, uniquingKeysWith: { first, _ in first })
            let consumers = trace.filter { $0.kind == "CONSUMER" }
            #expect(consumers.count >= 3, "\(names)")
            for consumer in consumers {
                let parent = byId[consumer.parentSpanId]
                #expect(parent?.kind == "PRODUCER", "\(consumer.service): \(consumer.name)'s parent is \(String(describing: parent?.name))")
            }
            let approvedBy = consumers.first { $0.name == "ContractApproved process" }
            #expect(approvedBy.flatMap { byId[$0.parentSpanId] }?.service == "webbavtal", "signering's span is a child of webbavtal's publish")
            // GetAccept's webhook starts a trace of its own (GetAccept knows none of ours); its handling joins the
            // contract's and links back to it.
            let read = trace.first { $0.name == "signing webhook read" }
            let webhookTrace = read?.links.first?.traceId
            #expect(webhookTrace != nil && webhookTrace != saleTrace, "the webhook's handling links to the webhook's own trace")
            let webhookSpans = spans.filter { $0.traceId == webhookTrace }
            #expect(webhookSpans.contains { $0.name == "POST /webhooks/getaccept/{secret}" && $0.kind == "SERVER" }, "\(webhookSpans.map(\.name))")
            // GetAccept's call is our client span, with the status it answered (AsyncHTTPClient's own spans are off).
            let client = trace.first { $0.name == "getaccept CreateDocument" }
            #expect(client?.kind == "CLIENT" && client?.attributes["http.response.status_code"] != nil)

            // The partner's contract: its own trace, from the partner's POST to kontroll's check and the approval.
            let partnerSpans = await eventually(timeout: .seconds(20)) {
                let found = ((try? await Self.spans(receiver)) ?? []).filter { $0.traceId == partnerTrace }
                return ["POST /v1/contracts", "contract store", "ContractStored process", "lifecycle creditChecked"].allSatisfy { name in
                    found.contains { $0.name == name }
                }
            }
            #expect(partnerSpans, "the partner's contract's trace")

            // No personal data in any span of any trace: names, attributes, statuses.
            spans = try await Self.spans(receiver)
            for span in spans {
                for secret in Self.personalData {
                    #expect(!span.raw.contains(secret), "\(span.service): \(span.name) holds \(secret): \(span.raw)")
                }
            }

            // webbavtal's log lines are JSON objects, and those of the sale's steps carry its trace id.
            let lines = webbavtal.output.split(separator: "\n").filter { $0.hasPrefix("{") }
            let parsed = lines.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
            #expect(!lines.isEmpty && parsed.count == lines.count, "every JSON line parses")
            #expect(parsed.allSatisfy { $0["level"] is String && $0["message"] is String && $0["service"] as? String == "webbavtal" })
            #expect(parsed.contains { $0["trace_id"] as? String == saleTrace && $0["span_id"] is String }, "a line leads to the trace")

            // MKA's contract page links to the trace; the seller's does not.
            let mona = try await office.logIn("mona", "mona-secret-123")
            let page = try await mona.get("/contracts/\(sale.id)")
            #expect(page.body.contains(#"href="https://traces.example/trace/\#(saleTrace)""#), "\(page.body.prefix(3000))")
            let sellersPage = try await sara.get("/contracts/\(sale.id)")
            #expect(sellersPage.status == 200 && !sellersPage.body.contains("trace-link"))

            for process in others + [webbavtal, sandbox] {
                #expect(await process.terminate() == 0, "\(process.name):\n\(process.output.suffix(3000))")
            }
            _ = await receiver.terminate()
        }
    }
}
