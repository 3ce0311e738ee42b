/// The tables every service schema has for reliable messaging: its transactional outbox and its inbox. Their versions
/// are 1 and from 1001 on, so they never meet a target's own (2 and up).
public enum MessagingMigrations {
    public static let all: [Migration] = [outboxAndInbox, refusedRows, namedNotifications, noNotifications]

    /// The outbox notifies nobody: the writers ring their own process's relay after the commit (`OutboxSignal`). A
    /// transaction that sends a `NOTIFY` takes a cluster-wide lock and holds it through its commit's WAL flush, so
    /// every service's writes committed one after the other (docs/PERFORMANCE.md, issue 19).
    static let noNotifications = Migration(
        version: 1003,
        name: "outbox writes notify nobody",
        statements: [
            "DROP TRIGGER outbox_notify ON {schema}.outbox",
            "DROP FUNCTION {schema}.outbox_notify()",
        ]
    )

    /// Each inserting statement's notification named the newest row it wrote, so a relay passed over those it had
    /// taken already; a statement that wrote no row (an `INSERT … SELECT` of nothing) notified nobody. Gone in 1003.
    static let namedNotifications = Migration(
        version: 1002,
        name: "outbox notifications name their newest row",
        statements: [
            """
            CREATE OR REPLACE FUNCTION {schema}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                newest bigint := (SELECT max(id) FROM inserted);
            BEGIN
                IF newest IS NOT NULL THEN
                    PERFORM pg_notify('{schema}_outbox', newest::text);
                END IF;
                RETURN NULL;
            END
            $$
            """,
            "DROP TRIGGER outbox_notify ON {schema}.outbox",
            """
            CREATE TRIGGER outbox_notify AFTER INSERT ON {schema}.outbox REFERENCING NEW TABLE AS inserted
                FOR EACH STATEMENT EXECUTE FUNCTION {schema}.outbox_notify()
            """,
        ]
    )

    /// An outbox row the broker keeps refusing stops after a bounded number of attempts instead of looping, kept with
    /// its last error for an operator (`avtalctl outbox failed`).
    static let refusedRows = Migration(
        version: 1001,
        name: "outbox rows given up on",
        statements: [
            "ALTER TABLE {schema}.outbox ADD COLUMN failed_at timestamptz",
            "DROP INDEX {schema}.outbox_due",
            "CREATE INDEX outbox_due ON {schema}.outbox (next_attempt_at, id) WHERE published_at IS NULL AND failed_at IS NULL",
        ]
    )

    static let outboxAndInbox = Migration(
        version: 1,
        name: "outbox and inbox",
        statements: [
            """
            CREATE TABLE {schema}.outbox (
                id bigserial PRIMARY KEY,
                message_id uuid NOT NULL UNIQUE,
                message_type text NOT NULL,
                routing_key text NOT NULL,
                body bytea NOT NULL,
                traceparent text,
                created_at timestamptz NOT NULL DEFAULT now(),
                next_attempt_at timestamptz NOT NULL DEFAULT now(),
                attempts integer NOT NULL DEFAULT 0,
                last_error text,
                published_at timestamptz
            )
            """,
            "CREATE INDEX outbox_due ON {schema}.outbox (next_attempt_at, id) WHERE published_at IS NULL",
            """
            CREATE FUNCTION {schema}.outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('{schema}_outbox', '');
                RETURN NULL;
            END
            $$
            """,
            """
            CREATE TRIGGER outbox_notify AFTER INSERT ON {schema}.outbox
                FOR EACH STATEMENT EXECUTE FUNCTION {schema}.outbox_notify()
            """,
            """
            CREATE TABLE {schema}.inbox (
                message_id uuid PRIMARY KEY,
                message_type text NOT NULL,
                received_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]
    )
}
