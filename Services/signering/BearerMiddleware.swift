import Foundation
import HTTPTypes
import OpenAPIRuntime
import Synchronization

/// GetAccept's access token, fetched once and kept until GetAccept refuses it.
final class BearerTokens: Sendable {
    private let token = Mutex<String?>(nil)

    var current: String? { token.withLock { $0 } }

    func ensure(_ fetch: () async throws -> String) async throws {
        guard current == nil else { return }
        let fresh = try await fetch()
        token.withLock { $0 = fresh }
    }

    func clear() { token.withLock { $0 = nil } }
}

/// Adds `Authorization: Bearer <token>` to every call but `POST /auth` itself.
struct BearerMiddleware: ClientMiddleware {
    let tokens: BearerTokens

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if operationID != "Authenticate", let token = tokens.current { request.headerFields[.authorization] = "Bearer \(token)" }
        return try await next(request, body, baseURL)
    }
}
