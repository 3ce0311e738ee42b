import Foundation
import HTTPTypes
public import Hummingbird

/// The first thing every request of every service meets, before routing: a path spelled any way but the canonical one
/// is `400` (so no check keyed on a path can be walked around), a declared body over the limit is `413` at once, and
/// any body is cut off with `413` where it passes the limit, however the route reads it.
public struct EdgeMiddleware: RouterMiddleware {
    public typealias Context = AvtalRequestContext
    let maximumBodyBytes: Int
    /// The header our ingress puts the client's address in (`HTTP_CLIENT_ADDRESS_HEADER`, e.g. `X-Forwarded-For`); nil
    /// to use the connection's peer. Only its last entry counts: the one our own proxy added.
    let clientAddressHeader: HTTPField.Name?

    public init(maximumBodyBytes: Int, clientAddressHeader: String? = nil) {
        self.maximumBodyBytes = maximumBodyBytes
        self.clientAddressHeader = clientAddressHeader.flatMap { HTTPField.Name($0) }
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let clientAddressHeader, let forwarded = request.headers[values: clientAddressHeader].last,
            let last = forwarded.split(separator: ",").last?.trimmingCharacters(in: .whitespaces), !last.isEmpty
        {
            context.clientAddress = String(last.prefix(64))
        }
        if let problem = CanonicalPath.problem(in: request.uri.path) {
            return EdgeProblem.response(.badRequest, type: "non-canonical-path", detail: problem, headers: [.connection: "close"])
        }
        if let length = request.headers[.contentLength], Int(length).map({ $0 > maximumBodyBytes }) ?? true {
            return tooLarge()
        }
        var request = request
        request.body = RequestBody(asyncSequence: LimitedBody(base: request.body, maximum: maximumBodyBytes))
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return tooLarge()
        } catch let error where DatabaseUnavailable.matches(error) {
            // A page or form that needed the database while it does not answer: say so, and when to come back.
            return EdgeProblem.response(
                .serviceUnavailable, type: "unavailable", detail: "our database does not answer; nothing was saved, try again in 5 s",
                headers: [.retryAfter: "5"])
        }
    }

    private func tooLarge() -> Response {
        EdgeProblem.response(
            .contentTooLarge, type: "payload-too-large", detail: "a request body here is at most \(maximumBodyBytes) bytes",
            headers: [.connection: "close"])
    }
}
