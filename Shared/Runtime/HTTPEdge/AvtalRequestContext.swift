public import Hummingbird
public import NIOCore

/// The request context of every HTTP server of ours: Hummingbird's core, and who is asking — the client's address as
/// the ``EdgeMiddleware`` found it (the peer, or behind our ingress the last hop of `HTTP_CLIENT_ADDRESS_HEADER`),
/// for limits per client such as the login throttle.
public struct AvtalRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// The client's address as text; `unknown` when neither the connection nor the trusted header tells.
    public var clientAddress: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        clientAddress = remoteAddress?.ipAddress ?? "unknown"
    }
}
