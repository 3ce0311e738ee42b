/// How long a schema keeps rows no guarantee needs any more, pruned by the service that owns the schema (`Pruner`):
/// every schema's published outbox rows (7 days: long enough to look into what was sent) and its inbox (30 days:
/// far longer than any redelivery takes — a retried message comes back within minutes, the sweep re-publishes with
/// new ids), and what a target adds (partner-api's idempotency records).
public struct Retention: Sendable, Equatable {
    public let table: String
    /// The rows that may go once old enough, as SQL over the table's columns; `{schema}` for the schema.
    public let prunable: String
    /// The timestamp column that says how old a row is.
    public let age: String
    public let keep: Duration

    public init(table: String, prunable: String = "true", age: String, keep: Duration) {
        precondition(SchemaName(table) != nil && SchemaName(age) != nil, "plain names only")
        self.table = table
        self.prunable = prunable
        self.age = age
        self.keep = keep
    }

    /// What every schema keeps of its messaging tables.
    public static let messaging: [Retention] = [
        Retention(table: "outbox", prunable: "published_at IS NOT NULL", age: "published_at", keep: .seconds(7 * 86_400)),
        Retention(table: "inbox", age: "received_at", keep: .seconds(30 * 86_400)),
    ]
}
