import Foundation
import PartnerAPI
import Testing

/// schemathesis (from PyPI, installed by deploy/install-deps.sh) generates valid and invalid requests from
/// `openapi.yaml` and sends them to a running partner-api: no 5xx, every answer as documented, every error a
/// problem. Its HAR record then shows that only answered-201 requests stored anything.
@Suite("Partner API against its OpenAPI document")
struct PartnerAPIContractTests {
    static var schemathesis: String {
        TestEnvironment.environment["AVTAL_SCHEMATHESIS"]
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/avtalsflode/venv/bin/schemathesis").path
    }

    struct Entry {
        var method: String
        var status: Int
        var contentType: String
        var body: String
    }

    static func entries(inHARFilesIn directory: URL) throws -> [Entry] {
        var entries: [Entry] = []
        for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil) where file.pathExtension == "json" {
            let har = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any]
            for entry in (har?["log"] as? [String: Any])?["entries"] as? [[String: Any]] ?? [] {
                let request = entry["request"] as? [String: Any] ?? [:]
                let response = entry["response"] as? [String: Any] ?? [:]
                let content = response["content"] as? [String: Any] ?? [:]
                let headers = response["headers"] as? [[String: Any]] ?? []
                let type = headers.first { ($0["name"] as? String)?.lowercased() == "content-type" }?["value"] as? String
                entries.append(
                    Entry(
                        method: request["method"] as? String ?? "", status: response["status"] as? Int ?? 0,
                        contentType: type ?? content["mimeType"] as? String ?? "", body: content["text"] as? String ?? ""))
            }
        }
        return entries
    }

    @Test("generated requests: no 5xx, answers as documented, errors as problems, nothing stored for a rejected request")
    func schemathesisRun() async throws {
        try await PartnerAPITests.withAPI(live: true) { api in
            let reports = FileManager.default.temporaryDirectory.appendingPathComponent(TestEnvironment.uniqueName("schemathesis"))
            defer { try? FileManager.default.removeItem(at: reports) }
            let configuration = TestEnvironment.repositoryRoot.appendingPathComponent("Tests/api/schemathesis.toml").path
            let base = api.base ?? ""
            let command = """
                '\(Self.schemathesis)' --no-color --config-file '\(configuration)' run '\(base)/v1/openapi.yaml' --url '\(base)/v1' \
                --header 'Authorization: Bearer \(api.unlimited)' --checks all --max-examples 60 --seed 20261129 \
                --report har --report-dir '\(reports.path)'
                """
            let (status, output) = try await runCommand(command)
            #expect(status == 0, "schemathesis found failures:\n\(output.suffix(6000))")
            #expect(output.contains("passed"), "\(output.suffix(2000))")

            let entries = try Self.entries(inHARFilesIn: reports)
            #expect(entries.count > 200, "schemathesis sent \(entries.count) requests")
            #expect(entries.allSatisfy { $0.status < 500 }, "\(entries.filter { $0.status >= 500 }.map(\.status))")
            let errors = entries.filter { $0.status >= 400 }
            #expect(!errors.isEmpty)
            #expect(errors.allSatisfy { $0.contentType.hasPrefix("application/problem+json") })

            // Nothing but the answered-201 requests stored a contract.
            let created = Set(
                entries.filter { $0.method == "POST" && $0.status == 201 }.compactMap {
                    (try? JSONSerialization.jsonObject(with: Data($0.body.utf8)) as? [String: Any])?["id"] as? String
                })
            #expect(try await api.count("SELECT count(*) FROM webbavtal.contracts") == created.count)
            #expect(try await api.count("SELECT count(*) FROM partner_api.outbox") == created.count)
        }
    }
}
