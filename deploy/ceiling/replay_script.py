#!/usr/bin/env python3
"""Turns PostgreSQL's CSV log of a `make load` run (log_statement=all) into a pgbench script that replays every
statement the services sent, with their transaction boundaries, for `make ceiling` (deploy/ceiling.sh).

    replay_script.py <csv log…> --out script.sql --psql "<psql command>" [--summary summary.json]

What it does, and what it changes (docs/PERFORMANCE.md, "The database's own ceiling"):
- only the services' own roles (avtal_*, not the owner that migrates, not the load generator or avtalctl);
- per backend, BEGIN … COMMIT is one transaction; a statement outside one is a transaction of its own; a transaction
  in which a statement failed is left out (it rolled back); LISTEN is left out (once per connection);
- each parameter value goes into the statement as a literal cast to the type PostgreSQL inferred for it (asked once
  per statement with PREPARE), so that pgbench's -M prepared plans each statement once per connection;
- what makes a contract unique — UUIDs, the load's references (load-<run>-<n>), metering point ids (735999…), the
  GetAccept's document and recipient ids (the sandbox's ga-…, rc-…), the back office's session digests (\\x + 64 hex digits) and form ids and CSRF tokens (43 characters of base64url) — is
  made new for each run of the script: derived from a per-run random number (set_config('avtal.r', …)), the same
  token always to the same value within one run, so the statements meet the rows they met in the capture;
- the relays' "mark published" (UPDATE … WHERE id = ANY(<row ids>)) names row ids of the capture, which the replay's
  rows do not have: each relay round reads (FOR UPDATE SKIP LOCKED) as many of the oldest due rows as it published in
  the capture, and marks those, as the relay would.
"""
import argparse
import csv
import json
import re
import subprocess
import sys

csv.field_size_limit(sys.maxsize)

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
DIGEST = r"\\x[0-9a-f]{64}(?![0-9a-f])"
SECRET = r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])"
SANDBOX_ID = r"(?<![0-9a-z-])(?:ga-[0-9a-f]{8}-[0-9a-f]{4}|rc-[0-9a-f]{8,})(?![0-9a-f])"
TOKEN = re.compile(rf"{UUID}|{DIGEST}|{SANDBOX_ID}|load-\d+-\d+|(?<!\d)735999\d{{12}}(?!\d)|{SECRET}")
PARAMETER = re.compile(r"\$(\d+) = (NULL|'(?:[^']|'')*')", re.S)
PLACEHOLDER = re.compile(r"\$(\d+)\b")
MARK_PUBLISHED = re.compile(r"^UPDATE (\w+)\.outbox SET published_at = now\(\) WHERE id = ANY\(\$1\)$")
DUE_ROWS = re.compile(r"FROM (\w+)\.outbox\s+WHERE published_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now\(\)\s+"
                      r"ORDER BY id\s+LIMIT \$1\s+FOR UPDATE SKIP LOCKED", re.S)
RUN = "current_setting('avtal.r')"

# PostgreSQL 15's csvlog columns.
COLUMNS = [
    "log_time", "user_name", "database_name", "process_id", "connection_from", "session_id", "session_line_num",
    "command_tag", "session_start_time", "virtual_transaction_id", "transaction_id", "error_severity",
    "sql_state_code", "message", "detail", "hint", "internal_query", "internal_query_pos", "context", "query",
    "query_pos", "location", "application_name", "backend_type", "leader_pid", "query_id",
]


def read_log(paths):
    for path in paths:
        with open(path, newline="") as handle:
            for row in csv.reader(handle):
                yield dict(zip(COLUMNS, row))


def statement_of(message):
    """The SQL of a logged statement, or None for any other message."""
    for prefix in ("statement: ", "execute <unnamed>: "):
        if message.startswith(prefix):
            return message[len(prefix):]
    match = re.match(r"execute [^:]+: ", message)
    return message[match.end():] if match else None


def parameters_of(detail):
    if not detail.startswith("parameters: "):
        return {}
    return {int(n): (None if v == "NULL" else v[1:-1].replace("''", "'")) for n, v in PARAMETER.findall(detail)}


def transactions(rows, contracts_users):
    """[(start time, [(sql, {n: value})])] in the order they started, failed ones left out."""
    open_by_pid, done = {}, []
    last_by_pid = {}
    for row in rows:
        pid = row["process_id"]
        if row["error_severity"] == "ERROR" and pid in last_by_pid:
            last_by_pid[pid]["failed"] = True
            continue
        if row["error_severity"] != "LOG" or not contracts_users(row["user_name"]):
            continue
        sql = statement_of(row["message"])
        if sql is None:
            continue
        sql = sql.strip().rstrip(";").strip()
        verb = sql.split(None, 1)[0].upper() if sql else ""
        if verb in ("LISTEN", "UNLISTEN"):
            continue
        if verb in ("BEGIN", "START"):
            open_by_pid[pid] = last_by_pid[pid] = {"start": row["log_time"], "statements": [], "failed": False}
            continue
        if verb in ("COMMIT", "END", "ROLLBACK"):
            transaction = open_by_pid.pop(pid, None)
            if transaction and verb != "ROLLBACK" and not transaction["failed"] and transaction["statements"]:
                done.append(transaction)
            continue
        statement = (sql, parameters_of(row["detail"]))
        if pid in open_by_pid:
            open_by_pid[pid]["statements"].append(statement)
        else:
            single = {"start": row["log_time"], "statements": [statement], "failed": False, "single": True}
            last_by_pid[pid] = single
            done.append(single)
    done = [t for t in done if not t["failed"]]
    done.sort(key=lambda t: t["start"])
    return done


def parameter_types(statements, psql):
    """{sql: [type of $1, $2, …]} as PostgreSQL infers them (PREPARE), or no entry when it cannot."""
    distinct = sorted({sql for sql in statements if PLACEHOLDER.search(sql)})
    script = "".join(f"PREPARE s{i} AS {sql};\n" for i, sql in enumerate(distinct))
    script += "SELECT name, parameter_types FROM pg_prepared_statements;\n"
    result = subprocess.run(psql + ["-qtAF", "|"], input=script, capture_output=True, text=True)
    types = {}
    for line in result.stdout.splitlines():
        name, _, listed = line.partition("|")
        if name.startswith("s") and name[1:].isdigit():
            types[distinct[int(name[1:])]] = [t.strip('"') for t in listed.strip("{}").split(",")] if listed != "{}" else []
    return types


class Tokens:
    """Each distinct token of the capture, numbered, and the SQL that makes it anew for every run of the script."""

    def __init__(self):
        self.numbers = {}

    def expression(self, token):
        key = token.lower()
        n = self.numbers.setdefault(key, len(self.numbers) + 1)
        if re.fullmatch(UUID, token):
            made = f"md5({RUN} || '.{n}')::uuid::text"
            return f"upper({made})" if token != key else made
        if re.fullmatch(DIGEST, token):
            return f"('\\x' || encode(sha256(({RUN} || '.{n}')::bytea), 'hex'))"
        if re.fullmatch(SECRET, token):
            return f"rtrim(translate(encode(sha256(({RUN} || '.{n}')::bytea), 'base64'), '+/', '-_'), '=')"
        if re.fullmatch(SANDBOX_ID, token):
            made = f"md5({RUN} || '.{n}')"
            if token.startswith("ga-"):
                return f"('ga-' || left({made}, 8) || '-' || substr({made}, 9, 4))"
            return f"('rc-' || left({made}, {len(token) - 3}))"
        if token.startswith("load-"):
            return f"('load-' || {RUN} || '-{n}')"
        return f"('735999' || lpad((abs(hashtext({RUN} || '.{n}')) % 1000000000000)::text, 12, '0'))"


def literal(text):
    """A string literal pgbench passes through untouched: no ':' (pgbench would take ':x' for a variable)."""
    if ":" in text or "\\" in text:
        return "E'" + text.replace("\\", "\\\\").replace("'", "''").replace(":", "\\x3a") + "'"
    return "'" + text.replace("'", "''") + "'"


def value_sql(value, type_name, tokens):
    if value is None:
        return "NULL" + (f"::{type_name}" if type_name else "")
    parts, last = [], 0
    for match in TOKEN.finditer(value):
        if match.start() > last:
            parts.append(literal(value[last:match.start()]))
        parts.append(tokens.expression(match.group(0)))
        last = match.end()
    if last < len(value) or not parts:
        parts.append(literal(value[last:]))
    expression = parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"
    return f"{expression}::{type_name}" if type_name else expression


def published_in(transaction):
    """How many rows the relay's round in this transaction marked published (0 if it is not a relay's round)."""
    count = 0
    for sql, values in transaction["statements"]:
        if MARK_PUBLISHED.match(sql) and values.get(1):
            count += len([i for i in values[1].strip("{}").split(",") if i])
    return count


def replay_sql(sql, values, types, tokens, published):
    mark = MARK_PUBLISHED.match(sql)
    if mark:
        # The capture's row ids: the replay marks the rows its own due-rows read locked (the same order and count).
        schema = mark.group(1)
        return (f"UPDATE {schema}.outbox SET published_at = now() WHERE id IN (SELECT id FROM {schema}.outbox "
                f"WHERE published_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now() ORDER BY id LIMIT {published} "
                f"FOR UPDATE SKIP LOCKED)")
    if DUE_ROWS.search(sql):
        # As many rows as the round published in the capture, not the batch size: the replay's backlog is not the capture's.
        values = dict(values)
        values[1] = str(published)
    declared = types.get(sql, [])

    def substitute(match):
        n = int(match.group(1))
        if n not in values:
            return match.group(0)
        type_name = declared[n - 1] if n - 1 < len(declared) and declared[n - 1] != "unknown" else None
        return "(" + value_sql(values[n], type_name, tokens) + ")"

    return PLACEHOLDER.sub(substitute, sql)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("logs", nargs="+")
    parser.add_argument("--out", required=True)
    parser.add_argument("--psql", required=True, help="the psql command, as one string")
    parser.add_argument("--summary")
    arguments = parser.parse_args()

    def is_service(user):
        return user.startswith("avtal_") and user != "avtal_owner"

    captured = transactions(read_log(arguments.logs), is_service)
    if not captured:
        sys.exit("no transaction of the services in the log")
    statements = [sql for t in captured for sql, _ in t["statements"]]
    types = parameter_types(statements, arguments.psql.split())
    tokens = Tokens()
    lines = ["-- One replay of every statement the services sent in the capture (deploy/ceiling/replay_script.py).",
             "\\set r random(1, 1000000000000000)",
             "SELECT set_config('avtal.r', :r::text, false);"]
    for transaction in captured:
        published = published_in(transaction)
        replayed = [replay_sql(sql, values, types, tokens, published) + ";" for sql, values in transaction["statements"]]
        if transaction.get("single"):
            lines += replayed
        else:
            lines += ["BEGIN;"] + replayed + ["COMMIT;"]
    with open(arguments.out, "w") as out:
        out.write("\n".join(lines) + "\n")
    summary = {
        "transactions": len(captured),
        "statements": len(statements),
        "distinct statements": len(set(statements)),
        "statements PostgreSQL could not type": len({s for s in statements if PLACEHOLDER.search(s)} - set(types)),
        "tokens": len(tokens.numbers),
    }
    # Which ones, so they can be given casts: their parameters go into the script untyped and may not replay.
    for sql in sorted({s for s in statements if PLACEHOLDER.search(s)} - set(types)):
        print("PostgreSQL could not type: " + " ".join(sql.split())[:160], file=sys.stderr)
    if arguments.summary:
        with open(arguments.summary, "w") as out:
            json.dump(summary, out)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
