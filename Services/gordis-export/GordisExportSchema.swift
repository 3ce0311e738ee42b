public import AvtalPersistence

/// gordis-export's own table (schema `gordis_export`): each special contract's export to Xellent — exported with
/// Xellent's id, or failed with the reason — for audit and for MKA's questions.
private enum Migrations {

    static let all: [Migration] = [
        Migration(
            version: 2,
            name: "exports",
            statements: [
                """
                CREATE TABLE {schema}.exports (
                    contract_id uuid PRIMARY KEY,
                    state text NOT NULL CHECK (state IN ('exported', 'failed')),
                    xellent_id text,
                    last_error text,
                    attempts integer NOT NULL DEFAULT 1,
                    updated_at timestamptz NOT NULL DEFAULT now(),
                    CHECK ((state = 'exported') = (xellent_id IS NOT NULL))
                )
                """
            ]
        )
    ]
}

extension DatabaseSchema {
    public static let gordisExport = DatabaseSchema(name: "gordis_export", migrations: Migrations.all, grants: [.owner("avtal_gordis_export")])
}
