public import Foundation

/// A partner's webhook address, checked before it is kept: HTTPS, a host, no credentials or fragment, at most 2 048
/// characters; outside local mode, never a loopback, private, link-local or otherwise internal address — we must not
/// be made to call into our own network (SSRF). Pure: the addresses a name resolves to are checked by the caller
/// (``WebhookEndpoint/internalAddress(_:)`` on each).
public struct WebhookEndpoint: Sendable, Equatable {
    public let url: URL
    public var host: String { url.host(percentEncoded: false) ?? "" }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case notAURL
        case tooLong
        case notHTTPS
        case credentials
        case fragment
        case internalHost(String)
        case unresolvable(String)

        public var code: String {
            switch self {
            case .notAURL: "not_a_url"
            case .tooLong: "too_long"
            case .notHTTPS: "not_https"
            case .credentials: "credentials_in_url"
            case .fragment: "fragment_in_url"
            case .internalHost: "internal_address"
            case .unresolvable: "unresolvable_host"
            }
        }

        public var description: String {
            switch self {
            case .notAURL: "an absolute URL with a host is required"
            case .tooLong: "at most \(WebhookEndpoint.maximumLength) characters"
            case .notHTTPS: "the address must use https"
            case .credentials: "the address must not carry a user name or password"
            case .fragment: "the address must not have a #fragment"
            case .internalHost(let host): "\(host) is a loopback, private or internal address"
            case .unresolvable(let host): "\(host) does not resolve to an address"
            }
        }
    }

    public static let maximumLength = 2048

    /// `allowInternal`: local mode, where the sandbox's receiver listens on http://127.0.0.1.
    public static func validated(_ text: String, allowInternal: Bool) -> Result<WebhookEndpoint, Problem> {
        guard text.count <= maximumLength else { return .failure(.tooLong) }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host(percentEncoded: false), !host.isEmpty
        else { return .failure(.notAURL) }
        guard scheme == "https" || (allowInternal && scheme == "http") else { return .failure(.notHTTPS) }
        guard url.user == nil && url.password == nil else { return .failure(.credentials) }
        guard url.fragment == nil else { return .failure(.fragment) }
        if !allowInternal && (internalName(host) || internalAddress(host)) { return .failure(.internalHost(host)) }
        return .success(WebhookEndpoint(url: url))
    }

    /// Names that never leave the machine or the cluster.
    static func internalName(_ host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        let suffixes = [".localhost", ".local", ".internal", ".cluster.local", ".svc"]
        return name == "localhost" || !name.contains(".") && IPv4(name) == nil && !name.contains(":")
            || suffixes.contains { name.hasSuffix($0) }
    }

    /// Whether `address` (an IPv4 or IPv6 literal, brackets allowed) is one we must not call: loopback, private,
    /// carrier-grade NAT, link-local, unspecified, multicast, or their IPv6 counterparts (unique local, link-local,
    /// IPv4-mapped). Anything that is not an address literal is not one.
    public static func internalAddress(_ address: String) -> Bool {
        let literal = address.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if let v4 = IPv4(literal) { return v4.isInternal }
        guard literal.contains(":"), let v6 = IPv6(literal) else { return false }
        return v6.isInternal
    }

    private struct IPv4 {
        let octets: [UInt8]

        init?(_ text: String) {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count == 4 else { return nil }
            let values = parts.compactMap { part in part.count <= 3 && part.allSatisfy(\.isNumber) ? UInt8(part) : nil }
            guard values.count == 4 else { return nil }
            octets = values
        }

        init(octets: [UInt8]) {
            self.octets = octets
        }

        var isInternal: Bool {
            let (a, b) = (octets[0], octets[1])
            return a == 0 || a == 10 || a == 127 || a >= 224 || (a == 100 && (64...127).contains(b)) || (a == 169 && b == 254)
                || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168) || (a == 192 && b == 0 && octets[2] == 0)
                || (a == 198 && (18...19).contains(b))
        }
    }

    private struct IPv6 {
        let words: [UInt16]

        init?(_ text: String) {
            var text = text
            if let zone = text.firstIndex(of: "%") { text = String(text[..<zone]) }
            // An embedded IPv4 address at the end (::ffff:10.0.0.1) stands for the last two words.
            if let lastColon = text.lastIndex(of: ":"), let v4 = IPv4(String(text[text.index(after: lastColon)...])) {
                let high = String(UInt16(v4.octets[0]) << 8 | UInt16(v4.octets[1]), radix: 16)
                let low = String(UInt16(v4.octets[2]) << 8 | UInt16(v4.octets[3]), radix: 16)
                text = String(text[...lastColon]) + high + ":" + low
            }
            func words(_ part: Substring) -> [UInt16]? {
                guard !part.isEmpty else { return [] }
                let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
                let values = pieces.compactMap { $0.count <= 4 ? UInt16($0, radix: 16) : nil }
                return values.count == pieces.count ? values : nil
            }
            let halves = text.components(separatedBy: "::")
            switch halves.count {
            case 1:
                guard let all = words(Substring(halves[0])), all.count == 8 else { return nil }
                self.words = all
            case 2:
                guard let head = words(Substring(halves[0])), let rest = words(Substring(halves[1])), head.count + rest.count < 8 else {
                    return nil
                }
                self.words = head + Array(repeating: 0, count: 8 - head.count - rest.count) + rest
            default:
                return nil
            }
        }

        var isInternal: Bool {
            let first = words[0]
            if words.allSatisfy({ $0 == 0 }) { return true }  // ::
            if words.dropLast().allSatisfy({ $0 == 0 }) && words[7] == 1 { return true }  // ::1
            if words[0..<5].allSatisfy({ $0 == 0 }) && words[5] == 0xffff {  // ::ffff:a.b.c.d
                let octets = [UInt8(words[6] >> 8), UInt8(words[6] & 0xff), UInt8(words[7] >> 8), UInt8(words[7] & 0xff)]
                return IPv4(octets: octets).isInternal
            }
            return first & 0xfe00 == 0xfc00 || first & 0xffc0 == 0xfe80 || first & 0xff00 == 0xff00
        }
    }
}
