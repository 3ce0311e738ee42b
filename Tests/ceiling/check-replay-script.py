#!/usr/bin/env python3
"""`make ceiling`'s log-to-pgbench step (deploy/ceiling/replay_script.py) on a small log of known content, against the
test stack's PostgreSQL: what it keeps and leaves out, the values it makes new per run, the relay rounds it rewrites,
and that pgbench replays the script twice without a conflict. Run by deploy/test.sh. Usage: check-replay-script.py
<psql binary> <pgbench binary> <port>."""
import csv
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PSQL, PGBENCH, PORT = sys.argv[1], sys.argv[2], sys.argv[3]
CONNECT = ["-h", "127.0.0.1", "-p", PORT, "-U", "postgres", "-d", "avtalsflode"]
CONTRACT = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
failures = []
checked = 0


def check(condition, what):
    global checked
    checked += 1
    if not condition:
        failures.append(what)


def psql(sql):
    return subprocess.run([PSQL, *CONNECT, "-qXtA", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True, capture_output=True, text=True).stdout


def row(pid, user, message, detail="", severity="LOG"):
    columns = [""] * 26
    columns[0], columns[1], columns[3], columns[11], columns[13], columns[14] = "2026-12-01 01:00:00.000 UTC", user, str(pid), severity, message, detail
    return columns


INSERT = "INSERT INTO ceiling_check.t (id, ref, at) VALUES ($1, $2, $3)"
DUE = ("SELECT id FROM ceiling_check.outbox\nWHERE published_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()\n"
       "ORDER BY id\nLIMIT $1\nFOR UPDATE SKIP LOCKED")
MARK = "UPDATE ceiling_check.outbox SET published_at = now() WHERE id = ANY($1)"
log = [
    row(10, "avtal_kontroll", "statement: BEGIN;"),
    row(10, "avtal_kontroll", f"execute <unnamed>: {INSERT}",
        f"parameters: $1 = '{CONTRACT}', $2 = 'load-7-3', $3 = '2026-12-01 01:02:03+00'"),
    row(10, "avtal_kontroll", "statement: COMMIT;"),
    # A transaction that failed: left out.
    row(11, "avtal_webbavtal", "statement: BEGIN;"),
    row(11, "avtal_webbavtal", f"execute <unnamed>: {INSERT}", f"parameters: $1 = '{CONTRACT}', $2 = 'load-7-4', $3 = NULL"),
    row(11, "avtal_webbavtal", "duplicate key value violates unique constraint", severity="ERROR"),
    row(11, "avtal_webbavtal", "statement: ROLLBACK;"),
    # Not the services': left out.
    row(12, "postgres", "statement: SELECT count(*) FROM ceiling_check.t"),
    row(13, "avtal_owner", "statement: CREATE TABLE ceiling_check.u (x int)"),
    row(10, "avtal_kontroll", "statement: LISTEN kontroll_outbox"),
    # A relay's round that published two rows.
    row(14, "avtal_kontroll", "statement: BEGIN;"),
    row(14, "avtal_kontroll", f"execute avtal.outbox.due.kontroll: {DUE}", "parameters: $1 = '200'"),
    row(14, "avtal_kontroll", f"execute avtal.outbox.published.kontroll: {MARK}", "parameters: $1 = '{5,6}'"),
    row(14, "avtal_kontroll", "statement: COMMIT;"),
    # A statement of its own.
    row(15, "avtal_signering", "execute <unnamed>: SELECT count(*) FROM ceiling_check.t WHERE id = $1", f"parameters: $1 = '{CONTRACT}'"),
]

psql("DROP SCHEMA IF EXISTS ceiling_check CASCADE; CREATE SCHEMA ceiling_check;"
     "CREATE TABLE ceiling_check.t (id uuid PRIMARY KEY, ref text UNIQUE NOT NULL, at timestamptz);"
     "CREATE TABLE ceiling_check.outbox (id bigserial PRIMARY KEY, published_at timestamptz, failed_at timestamptz,"
     " next_attempt_at timestamptz NOT NULL DEFAULT now());"
     "INSERT INTO ceiling_check.outbox DEFAULT VALUES; INSERT INTO ceiling_check.outbox DEFAULT VALUES;"
     "INSERT INTO ceiling_check.outbox DEFAULT VALUES; INSERT INTO ceiling_check.outbox DEFAULT VALUES;")
try:
    with tempfile.TemporaryDirectory() as work:
        with open(f"{work}/log.csv", "w", newline="") as handle:
            csv.writer(handle).writerows(log)
        result = subprocess.run(
            [sys.executable, f"{ROOT}/deploy/ceiling/replay_script.py", f"{work}/log.csv", "--out", f"{work}/script.sql",
             "--summary", f"{work}/summary.json", "--psql", " ".join([PSQL, *CONNECT, "-X"])],
            capture_output=True, text=True)
        check(result.returncode == 0, f"replay_script.py failed: {result.stderr}")
        summary = json.load(open(f"{work}/summary.json"))
        script = open(f"{work}/script.sql").read()
        check(summary["transactions"] == 3, f"3 transactions kept (kontroll's insert, the relay's round, the lone select): {summary}")
        check(summary["statements PostgreSQL could not type"] == 0, f"every statement typed: {summary}")
        check(script.count("BEGIN;") == 2 and script.count("COMMIT;") == 2, "the two transaction blocks kept as blocks")
        check("load-7-4" not in script and "ROLLBACK" not in script, "the failed transaction left out")
        check("LISTEN" not in script and "ceiling_check.u" not in script and "FROM ceiling_check.t;" not in script,
              "LISTEN, the owner's and postgres's statements left out")
        check(CONTRACT not in script and "load-7-3" not in script, "the capture's unique values are not replayed as they were")
        made = "md5(current_setting('avtal.r') || '.1')::uuid"
        check(script.count(made) == 2, "the contract's id made new per run, the same expression wherever it appeared")
        check("('load-' || current_setting('avtal.r') || '-2')" in script, "the load's reference made new per run")
        check("::uuid" in script and "::timestamp with time zone" in script, "each value cast to the type PostgreSQL inferred")
        bare_colons = re.findall(r"(?<!:):(?!:)[A-Za-z0-9_]+", script)
        check(bare_colons == [":r"], f"no ':' left in a literal for pgbench to take for a variable: {bare_colons}")
        check("LIMIT ('2'::bigint)" in script, "the relay's read takes as many rows as its round published")
        check("ORDER BY id LIMIT 2 FOR UPDATE SKIP LOCKED)" in script and "{5,6}" not in script,
              "the relay's mark names the rows it read, not the capture's ids")
        replay = subprocess.run([PGBENCH, *CONNECT[:-2], "-n", "-M", "prepared", "-c", "1", "-t", "2", "-f", f"{work}/script.sql",
                                 "avtalsflode"], capture_output=True, text=True)
        check(replay.returncode == 0 and "aborted" not in replay.stderr, f"pgbench replays it twice: {replay.stderr[-500:]}")
        check(psql("SELECT count(*), count(DISTINCT id), count(DISTINCT ref) FROM ceiling_check.t").strip() == "2|2|2",
              "two runs, two rows, each with values of its own")
        check(psql("SELECT count(*) FROM ceiling_check.outbox WHERE published_at IS NOT NULL").strip() == "4",
              "each run's relay round marked two rows")
finally:
    psql("DROP SCHEMA IF EXISTS ceiling_check CASCADE")

if failures:
    print("replay script check FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print(f"replay script check: {checked} checks passed")
