public import AvtalPersistence

/// The back office's people (schema `backoffice`, shared by webbavtal and foa): users with bcrypt password hashes and
/// a role, and their sessions (only a digest of each session token is stored).
private enum Migrations {

    static let users = Migration(
        version: 2,
        name: "users and sessions",
        statements: [
            """
            CREATE TABLE {schema}.users (
                username text PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
                display_name text NOT NULL,
                role text NOT NULL CHECK (role IN ('seller', 'business-seller', 'mka')),
                password_hash text NOT NULL,
                enabled boolean NOT NULL DEFAULT true,
                created_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            """
            CREATE TABLE {schema}.sessions (
                token_digest bytea PRIMARY KEY,
                username text NOT NULL REFERENCES {schema}.users (username),
                csrf_token text NOT NULL,
                created_at timestamptz NOT NULL DEFAULT now(),
                expires_at timestamptz NOT NULL
            )
            """,
            "CREATE INDEX sessions_expiry ON {schema}.sessions (expires_at)",
        ]
    )

    static let forms = Migration(
        version: 3,
        name: "form prefills and submissions",
        statements: [
            // What a link from Lime carried, kept here so that it never travels in a redirect: only the digest of the
            // random token that names it, claimed by the first user who opens it.
            """
            CREATE TABLE {schema}.form_prefills (
                token_digest bytea PRIMARY KEY,
                fields jsonb NOT NULL,
                claimed_by text REFERENCES {schema}.users (username),
                expires_at timestamptz NOT NULL
            )
            """,
            "CREATE INDEX form_prefills_expiry ON {schema}.form_prefills (expires_at)",
            // One saved form, one contract: a second post of the same form (a double click, a retry) finds the first.
            """
            CREATE TABLE {schema}.form_submissions (
                form_id text PRIMARY KEY CHECK (length(form_id) BETWEEN 16 AND 64),
                contract_id uuid NOT NULL,
                username text NOT NULL REFERENCES {schema}.users (username),
                submitted_at timestamptz NOT NULL DEFAULT now()
            )
            """,
        ]
    )

    /// Login attempts, shared by every replica: one row per attempt, by username and by client address, reserved before
    /// the password is checked; a successful attempt's rows go, a failed one's stay for the window.
    static let loginAttempts = Migration(
        version: 4,
        name: "login attempts",
        statements: [
            """
            CREATE TABLE {schema}.login_attempts (
                id bigserial PRIMARY KEY,
                key text NOT NULL,
                at timestamptz NOT NULL DEFAULT now()
            )
            """,
            "CREATE INDEX login_attempts_key ON {schema}.login_attempts (key, at)",
        ]
    )

    /// Who left a Lime link's data waiting (a digest of the client's address, never the address), so that anyone who
    /// may follow the link without logging in can leave only a few unclaimed.
    static let prefillClients = Migration(
        version: 5,
        name: "prefills by client",
        statements: [
            "ALTER TABLE {schema}.form_prefills ADD COLUMN client_digest bytea",
            "ALTER TABLE {schema}.form_prefills ADD COLUMN created_at timestamptz NOT NULL DEFAULT now()",
            "CREATE INDEX form_prefills_client ON {schema}.form_prefills (client_digest, created_at) WHERE claimed_by IS NULL",
        ]
    )

    /// Operations staff (`ops`: the flow board, nothing else), and what a person did to the flow itself — a parked
    /// message replayed from the board — as an append-only record.
    static let operations = Migration(
        version: 6,
        name: "the ops role and operator actions",
        statements: [
            "ALTER TABLE {schema}.users DROP CONSTRAINT users_role_check",
            "ALTER TABLE {schema}.users ADD CONSTRAINT users_role_check CHECK (role IN ('seller', 'business-seller', 'mka', 'ops'))",
            """
            CREATE TABLE {schema}.operator_actions (
                id bigserial PRIMARY KEY,
                at timestamptz NOT NULL DEFAULT now(),
                username text NOT NULL REFERENCES {schema}.users (username),
                action text NOT NULL,
                detail jsonb NOT NULL
            )
            """,
        ]
    )
}

extension DatabaseSchema {
    public static let backOffice = DatabaseSchema(
        name: "backoffice",
        migrations: [Migrations.users, Migrations.forms, Migrations.loginAttempts, Migrations.prefillClients, Migrations.operations],
        grants: [.owner("avtal_webbavtal"), .owner("avtal_foa")])
}
