public import Foundation

/// Where this target's page templates are: the internal form, the worklist and the contract page.
public enum ContractDeskTemplates {
    public static var directory: URL {
        get throws {
            guard let url = Bundle.module.resourceURL?.appendingPathComponent("Templates") else { throw CocoaError(.fileNoSuchFile) }
            return url
        }
    }
}
