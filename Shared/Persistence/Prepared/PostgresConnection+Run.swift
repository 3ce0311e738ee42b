public import Logging
public import PostgresNIO

extension PostgresConnection {
    /// Runs a prepared statement that returns no rows, to its end (its errors thrown here).
    ///
    /// Not PostgresNIO's `execute` that returns the command tag: it asks the row stream for the tag before the
    /// statement's completion may have arrived, which stops the process (PSQLRowStream: "commandTag may only be called
    /// if all rows have been consumed").
    public func run<Statement: PostgresPreparedStatement>(_ statement: Statement, logger: Logger) async throws where Statement.Row == () {
        for try await _ in try await execute(statement, logger: logger) {}
    }
}
