-- The roles of a project-local cluster (deploy/postgres.sh runs this at every start; it changes nothing twice):
-- avtal_owner owns the database and every schema and runs the migrations; each service logs in as its own role,
-- which the migrations grant only what the service needs (SchemaGrant in the code, docs/SECURITY.md). Locally the
-- cluster trusts 127.0.0.1, so no role has a password; in production the cluster's operator creates them with one.
DO $$
DECLARE
    role text;
BEGIN
    FOREACH role IN ARRAY ARRAY['avtal_owner', 'avtal_partner_api', 'avtal_webbavtal', 'avtal_kontroll', 'avtal_signering',
                                'avtal_foa', 'avtal_gordis_export']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role) THEN
            EXECUTE format('CREATE ROLE %I LOGIN', role);
        END IF;
    END LOOP;
END
$$;
