public import AsyncHTTPClient
import NIOCore

/// The HTTP client every call to a third party goes through, for the life of the process: keep-alive connections,
/// up to 64 per host — more than a consumer's concurrency (16), so no call waits in the client's own queue for a
/// connection. (AsyncHTTPClient's shared client keeps 8 per host: with 16 handlers a call could spend its whole
/// timeout queued, or be sent just before it and give up on an answer already on its way — seen with GetAccept.)
/// Its own tracing is off: ``JSONHTTPClient`` and GetAccept's middleware make the spans.
public enum ThirdPartyHTTP {
    public static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration.singletonConfiguration
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // Our callers trace their calls (a span per operation, named, without the URL: a path may hold an
        // identifier); the client's own spans would record the full URL and send a second `traceparent`.
        configuration.tracing.tracer = nil
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()
}
