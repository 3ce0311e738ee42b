import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// RFC 9457 problems: each kind has a stable `type` URI that partners can branch on.
enum ProblemType {
    static let base = "https://avtalsflode.se/problems/"
    static let validation = base + "validation"
    static let malformed = base + "malformed-request"
    static let unauthorized = base + "unauthorized"
    static let notFound = base + "not-found"
    static let duplicateReference = base + "duplicate-external-reference"
    static let idempotencyKeyReused = base + "idempotency-key-reused"
    static let withdrawalPeriodEnded = base + "withdrawal-period-ended"
    static let notWithdrawable = base + "not-withdrawable"
    static let notUnderReview = base + "not-under-review"
    static let supplementNotExpected = base + "supplement-not-expected"
    static let tooLarge = base + "payload-too-large"
    static let unsupportedMediaType = base + "unsupported-media-type"
    static let rateLimited = base + "rate-limited"
    static let methodNotAllowed = base + "method-not-allowed"
    static let internalError = base + "internal-error"
    static let unavailable = base + "unavailable"
}

extension Components.Schemas.Problem {
    init(type: String, status: HTTPResponse.Status, detail: String? = nil, errors: [Components.Schemas.FieldError]? = nil) {
        self.init(_type: type, title: status.reasonPhrase, status: status.code, detail: detail, errors: errors)
    }

    /// The problem as a Hummingbird response, for answers given before the generated handler runs.
    func response(headers extra: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(self)) ?? Data(#"{"type":"\#(ProblemType.internalError)","status":500}"#.utf8)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        headers.append(contentsOf: extra)
        return Response(
            status: HTTPResponse.Status(code: status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
