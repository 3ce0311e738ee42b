import AvtalDomain
import AvtalRuntime
import Foundation
import HTTPTypes
public import Hummingbird
public import Logging
import OpenAPIRuntime

/// Everything about a `/v1` request before and after the generated handler: a request id, the partner's key
/// (`401`), its rate limit (`429` with `Retry-After`), JSON only (`415`) and at most 512 KiB (`413`), every error as
/// `application/problem+json`, and one log line per request with the partner and request ids (never a body).
public struct PartnerAPIMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Room for the largest contract the API takes: 1 000 facilities (`maxItems`), each with an address, at a few
    /// hundred bytes apiece (`PartnerAPITests` "a mass contract of 1 000 facilities…").
    public static var maximumBodyBytes: Int { 512 * 1024 }

    let directory: PartnerDirectory
    let limiter: RateLimiter
    let logger: Logger

    public init(directory: PartnerDirectory, limiter: RateLimiter, logger: Logger) {
        self.directory = directory
        self.limiter = limiter
        self.logger = logger
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        guard path.hasPrefix("/v1/") || path == "/v1" else { return try await next(request, context) }
        let requestId = Self.requestId(request.headers[.requestId])
        let started = ContinuousClock.now
        var partnerId = "-"
        var response: Response
        do {
            response = try await answer(request, context: context, next: next, partnerId: &partnerId)
        } catch {
            response = problem(for: error, path: path, requestId: requestId)
        }
        response.headers[.requestId] = requestId
        // The generated code percent-encodes header values; a Location is a path and must stay readable.
        if let location = response.headers[.location], location.contains("%") { response.headers[.location] = location.removingPercentEncoding }
        let elapsed = ContinuousClock.now - started
        logger.info(
            "request",
            metadata: [
                "avtal.request.id": "\(requestId)", "avtal.partner.id": "\(partnerId)", "avtal.http.method": "\(request.method)",
                "avtal.http.path": "\(path)",
                "avtal.http.status": "\(response.status.code)",
                "avtal.duration.ms": "\(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)",
            ])
        return response
    }

    private func answer(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response, partnerId: inout String
    ) async throws -> Response {
        var request = request
        if let allowed = Self.allowedMethods(request.uri.path), !allowed.split(separator: ", ").contains(Substring(request.method.rawValue)) {
            return Components.Schemas.Problem(
                type: ProblemType.methodNotAllowed, status: .methodNotAllowed, detail: "\(request.uri.path) answers \(allowed)"
            ).response(headers: [.allow: allowed])
        }
        guard request.uri.path.hasPrefix("/v1/contracts") || request.uri.path.hasPrefix("/v1/webhook") else {
            return try await next(request, context)
        }

        guard let key = Self.bearerKey(request.headers[.authorization]), let partner = try await directory.authenticate(APIKey(value: key)) else {
            return Components.Schemas.Problem(
                type: ProblemType.unauthorized, status: .unauthorized, detail: "send a valid partner key as `Authorization: Bearer <key>`"
            ).response(headers: [.wwwAuthenticate: #"Bearer realm="avtalsflode""#])
        }
        partnerId = partner.id
        if case .limited(let retryAfter) = try await limiter.admit(partner: partner.id, perMinute: partner.requestsPerMinute) {
            return Components.Schemas.Problem(
                type: ProblemType.rateLimited, status: .tooManyRequests,
                detail: "more than \(partner.requestsPerMinute) requests a minute; retry after \(retryAfter) s"
            ).response(headers: [.retryAfter: String(retryAfter)])
        }
        if request.method == .post || request.method == .put {
            if let length = request.headers[.contentLength].flatMap(Int.init), length > Self.maximumBodyBytes {
                return tooLarge()
            }
            // A key is stored and locked on as text: 1–255 printable ASCII characters (a NUL byte once reached
            // PostgreSQL and came back as a 500).
            if let key = request.headers[Self.idempotencyKey], !Self.isValidIdempotencyKey(key) {
                return Components.Schemas.Problem(
                    type: ProblemType.validation, status: .unprocessableContent, detail: "1 field(s) are not valid; see errors",
                    errors: [.init(field: "Idempotency-Key", code: "invalid", message: "1 to 255 printable ASCII characters")]
                ).response()
            }
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: Self.maximumBodyBytes)
            } catch let error as HTTPError where error.status == .contentTooLarge {
                return tooLarge()
            }
            // A body is JSON. A post without one (a withdrawal without a reason) needs no type: it is read as the
            // empty object, which the generated server takes for an optional body's absence of members.
            if body.readableBytes == 0 && request.headers[.contentType] == nil {
                var head = request.head
                head.headerFields[.contentType] = "application/json"
                request = Request(head: head, body: RequestBody(buffer: ByteBuffer(string: "{}")))
            }
            let type = request.headers[.contentType]?.lowercased() ?? ""
            let mediaType = type.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard mediaType == "application/json" else {
                return Components.Schemas.Problem(
                    type: ProblemType.unsupportedMediaType, status: .unsupportedMediaType, detail: "send the body as application/json"
                ).response()
            }
        }
        return try await RequestPartner.$current.withValue(partner) { try await next(request, context) }
    }

    private func tooLarge() -> Response {
        Components.Schemas.Problem(
            type: ProblemType.tooLarge, status: .contentTooLarge, detail: "a request body is at most \(Self.maximumBodyBytes / 1024) KiB"
        ).response()
    }

    /// The error as a problem: a request the generated code could not read is `400` with the field it stopped at;
    /// routing errors keep their status; anything else is a `500` that says nothing of the cause (which is logged).
    private func problem(for error: any Error, path: String, requestId: String) -> Response {
        if DatabaseUnavailable.matches(error, wrapped: (error as? ServerError)?.underlyingError) {
            return Components.Schemas.Problem(
                type: ProblemType.unavailable, status: .serviceUnavailable, detail: "our database does not answer; nothing was stored, retry in 5 s"
            ).response(headers: [.retryAfter: "5"])
        }
        if let error = error as? ServerError {
            if error.operationInput == nil {
                guard let decoding = Self.decodingError(in: error.underlyingError) else {
                    return Components.Schemas.Problem(type: ProblemType.malformed, status: .badRequest, detail: error.causeDescription).response()
                }
                let issue = Self.issue(decoding)
                return Components.Schemas.Problem(
                    type: ProblemType.malformed, status: .badRequest, detail: "\(issue.field) \(issue.message)",
                    errors: [Components.Schemas.FieldError(field: issue.field, code: issue.code, message: issue.message)]
                ).response()
            }
            logger.error(
                "handler failed",
                metadata: ["avtal.request.id": "\(requestId)", "avtal.operation": "\(error.operationID)", "avtal.error": "\(error.underlyingError)"])
        } else if let error = error as? any HTTPResponseError, error.status == .notFound, let allowed = Self.allowedMethods(path) {
            return Components.Schemas.Problem(
                type: ProblemType.methodNotAllowed, status: .methodNotAllowed, detail: "\(path) answers \(allowed)"
            ).response(headers: [.allow: allowed])
        } else if let error = error as? any HTTPResponseError {
            let status = error.status
            let type =
                switch status {
                case .notFound: ProblemType.notFound
                case .methodNotAllowed: ProblemType.methodNotAllowed
                case .contentTooLarge: ProblemType.tooLarge
                default: status.code < 500 ? ProblemType.malformed : ProblemType.internalError
                }
            return Components.Schemas.Problem(type: type, status: status).response()
        } else {
            logger.error("request failed", metadata: ["avtal.request.id": "\(requestId)", "avtal.error": "\(String(reflecting: type(of: error)))"])
        }
        return Components.Schemas.Problem(type: ProblemType.internalError, status: .internalServerError, detail: "request id \(requestId)").response()
    }

    // MARK: Pure helpers

    /// The methods a `/v1` path answers (the router knows only "no route"), for `405` and its `Allow`.
    static func allowedMethods(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        switch (parts.count, parts.dropFirst().first) {
        case (2, "contracts"): return "POST"
        case (3, "contracts"), (2, "products"), (2, "openapi.yaml"): return "GET"
        case (2, "webhook"): return "GET, PUT, DELETE"
        case (3, "webhook") where parts[2] == "secret": return "POST"
        default: return nil
        }
    }

    static var idempotencyKey: HTTPField.Name { HTTPField.Name("Idempotency-Key")! }

    static func isValidIdempotencyKey(_ key: String) -> Bool {
        (1...255).contains(key.utf8.count) && key.utf8.allSatisfy { (0x20...0x7E).contains($0) }
    }

    static func bearerKey(_ header: String?) -> String? {
        guard let header, header.count < 512 else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        return key.hasPrefix(APIKey.scheme) ? key : nil
    }

    static func requestId(_ given: String?) -> String {
        if let given, (1...64).contains(given.count), given.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
            return given
        }
        return UUID.random().uuidString.lowercased()
    }

    /// The decoding error inside the generated code's wrapping, found by reflection (the wrapper is not public).
    static func decodingError(in error: any Error, depth: Int = 0) -> DecodingError? {
        if let decoding = error as? DecodingError { return decoding }
        guard depth < 4 else { return nil }
        for child in Mirror(reflecting: error).children {
            if let inner = child.value as? any Error, let found = decodingError(in: inner, depth: depth + 1) { return found }
        }
        return nil
    }

    static func field(_ error: DecodingError) -> String {
        let path: [any CodingKey]
        switch error {
        case .keyNotFound(let key, let context): path = context.codingPath + [key]
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): path = context.codingPath
        @unknown default: path = []
        }
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    /// The field (`body` for the whole), a code and a sentence for what the generated decoder stopped at.
    static func issue(_ error: DecodingError) -> (field: String, code: String, message: String) {
        let path = Self.field(error)
        let field = path.isEmpty ? "body" : path
        switch error {
        case .keyNotFound: return (field, "required", "is required")
        case .typeMismatch(let type, _): return (field, "type", "must be \(Self.jsonType(type))")
        case .valueNotFound(let type, _): return (field, "type", "must be \(Self.jsonType(type)), not null")
        case .dataCorrupted(let context):
            if context.debugDescription.lowercased().contains("additional properties") {
                return (field, "unknown_property", "has properties this API does not know")
            }
            return (field, "invalid", context.underlyingError == nil ? "is not one of the allowed values" : "is not valid JSON")
        @unknown default: return (field, "invalid", "is not valid")
        }
    }

    static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        default: "\(type)".contains("Array") ? "an array" : "an object"
        }
    }
}

extension HTTPField.Name {
    static let requestId = HTTPField.Name("X-Request-Id")!
}
