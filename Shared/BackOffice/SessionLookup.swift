import Foundation
import NIOCore
import PostgresNIO

/// A live session's user and CSRF token, by the digest of its cookie's token: every page a seller or MKA opens or
/// posts asks it once, so it is prepared once per connection (issue 19: it was parsed and planned anew each time).
struct SessionLookup: PostgresPreparedStatement {
    typealias Row = (username: String, displayName: String, role: String, csrfToken: String)
    static let name = "avtal.backoffice.session"
    static let sql = """
        SELECT u.username, u.display_name, u.role, s.csrf_token FROM backoffice.sessions s
        JOIN backoffice.users u ON u.username = s.username
        WHERE s.token_digest = $1 AND s.expires_at > $2 AND u.enabled
        """
    static let bindingDataTypes: [PostgresDataType] = [.bytea, .timestamptz]

    var tokenDigest: ByteBuffer
    var now: Date

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 2)
        bindings.append(tokenDigest)
        bindings.append(now)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode((String, String, String, String).self)
    }
}
