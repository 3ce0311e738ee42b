import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One HTTP exchange with a service under test: what the tests of an HTTP API look at.
struct HTTPAnswer: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var body: String

    /// The body as a JSON object (an empty one when it is not).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    var contentType: String { headers.first(name: "Content-Type") ?? "" }
}

enum HTTPCall {
    static func send(
        _ method: HTTPMethod, _ url: String, headers: [(String, String)] = [], body: String? = nil, timeout: TimeAmount = .seconds(10)
    ) async throws -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response: HTTPClientResponse
        do {
            response = try await HTTPClient.shared.execute(request, timeout: timeout)
        } catch let error as HTTPClientError where error == .remoteConnectionClosed {
            // The connection was closed under the request — most likely a kept-alive one from the shared client's pool
            // whose server had gone (the suites stop one stack's processes and start the next). Once more, on a new one.
            // Seen in CI: PartnerWebhookTests "a receiver down for a while…" failed on its first call.
            response = try await HTTPClient.shared.execute(request, timeout: timeout)
        }
        let collected = try await response.body.collect(upTo: 1 << 22)
        return HTTPAnswer(status: Int(response.status.code), headers: response.headers, body: String(buffer: collected))
    }
}
