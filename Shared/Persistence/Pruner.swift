import Foundation
public import Logging
import Metrics
public import PostgresNIO
public import ServiceLifecycle

/// Deletes what a schema's ``Retention`` rules no longer keep, every `interval`, in batches (so no delete holds many
/// rows locked at once): the tables that would otherwise only grow, and slow the relay as published rows pile up.
public final class Pruner: Service {
    private let schema: DatabaseSchema
    private let client: PostgresClient
    private let interval: Duration
    private let batch: Int
    private let logger: Logger

    public init(schema: DatabaseSchema, client: PostgresClient, interval: Duration, batch: Int = 10_000, logger: Logger) {
        self.schema = schema
        self.client = client
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    public func run() async throws {
        await runPeriodically(every: interval, logger: logger, failure: "pruning failed; the next round tries again") { try await self.pruneOnce() }
    }

    /// One round over every rule; returns how many rows went.
    @discardableResult
    public func pruneOnce() async throws -> Int {
        var total = 0
        for rule in schema.retention {
            let seconds = Double(rule.keep.components.seconds)
            let table = "\(schema.name.name).\(rule.table)"
            while true {
                let sql = """
                    DELETE FROM \(table) WHERE ctid IN (
                        SELECT ctid FROM \(table) WHERE \(rule.prunable.replacingOccurrences(of: "{schema}", with: schema.name.name))
                            AND \(rule.age) < now() - make_interval(secs => \(seconds))
                        LIMIT \(batch))
                    RETURNING 1
                    """
                let rows = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect().count
                total += rows
                if rows < batch { break }
            }
        }
        if total > 0 {
            Counter(label: "avtal_pruned_rows_total", dimensions: [("schema", schema.name.name)]).increment(by: total)
            logger.debug("pruned", metadata: ["avtal.schema": "\(schema.name)", "avtal.rows": "\(total)"])
        }
        return total
    }
}
