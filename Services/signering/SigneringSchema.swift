public import AvtalPersistence

/// signering's schema: one row per signing round of a contract (the intent is recorded before GetAccept is called),
/// every webhook received, and the subscriptions made at GetAccept.
private enum Migrations {

    static let requests = Migration(
        version: 2,
        name: "signing requests, webhooks and subscriptions",
        statements: [
            """
            CREATE TABLE {schema}.signing_requests (
                contract_id uuid NOT NULL,
                round integer NOT NULL CHECK (round > 0),
                external_id text NOT NULL UNIQUE,
                method text NOT NULL,
                state text NOT NULL CHECK (state IN ('intended', 'live', 'signed', 'rejected', 'expired', 'recalled', 'failed')),
                document_id text UNIQUE,
                recipient_id text,
                requested_at timestamptz NOT NULL,
                sent_at timestamptz,
                reminded_at timestamptz,
                expires_at timestamptz NOT NULL,
                finished_at timestamptz,
                PRIMARY KEY (contract_id, round)
            )
            """,
            "CREATE INDEX signing_requests_live ON {schema}.signing_requests (state, sent_at) WHERE state = 'live'",
            """
            CREATE TABLE {schema}.webhooks (
                id bigserial PRIMARY KEY,
                received_at timestamptz NOT NULL DEFAULT now(),
                event text,
                document_id text,
                body jsonb NOT NULL
            )
            """,
            """
            CREATE TABLE {schema}.subscriptions (
                event text NOT NULL,
                target_url text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (event, target_url)
            )
            """,
        ]
    )

    /// When signering next asks GetAccept about a live document on its own (a lost webhook must not leave a signed
    /// contract waiting until the document expires).
    static let statusChecks = Migration(
        version: 3,
        name: "status checks of live documents",
        statements: [
            "ALTER TABLE {schema}.signing_requests ADD COLUMN next_check_at timestamptz"
        ]
    )

    /// A subscription is known by its target URL's SHA-256; the URL itself is kept with the webhook secret masked.
    static let maskedSubscriptions = Migration(
        version: 4,
        name: "subscriptions without the webhook secret",
        statements: [
            "ALTER TABLE {schema}.subscriptions ADD COLUMN target_digest bytea",
            "UPDATE {schema}.subscriptions SET target_digest = sha256(convert_to(target_url, 'UTF8'))",
            "UPDATE {schema}.subscriptions SET target_url = regexp_replace(target_url, '[^/]*$', '***')",
            "ALTER TABLE {schema}.subscriptions ALTER COLUMN target_digest SET NOT NULL",
            "ALTER TABLE {schema}.subscriptions DROP CONSTRAINT subscriptions_pkey",
            "ALTER TABLE {schema}.subscriptions ADD PRIMARY KEY (event, target_digest)",
        ]
    )

    /// Who may call GetAccept for an intended round, until when: one caller at a time across every replica, so a
    /// slow create is never repeated by another replica (or by a retry of the same message) while it may still land.
    static let sendingLease = Migration(
        version: 5,
        name: "one caller at a time per signing round",
        statements: [
            "ALTER TABLE {schema}.signing_requests ADD COLUMN sending_until timestamptz"
        ]
    )

    /// Webhooks are looked up by document (one that came before its round was live is settled as the round goes live).
    static let webhooksByDocument = Migration(
        version: 6,
        name: "webhooks by document",
        statements: ["CREATE INDEX webhooks_document ON {schema}.webhooks (document_id)"]
    )

    /// The span that opened the round (W3C `traceparent`), when tracing was on: GetAccept's webhook, which starts no
    /// trace of ours, is handled in the contract's trace through it.
    static let roundTrace = Migration(
        version: 7,
        name: "the round's trace",
        statements: ["ALTER TABLE {schema}.signing_requests ADD COLUMN traceparent text"]
    )

    /// How many times a round was claimed for sending: the first caller knows no create can have gone out before it,
    /// and sends without asking GetAccept first. Rounds that exist when this runs count as claimed once, so their next
    /// caller still asks.
    static let sendingClaims = Migration(
        version: 8,
        name: "claims of a signing round",
        statements: [
            "ALTER TABLE {schema}.signing_requests ADD COLUMN sending_claims integer NOT NULL DEFAULT 1",
            "ALTER TABLE {schema}.signing_requests ALTER COLUMN sending_claims SET DEFAULT 0",
        ]
    )
}

extension DatabaseSchema {
    public static let signering = DatabaseSchema(
        name: "signering",
        migrations: [
            Migrations.requests, Migrations.statusChecks, Migrations.maskedSubscriptions, Migrations.sendingLease, Migrations.webhooksByDocument,
            Migrations.roundTrace, Migrations.sendingClaims,
        ],
        grants: [.owner("avtal_signering")],
        // Every webhook's body is kept 30 days, for looking into a signing afterwards.
        retention: [Retention(table: "webhooks", age: "received_at", keep: .seconds(30 * 86_400))])
}
