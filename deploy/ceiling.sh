#!/usr/bin/env bash
# `make ceiling`: how many contracts/s the database alone could carry on this machine. Runs the whole system under
# `avtal-load` (as `make load`, release builds, a fresh test stack) with PostgreSQL logging every statement, stops the
# services, turns the log into a pgbench script (deploy/ceiling/replay_script.py: every statement the services sent,
# their transaction boundaries, prepared), and replays it with pgbench against the same database. Prints the replay's
# contracts/s and PostgreSQL's CPU per contract in it, beside the load's own figures. Arguments: [rate per second]
# [seconds] of the captured load (default 50 for 4). CEILING_CLIENTS (8) replay the script CEILING_RUNS (10) times each:
# a fixed count, not a time (pgbench's -T would leave the long runs still in flight at the end uncounted). Each client
# prepares every statement in its first run; the rate is each client's after that run (pgbench's per-run log), summed.
# docs/PERFORMANCE.md, "The database's own ceiling".
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
RATE=${1:-50}
DURATION=${2:-4}
CLIENTS=${CEILING_CLIENTS:-8}
RUNS=${CEILING_RUNS:-10}
CONTRACTS=$((RATE * DURATION))
export PG_EXTRA_OPTIONS="${PG_EXTRA_OPTIONS:-} -c logging_collector=on -c log_destination=csvlog -c log_rotation_size=0"
PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode -qX)

bench_prepare sandbox webbavtal kontroll signering gordis-export foa partner-api avtalctl avtal-load
load_start_services
load_create_users
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; PostgreSQL 15 (fsync on); release builds"

"${PSQL[@]}" -c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
if ! "$BIN/avtal-load" --rate "$RATE" --seconds "$DURATION" --partner-key "$LOAD_KEY" --settle-seconds "${LOAD_SETTLE_SECONDS:-300}" \
    >"$RUN/logs/ceiling-load.log" 2>&1; then
    cat "$RUN/logs/ceiling-load.log"; echo "the captured load did not hold; no replay"; exit 1
fi
grep -E "^(avtal-load|settled|throughput|CPU per contract|invariants)" "$RUN/logs/ceiling-load.log"
"${PSQL[@]}" -c "ALTER SYSTEM RESET log_statement" -c "SELECT pg_reload_conf()" >/dev/null

# The database alone from here: every service stopped.
for pid in "${bench_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${bench_pids[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
bench_pids=()

data=$("${PSQL[@]}" -tAc "SHOW data_directory")
logs=$(find "$data/log" -name '*.csv' | sort)
script="$RUN/ceiling.sql"
"${AVTAL_PYTHON:-python3}" "$ROOT/deploy/ceiling/replay_script.py" $logs --out "$script" --summary "$RUN/ceiling.json" \
    --psql "$PG_BIN/psql -h 127.0.0.1 -p $PG_PORT -U postgres -d avtalsflode -X"
python3 - "$RUN/ceiling.json" "$CONTRACTS" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1])); n = int(sys.argv[2])
print(f"captured: {n} contracts, {s['transactions']} transactions ({s['transactions'] / n:.1f} per contract), "
      f"{s['statements']} statements ({s['statements'] / n:.1f} per contract, {s['distinct statements']} distinct texts), "
      f"{s['tokens']} values made new for each replay; PostgreSQL could not type {s['statements PostgreSQL could not type']}")
EOF

# One replay by one client first: any statement that fails stops here, with pgbench's message.
pgbench=("$PG_BIN/pgbench" -n -h 127.0.0.1 -p "$PG_PORT" -U postgres -M prepared -f "$script" avtalsflode)
if ! out=$("${pgbench[@]}" -c 1 -t 1 2>&1) || grep -q "aborted" <<<"$out"; then
    echo "the replay script failed:"; grep -E "error|ERROR|aborted" <<<"$out" | head -5; exit 1
fi

# PostgreSQL's CPU: every process's, plus what its exited children (pgbench's backends) left to the postmaster.
postgres_cpu_ticks() {
    local main total=0
    main=$(head -1 "$data/postmaster.pid")
    for pid in $(pgrep -x postgres); do
        total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo $((total + $(awk '{ print $16 + $17 }' "/proc/$main/stat")))
}
"${PSQL[@]}" -c "SELECT pg_stat_reset()" >/dev/null   # the replay's own table statistics, below
ticks_before=$(postgres_cpu_ticks)
start=$(date +%s.%N)
rm -f "$RUN"/ceiling-runs.*
out=$(cd "$RUN" && /usr/bin/time -f "pgbench_cpu %U %S" "${pgbench[@]}" -c "$CLIENTS" -j 2 -t "$RUNS" -l --log-prefix=ceiling-runs 2>&1)
elapsed=$(echo "$(date +%s.%N) - $start" | bc)
sleep 1
ticks_after=$(postgres_cpu_ticks)
if grep -q "aborted" <<<"$out"; then echo "a replay client aborted:"; grep -E "error|aborted" <<<"$out" | head -5; exit 1; fi
runs=$(awk '/number of transactions actually processed/ { print $NF }' <<<"$out" | cut -d/ -f1)
# Steady: per client, the runs after its first (which prepared the statements) over the time they took; summed.
tps=$(cat "$RUN"/ceiling-runs.* | awk '{ end = $5 + $6 / 1e6; c = $1
        if (!(c in first) || end < first[c]) first[c] = end
        if (end > last[c]) last[c] = end; count[c]++ }
    END { for (c in count) if (count[c] > 1 && last[c] > first[c]) total += (count[c] - 1) / (last[c] - first[c]); printf "%.4f", total }')
read -r user sys < <(awk '/^pgbench_cpu/ { print $2, $3 }' <<<"$out")
hz=$(getconf CLK_TCK)
awk -v runs="$runs" -v tps="$tps" -v n="$CONTRACTS" -v s="$elapsed" -v ticks=$((ticks_after - ticks_before)) -v hz="$hz" \
    -v user="$user" -v sys="$sys" -v clients="$CLIENTS" 'BEGIN {
    contracts = runs * n
    printf "replay: %d runs of the script by %d clients in %.1f s; after each client'"'"'s first run %.3f runs/s = %.0f contracts/s (the database alone; pgbench on the same cores)\n", runs, clients, s, tps, tps * n
    printf "PostgreSQL CPU in the replay, first runs included: %.1f s, %.2f ms per contract; pgbench itself %.1f s\n", ticks / hz, 1000 * ticks / hz / contracts, user + sys
}'
# Whole tables read by the replay (a prepared statement's plan made from a young table's statistics reads the table
# from end to end as it grows: docs/PERFORMANCE.md, "The outbox read from end to end").
echo "tables the replay read by sequential scans (the most rows first):"
"${PSQL[@]}" -P pager=off -c "SELECT relid::regclass AS \"table\", seq_scan, seq_tup_read, idx_scan FROM pg_stat_user_tables
    WHERE seq_tup_read > 0 ORDER BY seq_tup_read DESC LIMIT 6"
