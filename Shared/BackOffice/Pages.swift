public import Foundation
public import Mustache

/// The back office's server-rendered pages: swift-mustache templates shipped in this target (`Templates/`: the
/// page head, banner, login and error pages) and in the service's own target (`adding`). `{{x}}` escapes HTML, so
/// every value is escaped unless a template says otherwise: only `new-contract` does, for its fields, which the
/// `contract-fields` template rendered (and escaped) before.
public struct Pages: Sendable {
    public let library: MustacheLibrary

    public init(adding directories: [URL] = []) throws {
        guard let directory = Bundle.module.resourceURL?.appendingPathComponent("Templates") else { throw CocoaError(.fileNoSuchFile) }
        var templates: [String: MustacheTemplate] = [:]
        for directory in [directory] + directories {
            for file in try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            where file.pathExtension == "mustache" {
                templates[file.deletingPathExtension().lastPathComponent] = try MustacheTemplate(
                    string: String(contentsOf: file, encoding: .utf8))
            }
        }
        library = MustacheLibrary(templates: templates)
    }

    public func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? "template \(template) is missing"
    }
}
