#!/usr/bin/env bash
# `make bench-api`: POST /v1/contracts on a release partner-api, driven from a second process on loopback, and a plain
# pgbench single-row insert on the same PostgreSQL with the same number of clients, for comparison. Uses the test
# stack's ports (not at the same time as `make test`). Arguments: [clients] [seconds], default 16 10.
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
CLIENTS=${1:-16}
SECONDS_EACH=${2:-10}
bench_partner_api

echo "machine: $(nproc) cores; one partner-api (release, request log at info), PostgreSQL 15 (fsync on), loopback"
"$BIN/avtal-api-bench" --key "$KEY" --rate 50 --seconds 2 >/dev/null  # warm up connections and caches
"$BIN/avtal-api-bench" --key "$KEY" --rate 200 --seconds "$SECONDS_EACH"
api=$("$BIN/avtal-api-bench" --key "$KEY" --rate 0 --clients "$CLIENTS" --seconds "$SECONDS_EACH")
echo "$api"

# pgbench: one INSERT of a similar-sized row per transaction, same number of clients.
PSQL=("$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode)
"${PSQL[@]}" -c "CREATE TABLE IF NOT EXISTS pgbench_single_row (id bigserial PRIMARY KEY, body jsonb NOT NULL, at timestamptz NOT NULL DEFAULT now())"
script=$(mktemp)
echo "INSERT INTO pgbench_single_row (body) VALUES ('{\"externalReference\": \"bench\", \"customer\": {\"type\": \"private\", \"email\": \"anna@example.se\"}, \"product\": \"FIXED-12\"}');" >"$script"
pg=$("$PG_BIN/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "$CLIENTS" -j 2 -T "$SECONDS_EACH" -f "$script" avtalsflode 2>&1)
rm -f "$script"
tps=$(echo "$pg" | grep -oE "tps = [0-9.]+" | head -1 | grep -oE "[0-9.]+")
lat=$(echo "$pg" | grep -oE "latency average = [0-9.]+ ms" | head -1)
echo "pgbench single-row insert, $CLIENTS clients: $tps tps ($lat)"
rate=$(echo "$api" | grep -oE "= [0-9]+ req/s" | grep -oE "[0-9]+")
awk -v a="$rate" -v p="$tps" 'BEGIN { printf "partner-api / pgbench = %.2f\n", a / p }'
