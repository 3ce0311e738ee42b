import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A minimal browser for the back-office tests: keeps cookies, never follows redirects (tests look at them), and
/// finds a form's CSRF token in the page it got.
final class Browser: @unchecked Sendable {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    let base: String
    private(set) var cookies: [String: String] = [:]
    private(set) var lastPage = ""

    init(base: String) {
        self.base = base
    }

    @discardableResult
    func get(_ path: String) async throws -> HTTPAnswer {
        try await send(.GET, path, form: nil)
    }

    @discardableResult
    func post(_ path: String, form: [String: String]) async throws -> HTTPAnswer {
        try await send(.POST, path, form: form)
    }

    /// The value of the hidden `_csrf` field in the last page.
    var csrf: String { value(of: "_csrf") }

    /// The value of the first input named `name` in the last page (`name="…" value="…"`, as the templates write them).
    func value(of name: String) -> String {
        guard let range = lastPage.range(of: "name=\"\(name)\" value=\"") else { return "" }
        return String(lastPage[range.upperBound...].prefix { $0 != "\"" })
    }

    private func send(_ method: HTTPMethod, _ path: String, form: [String: String]?) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if !cookies.isEmpty { request.headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            let body = form.map { key, value in
                "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            }.joined(separator: "&")
            request.body = .bytes(ByteBuffer(string: body))
        }
        // Generous: an unknown user's login costs a cost-12 bcrypt check, several seconds in a debug build on a busy CI.
        let response = try await Self.client.execute(request, timeout: .seconds(60))
        for header in response.headers["Set-Cookie"] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[1].isEmpty || header.lowercased().contains("max-age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
        }
        let body = String(buffer: try await response.body.collect(upTo: 1 << 22))
        lastPage = body
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: body)
    }
}
