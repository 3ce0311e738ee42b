public import AvtalPersistence

/// kontroll's own tables (schema `kontroll`): what each credit round led to, for audit and reconciliation.
private enum Migrations {

    static let all: [Migration] = [
        Migration(
            version: 2,
            name: "credit checks",
            statements: [
                """
                CREATE TABLE {schema}.credit_checks (
                    reference text PRIMARY KEY,
                    contract_id uuid NOT NULL,
                    credit_round integer NOT NULL,
                    outcome text NOT NULL,
                    reason_code text,
                    bureau text NOT NULL,
                    checked_at timestamptz NOT NULL,
                    mail_reference text,
                    recorded_at timestamptz NOT NULL DEFAULT now(),
                    UNIQUE (contract_id, credit_round)
                )
                """
            ]
        )
    ]
}

extension DatabaseSchema {
    public static let kontroll = DatabaseSchema(name: "kontroll", migrations: Migrations.all, grants: [.owner("avtal_kontroll")])
}
