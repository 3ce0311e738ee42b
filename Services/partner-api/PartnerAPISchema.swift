public import AvtalPersistence

/// partner-api's own schema, `partner_api`: partners, their API keys (SHA-256 digests only) and the idempotency
/// records of answered requests.
private enum Migrations {

    static let partners = Migration(
        version: 2,
        name: "partners, API keys and idempotency records",
        statements: [
            """
            CREATE TABLE {schema}.partners (
                id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{0,63}$'),
                name text NOT NULL,
                channel text NOT NULL CHECK (channel IN ('partner', 'ownWeb')),
                requests_per_minute integer NOT NULL CHECK (requests_per_minute > 0),
                enabled boolean NOT NULL DEFAULT true,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE {schema}.api_keys (
                digest bytea PRIMARY KEY,
                partner_id text NOT NULL REFERENCES {schema}.partners (id),
                prefix text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                revoked_at timestamptz
            )
            """,
            """
            CREATE TABLE {schema}.idempotency_keys (
                partner_id text NOT NULL REFERENCES {schema}.partners (id),
                key text NOT NULL,
                request_digest bytea NOT NULL,
                contract_id uuid NOT NULL,
                response jsonb NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (partner_id, key)
            )
            """,
        ]
    )

    /// Each partner's rate limit as one token bucket shared by every replica. Unlogged: no WAL and no fsync per
    /// request; a crash empties it, which only forgives the partners a minute's count.
    static let rateBuckets = Migration(
        version: 3,
        name: "rate limit buckets shared by the replicas",
        statements: [
            """
            CREATE UNLOGGED TABLE {schema}.rate_buckets (
                partner_id text PRIMARY KEY,
                tokens double precision NOT NULL,
                allowed boolean NOT NULL,
                updated_at timestamptz NOT NULL
            )
            """
        ]
    )

    /// How many tokens a replica took at once (``RateLimiter``'s leases): the statement answers it.
    static let rateLeases = Migration(
        version: 7,
        name: "rate limit leases",
        statements: ["ALTER TABLE {schema}.rate_buckets ADD COLUMN taken integer NOT NULL DEFAULT 0"]
    )

    /// A customer's withdrawal passed on by their partner: one per contract, the first one answered again.
    static let withdrawals = Migration(
        version: 4,
        name: "withdrawals partners passed on",
        statements: [
            """
            CREATE TABLE {schema}.withdrawals (
                contract_id uuid PRIMARY KEY,
                partner_id text NOT NULL REFERENCES {schema}.partners (id),
                idempotency_key text,
                reason text CHECK (length(reason) <= 500),
                requested_at timestamptz NOT NULL
            )
            """
        ]
    )

    /// What partners supplied to contracts under review; an Idempotency-Key answers its first supplement again.
    static let supplements = Migration(
        version: 5,
        name: "supplements partners sent",
        statements: [
            """
            CREATE TABLE {schema}.supplements (
                id uuid PRIMARY KEY,
                contract_id uuid NOT NULL,
                partner_id text NOT NULL REFERENCES {schema}.partners (id),
                idempotency_key text,
                request_digest bytea NOT NULL,
                supplement jsonb NOT NULL,
                based_on_version integer NOT NULL,
                submitted_at timestamptz NOT NULL,
                UNIQUE (partner_id, idempotency_key)
            )
            """,
            "CREATE INDEX supplements_contract ON {schema}.supplements (contract_id)",
        ]
    )

    /// Each partner's webhook (its address and sealed secrets), the status sequence told per contract, and the
    /// deliveries: partner-api's own outbox for webhooks, each row retried until delivered or given up on.
    static let webhooks = Migration(
        version: 6,
        name: "partners' status webhooks and their deliveries",
        statements: [
            """
            CREATE TABLE {schema}.webhooks (
                partner_id text PRIMARY KEY REFERENCES {schema}.partners (id),
                url text NOT NULL CHECK (length(url) <= 2048),
                secret bytea NOT NULL,
                previous_secret bytea,
                previous_valid_until timestamptz,
                created_at timestamptz NOT NULL,
                updated_at timestamptz NOT NULL
            )
            """,
            """
            CREATE TABLE {schema}.status_notices (
                contract_id uuid PRIMARY KEY,
                sequence integer NOT NULL CHECK (sequence > 1),
                contract_version integer NOT NULL
            )
            """,
            """
            CREATE TABLE {schema}.webhook_deliveries (
                id uuid PRIMARY KEY,
                partner_id text NOT NULL REFERENCES {schema}.partners (id),
                contract_id uuid NOT NULL,
                sequence integer NOT NULL,
                body text NOT NULL,
                created_at timestamptz NOT NULL,
                retry_until timestamptz NOT NULL,
                next_attempt_at timestamptz,
                attempts integer NOT NULL DEFAULT 0,
                delivered_at timestamptz,
                failed_at timestamptz,
                last_status integer,
                last_error text,
                UNIQUE (contract_id, sequence),
                CHECK ((next_attempt_at IS NULL) = (delivered_at IS NOT NULL OR failed_at IS NOT NULL))
            )
            """,
            "CREATE INDEX webhook_deliveries_due ON {schema}.webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL",
            "CREATE INDEX webhook_deliveries_partner ON {schema}.webhook_deliveries (partner_id, created_at)",
        ]
    )
}

extension DatabaseSchema {
    public static let partnerAPI = DatabaseSchema(
        name: "partner_api",
        migrations: [
            Migrations.partners, Migrations.rateBuckets, Migrations.withdrawals, Migrations.supplements, Migrations.webhooks, Migrations.rateLeases,
        ],
        grants: [.owner("avtal_partner_api")],
        // An Idempotency-Key is remembered for 30 days (docs/partner-api.md).
        // A delivery is kept 30 days (docs/partner-api.md), long after its last retry; the sequence told per contract
        // is kept as long as the contract may change.
        retention: [
            Retention(table: "idempotency_keys", age: "created_at", keep: .seconds(30 * 86_400)),
            Retention(table: "webhook_deliveries", prunable: "next_attempt_at IS NULL", age: "created_at", keep: .seconds(30 * 86_400)),
        ])
}
