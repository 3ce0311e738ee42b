public import Configuration
public import Hummingbird
public import HummingbirdCore
public import Logging
import NIOCore

/// The limits every HTTP server of ours keeps, from configuration:
///
/// | key | default | meaning |
/// | --- | --- | --- |
/// | `HTTP_MAX_BODY_BYTES` | the service's own (256 KiB; partner-api 512 KiB, signering 64 KiB) | the largest request body read |
/// | `HTTP_HEADER_TIMEOUT_SECONDS` | `10` | a request's head must have come within this of the connection opening or the last answer |
/// | `HTTP_BODY_TIMEOUT_SECONDS` | `30` | a request's body must have come within this of its head |
/// | `HTTP_MAX_CONNECTIONS` | `2000` | connections open at once; more wait in the kernel's backlog |
/// | `HTTP_CLIENT_ADDRESS_HEADER` | none: the peer | the header our ingress writes the client's address to (its last entry counts) |
/// | `HTTP_MAX_IN_FLIGHT` | `64` | requests in progress at once; one more is `503` with `Retry-After` (``InFlightLimit``) |
public struct HTTPEdgeConfiguration: Sendable {
    public var maximumBodyBytes: Int
    public var headerTimeout: Duration
    public var bodyTimeout: Duration
    public var maximumConnections: Int
    public var clientAddressHeader: String?
    public var maximumInFlight: Int

    public init(reader: ConfigReader, defaultMaximumBodyBytes: Int) {
        maximumBodyBytes = max(1024, reader.int(forKey: "http.max.body.bytes", default: defaultMaximumBodyBytes))
        headerTimeout = .seconds(max(1, reader.int(forKey: "http.header.timeout.seconds", default: 10)))
        bodyTimeout = .seconds(max(1, reader.int(forKey: "http.body.timeout.seconds", default: 30)))
        maximumConnections = max(1, reader.int(forKey: "http.max.connections", default: 2000))
        clientAddressHeader = reader.string(forKey: "http.client.address.header")
        maximumInFlight = max(1, reader.int(forKey: "http.max.in.flight", default: 64))
    }

    /// An HTTP/1 server whose connections are guarded by ``ConnectionGuard`` and closed when idle.
    public var server: HTTPServerBuilder {
        let header = TimeAmount(headerTimeout)
        let body = TimeAmount(bodyTimeout)
        return .http1(
            configuration: .init(
                additionalChannelHandlers: [ConnectionGuard(headerTimeout: header, bodyTimeout: body)], idleTimeout: header + body))
    }

    /// The server's configuration at `host`:`port` with the connection cap.
    public func application(host: String, port: Int, serverName: String, logger: Logger) -> ApplicationConfiguration {
        ApplicationConfiguration(
            address: .hostname(host, port: port), serverName: serverName,
            availableConnectionsDelegate: .maximum(maximumConnections, logger: logger))
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        self = .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
