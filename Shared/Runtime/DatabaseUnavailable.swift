import PostgresNIO

/// Whether an error says our database could not be reached — a lost or refused connection, or the pool giving up on
/// making one: an outage of ours, not the request's fault, so `503` with `Retry-After` rather than `500`.
public enum DatabaseUnavailable {
    /// `error`, or the error it wraps (`wrapped`: what a generated handler's error carries), is such an error.
    public static func matches(_ error: any Error, wrapped: (any Error)? = nil) -> Bool {
        let inner = wrapped ?? error
        if let psql = inner as? PSQLError {
            return [.connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown].contains(psql.code)
        }
        // PostgresNIO's pool error lives in a module of its own that is not meant to be imported.
        return String(reflecting: type(of: inner)).hasSuffix("ConnectionPoolError")
    }
}
