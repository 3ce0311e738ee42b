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
}

extension DatabaseSchema {
    public static let partnerAPI = DatabaseSchema(
        name: "partner_api", migrations: [Migrations.partners], grants: [.owner("avtal_partner_api")],
        // An Idempotency-Key is remembered for 30 days (docs/partner-api.md).
        retention: [Retention(table: "idempotency_keys", age: "created_at", keep: .seconds(30 * 86_400))])
}
