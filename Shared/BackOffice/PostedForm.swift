import Foundation
import MultipartKit
public import NIOCore

/// A posted HTML form: its text fields and the files it carries. Read from `application/x-www-form-urlencoded` (the
/// pages' usual forms) or `multipart/form-data` (a form with a file input), by multipart-kit's parser; nil when the
/// body is neither, or breaks its own rules (a broken escape, a part without a name, text that is not UTF-8). Pure.
public struct PostedForm: Sendable {
    /// A file from a file input: its name as the browser gave it, and its bytes.
    public struct File: Sendable, Equatable {
        public var filename: String
        public var bytes: [UInt8]

        public init(filename: String, bytes: [UInt8]) {
            self.filename = filename
            self.bytes = bytes
        }
    }

    public var fields: FormFields
    /// By the file input's name; a file input left empty is not here.
    public var files: [String: File]

    public init(fields: FormFields = FormFields(), files: [String: File] = [:]) {
        self.fields = fields
        self.files = files
    }

    /// At most this many parts in a multipart form: far more than any page of ours sends.
    static let maximumParts = 200

    /// The form in `body`, as `contentType` says it is written.
    public init?(_ body: ByteBuffer, contentType: String?) {
        let type = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        switch type {
        case "", "application/x-www-form-urlencoded":
            guard let fields = FormFields(strictlyURLEncoded: String(buffer: body)[...]) else { return nil }
            self.init(fields: fields)
        case "multipart/form-data":
            guard let boundary = contentType.flatMap(Self.boundary), let form = Self.multipart(body, boundary: boundary) else { return nil }
            self = form
        default:
            return nil
        }
    }

    /// The `boundary` parameter of a `multipart/form-data` content type.
    static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == "boundary" else { continue }
            let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            return (1...70).contains(value.count) ? value : nil
        }
        return nil
    }

    static func multipart(_ body: ByteBuffer, boundary: String) -> PostedForm? {
        var parts: [(headers: [(String, String)], body: ByteBuffer)] = []
        var headers: [(String, String)] = []
        var partBody = ByteBuffer()
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { chunk in partBody.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append((headers, partBody))
            headers = []
            partBody = ByteBuffer()
        }
        guard (try? parser.execute(body)) != nil, !parts.isEmpty, parts.count <= maximumParts else { return nil }
        var form = PostedForm()
        for part in parts {
            let disposition = part.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            guard let name = parameter("name", of: disposition), !name.isEmpty else { return nil }
            if let filename = parameter("filename", of: disposition) {
                if !filename.isEmpty || part.body.readableBytes > 0 {
                    form.files[name] = File(filename: filename, bytes: Array(part.body.readableBytesView))
                }
            } else {
                guard let text = String(validating: part.body.readableBytesView, as: UTF8.self) else { return nil }
                form.fields[name] = text.replacingOccurrences(of: "\r\n", with: "\n")
            }
        }
        return form
    }

    /// A parameter of a `Content-Disposition` header: `name="value"` (quotes and `\"` escapes as browsers send them).
    static func parameter(_ wanted: String, of header: String) -> String? {
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " }
            guard let equals = rest.firstIndex(of: "=") else { return nil }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = rest[rest.index(after: equals)...]
            var text = ""
            if value.first == "\"" {
                value = value.dropFirst()
                var escaped = false
                var end = value.endIndex
                for index in value.indices {
                    let character = value[index]
                    if escaped {
                        text.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        end = index
                        break
                    } else {
                        text.append(character)
                    }
                }
                rest = end < value.endIndex ? value[value.index(after: end)...] : ""
            } else {
                let end = value.firstIndex(of: ";") ?? value.endIndex
                text = value[..<end].trimmingCharacters(in: .whitespaces)
                rest = value[end...]
            }
            if key == wanted { return text }
        }
        return nil
    }
}
