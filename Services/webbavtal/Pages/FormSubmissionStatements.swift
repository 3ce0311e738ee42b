import Foundation
import PostgresNIO

// A saved form's record (``FormSubmissions``), prepared once per connection: every form a seller saves runs both.

/// Records the form; a row back only when it was not recorded before.
struct FormSubmissionInsert: PostgresPreparedStatement {
    typealias Row = String
    static let name = "avtal.backoffice.form-submission.insert"
    static let sql = """
        INSERT INTO backoffice.form_submissions (form_id, contract_id, username) VALUES ($1, $2, $3)
        ON CONFLICT (form_id) DO NOTHING RETURNING form_id
        """
    static let bindingDataTypes: [PostgresDataType] = [.text, .uuid, .text]

    var formId: String
    var contractId: UUID
    var username: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 3)
        bindings.append(formId)
        bindings.append(contractId)
        bindings.append(username)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(String.self) }
}

/// What a saved form created.
struct FormSubmissionLookup: PostgresPreparedStatement {
    typealias Row = UUID
    static let name = "avtal.backoffice.form-submission.contract"
    static let sql = "SELECT contract_id FROM backoffice.form_submissions WHERE form_id = $1"
    static let bindingDataTypes: [PostgresDataType] = [.text]

    var formId: String

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(formId)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(UUID.self) }
}
