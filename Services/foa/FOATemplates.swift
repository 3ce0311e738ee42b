import Foundation

/// Where FOA's page templates are.
enum FOATemplates {
    static var directory: URL {
        get throws {
            guard let url = Bundle.module.resourceURL?.appendingPathComponent("Templates") else { throw CocoaError(.fileNoSuchFile) }
            return url
        }
    }
}
