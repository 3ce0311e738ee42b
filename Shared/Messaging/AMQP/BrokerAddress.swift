import Foundation

/// Where one broker node listens and how to log in: parsed from `amqp://user:password@host:port/vhost`.
///
/// Services take a list of them (one per cluster node) and connect to the first that answers.
public struct BrokerAddress: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String
    public var virtualHost: String

    public init(host: String = "127.0.0.1", port: Int = 5672, user: String = "guest", password: String = "guest", virtualHost: String = "/") {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.virtualHost = virtualHost
    }

    /// Parses an `amqp://` URL. The path, when present, is the virtual host (`/` when absent or empty).
    public init?(url: String) {
        guard url.hasPrefix("amqp://") else { return nil }
        var rest = Substring(url.dropFirst("amqp://".count))
        var virtualHost = "/"
        if let slash = rest.firstIndex(of: "/") {
            let path = rest[rest.index(after: slash)...]
            if !path.isEmpty { virtualHost = path.removingPercentEncoding ?? String(path) }
            rest = rest[..<slash]
        }
        var user = "guest"
        var password = "guest"
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let parts = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            user = String(parts[0])
            password = parts.count > 1 ? String(parts[1]) : ""
        }
        var port = 5672
        if let colon = rest.lastIndex(of: ":") {
            guard let parsed = Int(rest[rest.index(after: colon)...]), (1...65535).contains(parsed) else { return nil }
            port = parsed
            rest = rest[..<colon]
        }
        guard !rest.isEmpty else { return nil }
        self.init(host: String(rest), port: port, user: user, password: password, virtualHost: virtualHost)
    }

    /// Parses a comma-separated list of URLs; nil if any of them is malformed or the list is empty.
    public static func list(_ urls: String) -> [BrokerAddress]? {
        let parts = urls.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let addresses = parts.compactMap { BrokerAddress(url: $0) }
        return addresses.isEmpty || addresses.count != parts.count ? nil : addresses
    }

    /// The address without the password, for logs.
    public var description: String { "amqp://\(user)@\(host):\(port)/\(virtualHost == "/" ? "" : virtualHost)" }
}
