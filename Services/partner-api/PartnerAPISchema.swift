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
}

extension DatabaseSchema {
    public static let partnerAPI = DatabaseSchema(
        name: "partner_api", migrations: [Migrations.partners, Migrations.rateBuckets, Migrations.withdrawals, Migrations.supplements],
        grants: [.owner("avtal_partner_api")],
        // An Idempotency-Key is remembered for 30 days (docs/partner-api.md).
        retention: [Retention(table: "idempotency_keys", age: "created_at", keep: .seconds(30 * 86_400))])
}
