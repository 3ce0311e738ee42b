import AsyncHTTPClient
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOHTTP1

/// How a test's ``Browser`` reaches a service: over a socket to a process (``LiveTransport``), or straight into an
/// in-process router (``RouterTransport``, HummingbirdTesting: no socket, no process).
protocol HTTPTransport: Sendable {
    func send(_ method: NIOHTTP1.HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws -> HTTPAnswer
}

/// HTTP over loopback to a service listening at `base`; redirects are never followed (tests look at them).
struct LiveTransport: HTTPTransport {
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    let base: String

    func send(_ method: NIOHTTP1.HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers = headers
        if let body { request.body = .bytes(body) }
        // Generous: an unknown user's login costs a cost-12 bcrypt check, several seconds in a debug build on a busy CI.
        let response = try await Self.client.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 1 << 22)
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: String(buffer: collected))
    }
}

/// A request handed to a router in the test process by HummingbirdTesting's router framework.
struct RouterTransport: HTTPTransport {
    let client: any TestClientProtocol

    func send(_ method: NIOHTTP1.HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws -> HTTPAnswer {
        var fields = HTTPFields()
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        let response = try await client.executeRequest(
            uri: path, method: HTTPRequest.Method(rawValue: method.rawValue) ?? .get, headers: fields, body: body)
        let answerHeaders = HTTPHeaders(response.headers.map { ($0.name.rawName, $0.value) })
        return HTTPAnswer(status: response.status.code, headers: answerHeaders, body: String(buffer: response.body))
    }
}
