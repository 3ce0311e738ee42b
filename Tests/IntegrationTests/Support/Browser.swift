import Foundation
import NIOCore
import NIOHTTP1

/// A minimal browser for the back-office tests: keeps cookies, never follows redirects (tests look at them), and
/// finds a form's CSRF token in the page it got. It reaches the service through its ``HTTPTransport``.
final class Browser: @unchecked Sendable {
    let transport: any HTTPTransport
    private(set) var cookies: [String: String] = [:]
    private(set) var lastPage = ""

    init(transport: any HTTPTransport) {
        self.transport = transport
    }

    @discardableResult
    func get(_ path: String) async throws -> HTTPAnswer {
        try await send(.GET, path, body: nil)
    }

    @discardableResult
    func post(_ path: String, form: [String: String]) async throws -> HTTPAnswer {
        let body = form.map { key, value in "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
            .joined(separator: "&")
        return try await send(.POST, path, body: (ByteBuffer(string: body), "application/x-www-form-urlencoded"))
    }

    /// Posts `form` as `multipart/form-data` (RFC 7578, as a browser writes it), with `file` in a file input.
    @discardableResult
    func post(_ path: String, form: [String: String], file: (input: String, filename: String, bytes: [UInt8])) async throws -> HTTPAnswer {
        let boundary = "----avtalTest\(UInt64.random(in: 0...UInt64.max))"
        var body = ByteBuffer()
        for (name, value) in form {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n")
            body.writeString(value.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n")
        }
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.input)\"; filename=\"\(file.filename)\"\r\n")
        body.writeString("Content-Type: application/octet-stream\r\n\r\n")
        body.writeBytes(file.bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return try await send(.POST, path, body: (body, "multipart/form-data; boundary=\(boundary)"))
    }

    /// The value of the hidden `_csrf` field in the last page.
    var csrf: String { value(of: "_csrf") }

    /// The value of the first input named `name` in the last page (`name="…" value="…"`, as the templates write them).
    func value(of name: String) -> String {
        guard let range = lastPage.range(of: "name=\"\(name)\" value=\"") else { return "" }
        return String(lastPage[range.upperBound...].prefix { $0 != "\"" })
    }

    private func send(_ method: HTTPMethod, _ path: String, body: (bytes: ByteBuffer, contentType: String)?) async throws -> HTTPAnswer {
        var headers = HTTPHeaders()
        if !cookies.isEmpty { headers.add(name: "Cookie", value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let body { headers.add(name: "Content-Type", value: body.contentType) }
        let answer = try await transport.send(method, path, headers: headers, body: body?.bytes)
        for header in answer.headers["Set-Cookie"] {
            let pair = header.split(separator: ";").first.map(String.init) ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            if parts[1].isEmpty || header.lowercased().contains("max-age=0") { cookies[parts[0]] = nil } else { cookies[parts[0]] = parts[1] }
        }
        lastPage = answer.body
        return answer
    }
}
