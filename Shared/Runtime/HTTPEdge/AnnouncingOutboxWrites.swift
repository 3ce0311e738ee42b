import AvtalPersistence
public import Hummingbird

/// Each request is an ``OutboxWrites`` scope: the events a request's transactions wrote (a partner's contract, a
/// seller's edit, a signing webhook) wake this process's outbox relay as the handler returns.
public struct AnnouncingOutboxWrites: RouterMiddleware {
    public typealias Context = AvtalRequestContext

    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await OutboxWrites.announcing { try await next(request, context) }
    }
}
