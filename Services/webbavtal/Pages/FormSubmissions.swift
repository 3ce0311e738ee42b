public import Foundation
public import Logging
public import PostgresNIO

/// One saved form, one record (`backoffice.form_submissions`): every form page carries a random form id, and saving
/// records it in the same transaction as what the form created. A second post of the same form (a double click, a
/// browser retry) finds the first one's record instead of creating anything.
public struct FormSubmissions: Sendable {
    let logger: Logger

    public init(logger: Logger) {
        self.logger = logger
    }

    /// Records that form `formId` created `contractId`; false, writing nothing, when the form was saved before
    /// (a concurrent second post waits for the first's transaction and then gets false).
    public func record(_ formId: String, created contractId: UUID, by username: String, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.execute(FormSubmissionInsert(formId: formId, contractId: contractId, username: username), logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// What form `formId` created, if it was saved.
    public func contract(of formId: String, on connection: PostgresConnection) async throws -> UUID? {
        for try await id in try await connection.execute(FormSubmissionLookup(formId: formId), logger: logger) { return id }
        return nil
    }
}
