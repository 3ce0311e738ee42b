import Foundation

/// Where webbavtal's page templates are: the internal form, the worklist and the contract page (the page head, login,
/// error and form-field templates are the back office kit's).
enum WebbavtalTemplates {
    static var directory: URL {
        get throws {
            guard let url = Bundle.module.resourceURL?.appendingPathComponent("Templates") else { throw CocoaError(.fileNoSuchFile) }
            return url
        }
    }
}
