import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A seller logged in to webbavtal, submitting the internal form as the browser does: open the form (its id and CSRF
/// token come with the page), post it, follow nothing (the redirect names the contract).
final class FormSession: Sendable {
    let client: HTTPClient
    let baseURL: String
    let retryWindow: Duration
    private let cookie: String

    private init(client: HTTPClient, baseURL: String, retryWindow: Duration, cookie: String) {
        self.client = client
        self.baseURL = baseURL
        self.retryWindow = retryWindow
        self.cookie = cookie
    }

    struct LoginFailed: Error, CustomStringConvertible { var description: String }

    /// Logs in as `username` with the login page's CSRF token.
    static func logIn(
        client: HTTPClient, baseURL: String, username: String, password: String, retryWindow: Duration
    ) async throws
        -> FormSession
    {
        var cookies = Cookies()
        let page = try await client.execute(HTTPClientRequest(url: baseURL + "/login"), timeout: .seconds(10))
        cookies.take(page.headers)
        let html = String(buffer: try await page.body.collect(upTo: 1 << 20))
        var request = HTTPClientRequest(url: baseURL + "/login")
        request.method = .POST
        request.headers.add(name: "Cookie", value: cookies.header)
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(
            ByteBuffer(string: FormEncoding.encode(["username": username, "password": password, "_csrf": HTML.value(of: "_csrf", in: html)])))
        let answer = try await client.execute(request, timeout: .seconds(10))
        cookies.take(answer.headers)
        guard answer.status == .seeOther else { throw LoginFailed(description: "login as \(username) answered \(answer.status.code)") }
        return FormSession(client: client, baseURL: baseURL, retryWindow: retryWindow, cookie: cookies.header)
    }

    func submit(_ data: ContractData) async -> Submitted {
        var opened: (formId: String, csrf: String)?
        return await withRetries(window: retryWindow) {
            do {
                if opened == nil {
                    var request = HTTPClientRequest(url: baseURL + "/contracts/new")
                    request.headers.add(name: "Cookie", value: cookie)
                    let page = try await client.execute(request, timeout: .seconds(30))
                    let html = String(buffer: try await page.body.collect(upTo: 1 << 22))
                    guard page.status == .ok else {
                        return AttemptResult.isTransient(page.status)
                            ? .retry("form: HTTP \(page.status.code)") : .refused("form: HTTP \(page.status.code)")
                    }
                    opened = (HTML.value(of: "formId", in: html), HTML.value(of: "_csrf", in: html))
                }
                guard let (formId, csrf) = opened else { return .retry("no form") }
                var fields = data.formFields()
                fields["formId"] = formId
                fields["_csrf"] = csrf
                var request = HTTPClientRequest(url: baseURL + "/contracts/new")
                request.method = .POST
                request.headers.add(name: "Cookie", value: cookie)
                request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
                request.body = .bytes(ByteBuffer(string: FormEncoding.encode(fields)))
                let posted = ContinuousClock.now
                let response = try await client.execute(request, timeout: .seconds(30))
                let body = String(buffer: try await response.body.collect(upTo: 1 << 22))
                AttemptAnswers.shared.record(.internalForm, status: Int(response.status.code), took: ContinuousClock.now - posted)
                if response.status == .seeOther, let location = response.headers.first(name: "Location"),
                    let id = Self.contractId(in: location)
                {
                    return .done(id)
                }
                if AttemptResult.isTransient(response.status) { return .retry("HTTP \(response.status.code)") }
                return .refused("HTTP \(response.status.code): \(HTML.errorSummary(in: body))")
            } catch {
                return .retry("\(error)")
            }
        }
    }

    /// `/contracts/{id}?done=saved` → id.
    static func contractId(in location: String) -> UUID? {
        guard location.hasPrefix("/contracts/") else { return nil }
        return UUID(uuidString: String(location.dropFirst("/contracts/".count).prefix(36)))
    }
}

/// The cookies a server set, as one `Cookie` header.
struct Cookies {
    private var values: [String: String] = [:]

    mutating func take(_ headers: HTTPHeaders) {
        for header in headers["Set-Cookie"] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            values[parts[0]] = parts[1].isEmpty ? nil : parts[1]
        }
    }

    var header: String { values.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
}

enum FormEncoding {
    static func encode(_ fields: [String: String]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&")
    }
}

enum HTML {
    /// The value of the first input named `name` (`name="…" value="…"`, as the templates write them).
    static func value(of name: String, in page: String) -> String {
        guard let range = page.range(of: "name=\"\(name)\" value=\"") else { return "" }
        return String(page[range.upperBound...].prefix { $0 != "\"" })
    }

    /// The form's error summary, for the report when a form is refused.
    static func errorSummary(in page: String) -> String {
        guard let range = page.range(of: "Formuläret har") else { return String(page.prefix(200)) }
        return String(page[range.lowerBound...].prefix(300))
    }
}
