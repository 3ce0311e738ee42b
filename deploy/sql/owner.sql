-- Run in the services' database: everything of ours belongs to avtal_owner, also what an earlier version of these
-- scripts created as the superuser (a local cluster from before the roles existed).
ALTER DATABASE avtalsflode OWNER TO avtal_owner;
DO $$
DECLARE
    item record;
    ours text[] := ARRAY['webbavtal', 'partner_api', 'kontroll', 'signering', 'foa', 'gordis_export', 'backoffice'];
BEGIN
    FOR item IN SELECT nspname FROM pg_namespace WHERE nspname = ANY (ours) AND nspowner <> 'avtal_owner'::regrole LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO avtal_owner', item.nspname);
    END LOOP;
    FOR item IN SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY (ours) AND tableowner <> 'avtal_owner' LOOP
        EXECUTE format('ALTER TABLE %I.%I OWNER TO avtal_owner', item.schemaname, item.tablename);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS function FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = ANY (ours) AND p.proowner <> 'avtal_owner'::regrole LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO avtal_owner', item.function);
    END LOOP;
END
$$;
