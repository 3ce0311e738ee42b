import AsyncHTTPClient
import AvtalTracing
public import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Tracing

/// JSON over HTTP to one third-party system, with a timeout per attempt and bounded retries with jittered backoff.
///
/// Only failures that can pass (no answer, 5xx, 429) are retried, and only for requests the caller declares safe to
/// repeat — every request we send carries our own reference as its idempotency key, so all of ours are. A 404 is an
/// answer (`nil`), not an error. Bodies are never logged or put in errors: they hold personal data.
public struct JSONHTTPClient: Sendable {
    public let system: String
    public let baseURL: String
    public var timeout: Duration
    public var attempts: Int
    public var initialBackoff: Duration

    public init(system: String, baseURL: String, timeout: Duration = .seconds(5), attempts: Int = 3, initialBackoff: Duration = .milliseconds(100)) {
        self.system = system
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.initialBackoff = initialBackoff
    }

    /// GET `path`; nil on 404. `operation` names the request in errors, which never carry the path: a path may hold
    /// an identifier.
    public func get<Response: Decodable>(_ path: String, operation: String, as type: Response.Type) async throws(ThirdPartyError) -> Response? {
        try await send(.GET, path, operation: operation, body: nil as String?, headers: [:], as: type)
    }

    /// POST `body` as JSON to `path` with `Idempotency-Key: key`.
    public func post<Body: Encodable, Response: Decodable>(
        _ path: String, operation: String, body: Body, idempotencyKey key: String, as type: Response.Type
    )
        async throws(ThirdPartyError) -> Response?
    {
        try await send(.POST, path, operation: operation, body: body, headers: ["Idempotency-Key": key], as: type)
    }

    /// A look-up whose key is personal data (a personnummer): POSTed in the body, never in a URL or a proxy's log;
    /// safe to repeat like a GET. nil on 404.
    public func lookup<Body: Encodable, Response: Decodable>(
        _ path: String, operation: String, body: Body, as type: Response.Type
    ) async throws(ThirdPartyError) -> Response? {
        try await send(.POST, path, operation: operation, body: body, headers: [:], as: type)
    }

    /// One request, its attempts in a client span named by the system and the operation (`registers customer lookup`),
    /// whose `traceparent` the request carries. The span holds neither the path nor a body.
    private func send<Body: Encodable, Response: Decodable>(
        _ method: HTTPMethod, _ path: String, operation: String, body: Body?, headers: [String: String], as type: Response.Type
    ) async throws(ThirdPartyError) -> Response? {
        let span = startSpan("\(system) \(operation)", ofKind: .client)
        span.attributes["avtal.system"] = system
        span.attributes["http.request.method"] = method.rawValue
        defer { span.end() }
        do {
            return try await sendWithRetries(method, path, operation: operation, body: body, headers: headers, as: type, span: span)
        } catch {
            span.setStatus(SpanStatus(code: .error, message: error.description))
            throw error
        }
    }

    /// The request's attempts, each counted and timed (``ThirdPartyMetrics``), in `span`.
    private func sendWithRetries<Body: Encodable, Response: Decodable>(
        _ method: HTTPMethod, _ path: String, operation: String, body: Body?, headers: [String: String], as type: Response.Type,
        span: any Span
    ) async throws(ThirdPartyError) -> Response? {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let traceparent = TraceParent.of(span.context) { request.headers.add(name: TraceParent.header, value: traceparent) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            guard let data = try? ThirdPartyJSON.encoder.encode(body) else {
                throw ThirdPartyError(.rejected, system: system, "request could not be encoded")
            }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: data))
        }
        var backoff = initialBackoff
        var lastFailure = "no attempt made"
        for attempt in 1...attempts {
            let started = ContinuousClock.now
            do {
                let response = try await ThirdPartyHTTP.client.execute(request, timeout: .nanoseconds(timeout.nanoseconds))
                let bytes = try await response.body.collect(upTo: 1 << 20)
                let code = Int(response.status.code)
                span.attributes["http.response.status_code"] = code
                // A 2xx is counted once its body is read: one that is not the JSON expected is an error.
                if !(200..<300).contains(code) { ThirdPartyMetrics.record(system: system, outcome: .init(status: code), since: started) }
                switch code {
                case 200..<300:
                    guard let decoded = try? ThirdPartyJSON.decoder.decode(type, from: Data(buffer: bytes)) else {
                        ThirdPartyMetrics.record(system: system, outcome: .error, since: started)
                        throw ThirdPartyError(.invalidResponse, system: system, "\(operation): the answer is not the JSON expected")
                    }
                    ThirdPartyMetrics.record(system: system, outcome: .ok, since: started)
                    return decoded
                case 404:
                    return nil
                case 429, 500..<600:
                    lastFailure = "\(operation): HTTP \(response.status.code)"
                default:
                    // A refusal may name its reason as a stable code (never free text, which might echo personal data).
                    let code = (try? ThirdPartyJSON.decoder.decode(RefusalCode.self, from: Data(buffer: bytes)))?.code
                        .filter { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }.prefix(64)
                    throw ThirdPartyError(
                        .rejected, system: system, "\(operation): HTTP \(response.status.code)" + (code.map { " (\($0))" } ?? ""))
                }
            } catch let error as ThirdPartyError {
                throw error
            } catch {
                ThirdPartyMetrics.record(system: system, outcome: .error, since: started)
                lastFailure = "\(operation): no answer (\(Swift.type(of: error)))"
            }
            if attempt < attempts {
                let jitter = Double.random(in: 0.5...1.5)
                try? await Task.sleep(for: backoff * jitter)
                backoff *= 2
            }
        }
        throw ThirdPartyError(.unavailable, system: system, "\(lastFailure) after \(attempts) attempts")
    }
}

/// The part of a refusal's body we read: `{"code": "…"}`.
struct RefusalCode: Decodable {
    var code: String
}

/// The JSON our third-party clients and the sandbox speak: ISO 8601 dates.
public enum ThirdPartyJSON {
    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}

extension Duration {
    var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
