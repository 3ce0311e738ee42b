public import Hummingbird

/// The first thing every request of every service meets, before routing: a path spelled any way but the canonical one
/// is `400` (so no check keyed on a path can be walked around), a declared body over the limit is `413` at once, and
/// any body is cut off with `413` where it passes the limit, however the route reads it.
public struct EdgeMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximumBodyBytes: Int

    public init(maximumBodyBytes: Int) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
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
        }
    }

    private func tooLarge() -> Response {
        EdgeProblem.response(
            .contentTooLarge, type: "payload-too-large", detail: "a request body here is at most \(maximumBodyBytes) bytes",
            headers: [.connection: "close"])
    }
}
