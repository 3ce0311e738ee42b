import Foundation
public import Hummingbird
import NIOCore

/// An answer given at the edge, before any route runs: an RFC 9457 problem (`application/problem+json`) with a stable
/// `type`, the same shape the partner API answers with.
public enum EdgeProblem {
    public static let typeBase = "https://avtalsflode.se/problems/"

    public static func response(_ status: HTTPResponse.Status, type: String, detail: String, headers extra: HTTPFields = [:]) -> Response {
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        headers.append(contentsOf: extra)
        let body =
            #"{"detail":"\#(escaped(detail))","status":\#(status.code),"title":"\#(escaped(status.reasonPhrase))","type":"\#(typeBase + type)"}"#
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Our own texts only ever reach here, but a JSON string is escaped all the same.
    private static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
