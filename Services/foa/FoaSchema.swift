public import AvtalPersistence

/// foa's own table (schema `foa`): the drafts, one per FOA id, as the form holds them, until marked ready.
private enum Migrations {

    static let all: [Migration] = [
        Migration(
            version: 2,
            name: "drafts",
            statements: [
                """
                CREATE TABLE {schema}.drafts (
                    foa_id text PRIMARY KEY,
                    fields jsonb NOT NULL,
                    version integer NOT NULL DEFAULT 1,
                    state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'ready')),
                    contract_id uuid,
                    created_by text NOT NULL,
                    updated_by text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    CHECK ((state = 'ready') = (contract_id IS NOT NULL))
                )
                """,
                "CREATE INDEX drafts_updated ON {schema}.drafts (updated_by, updated_at DESC)",
            ]
        )
    ]
}

extension DatabaseSchema {
    public static let foa = DatabaseSchema(name: "foa", migrations: Migrations.all, grants: [.owner("avtal_foa")])
}
