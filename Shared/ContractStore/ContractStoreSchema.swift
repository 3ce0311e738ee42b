public import AvtalPersistence

/// The contract store's schema, `webbavtal`: contracts, their facilities (for duplicate detection), the append-only
/// audit trail, and (from ``MessagingMigrations``) the outbox and inbox.
private enum Migrations {
    static let own: [Migration] = [contracts, creditRounds, reasonDetail, sweepRounds, auditTime, traceparent]

    static let contracts = Migration(
        version: 2,
        name: "contracts, facilities and the audit trail",
        statements: [
            """
            CREATE TABLE {schema}.contracts (
                id uuid PRIMARY KEY,
                kind text NOT NULL,
                sales_channel text NOT NULL,
                state text NOT NULL,
                version integer NOT NULL DEFAULT 1,
                details jsonb NOT NULL,
                requires_signature boolean NOT NULL,
                partner_id text,
                external_reference text,
                foa_id text,
                possible_duplicate_of uuid[] NOT NULL DEFAULT '{}',
                findings jsonb,
                needs_mka_reasons text[] NOT NULL DEFAULT '{}',
                resubmitted_with_credit_check boolean,
                signing_document_id text,
                confirmed_at timestamptz,
                created_at timestamptz NOT NULL,
                created_by text NOT NULL,
                state_changed_at timestamptz NOT NULL
            )
            """,
            "CREATE UNIQUE INDEX contracts_partner_reference ON {schema}.contracts (partner_id, external_reference) WHERE partner_id IS NOT NULL",
            "CREATE INDEX contracts_state ON {schema}.contracts (state, state_changed_at)",
            """
            CREATE TABLE {schema}.contract_facilities (
                contract_id uuid NOT NULL REFERENCES {schema}.contracts (id),
                metering_point_id text NOT NULL,
                PRIMARY KEY (contract_id, metering_point_id)
            )
            """,
            "CREATE INDEX contract_facilities_metering_point ON {schema}.contract_facilities (metering_point_id)",
            """
            CREATE TABLE {schema}.audit_trail (
                id bigserial PRIMARY KEY,
                contract_id uuid NOT NULL REFERENCES {schema}.contracts (id),
                at timestamptz NOT NULL,
                actor_kind text NOT NULL,
                actor_id text NOT NULL,
                action text NOT NULL,
                from_state text,
                to_state text,
                reason text,
                cause_message_id uuid,
                detail jsonb
            )
            """,
            "CREATE INDEX audit_trail_contract ON {schema}.audit_trail (contract_id, id)",
            """
            CREATE FUNCTION {schema}.audit_trail_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'the audit trail is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
            END
            $$
            """,
            """
            CREATE TRIGGER audit_trail_no_update_or_delete BEFORE UPDATE OR DELETE ON {schema}.audit_trail
                FOR EACH ROW EXECUTE FUNCTION {schema}.audit_trail_is_append_only()
            """,
            """
            CREATE TRIGGER audit_trail_no_truncate BEFORE TRUNCATE ON {schema}.audit_trail
                FOR EACH STATEMENT EXECUTE FUNCTION {schema}.audit_trail_is_append_only()
            """,
        ]
    )

    /// Which credit check a contract is on: 1, raised each time MKA orders a new one. kontroll keys its credit check by
    /// contract and round, so a re-published event can never cause a second check.
    static let creditRounds = Migration(
        version: 3,
        name: "credit rounds",
        statements: ["ALTER TABLE {schema}.contracts ADD COLUMN credit_round integer NOT NULL DEFAULT 1"]
    )

    /// The reasons are codes only (`NeedsMKAReason`); what another system said about its failure (Xellent's refusal of
    /// an export, once written as `export.failed: <text>`) is kept beside them.
    static let reasonDetail = Migration(
        version: 4,
        name: "the reason's detail beside its code",
        statements: [
            "ALTER TABLE {schema}.contracts ADD COLUMN needs_mka_detail text",
            """
            UPDATE {schema}.contracts SET needs_mka_detail = substr(needs_mka_reasons[1], length('export.failed: ') + 1),
                needs_mka_reasons = ARRAY['export.failed']
            WHERE needs_mka_reasons[1] LIKE 'export.failed: %'
            """,
        ]
    )

    /// How often the safety net has published a waiting contract's next step again since its last change, and when it
    /// may next: each round waits twice as long as the one before, and after the last the contract goes to MKA.
    static let sweepRounds = Migration(
        version: 5,
        name: "the safety net's rounds per contract",
        statements: [
            "ALTER TABLE {schema}.contracts ADD COLUMN sweep_rounds integer NOT NULL DEFAULT 0, ADD COLUMN next_sweep_at timestamptz"
        ]
    )

    /// The flow board's last hour of transitions. BRIN: the trail is written in time order, so a block range index
    /// finds the hour for almost nothing per insert.
    static let auditTime = Migration(
        version: 6,
        name: "the audit trail by time",
        statements: ["CREATE INDEX audit_trail_at ON {schema}.audit_trail USING brin (at)"]
    )

    /// The span that stored the contract (W3C `traceparent`), when tracing was on: what a later step of the contract
    /// — a person's decision, a signature — continues, so the contract keeps one trace; and its page's link to it.
    static let traceparent = Migration(
        version: 7,
        name: "the contract's trace",
        statements: ["ALTER TABLE {schema}.contracts ADD COLUMN traceparent text"]
    )
}

extension DatabaseSchema {
    /// webbavtal owns the store; the other intake services (partner-api, foa) may only insert and read — never update or
    /// delete — so the database itself keeps "after the insert only webbavtal changes a contract".
    public static let contractStore = DatabaseSchema(
        name: "webbavtal", migrations: Migrations.own,
        grants: [.owner("avtal_webbavtal"), .intake("avtal_partner_api"), .intake("avtal_foa")])
}

extension SchemaGrant {
    /// The contract store's insert path and reads: a contract, its facilities and its first audit record; nothing
    /// more (its `ContractStored` goes into the intake service's own outbox).
    static func intake(_ role: String) -> SchemaGrant {
        SchemaGrant(
            role: role,
            statements: [
                "GRANT USAGE ON SCHEMA {schema} TO {role}",
                "GRANT SELECT, INSERT ON {schema}.contracts, {schema}.contract_facilities TO {role}",
                "GRANT SELECT, INSERT ON {schema}.audit_trail TO {role}",
                "GRANT USAGE ON SEQUENCE {schema}.audit_trail_id_seq TO {role}",
            ])
    }
}
