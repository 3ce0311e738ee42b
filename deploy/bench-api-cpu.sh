#!/usr/bin/env bash
# `make bench-api-cpu`: partner-api's CPU per request at a fixed rate — steadier than a closed loop's throughput on a
# shared machine. A fresh test stack, one release partner-api (or BENCH_BIN's), a partner without a practical rate
# limit, and `avtal-api-bench` at [rate] requests/s for [seconds] (default 200, 30); the process's utime+stime from
# /proc around the run, divided by the requests. Uses the test stack's ports (not at the same time as `make test`).
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
RATE=${1:-200}
SECONDS_EACH=${2:-30}
bench_partner_api
PID=${bench_pids[0]}
ticks() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
"$BIN/avtal-api-bench" --key "$KEY" --rate 50 --seconds 2 >/dev/null  # warm up connections and caches
before=$(ticks)
run=$("$BIN/avtal-api-bench" --key "$KEY" --rate "$RATE" --seconds "$SECONDS_EACH")
after=$(ticks)
echo "$run"
created=$(echo "$run" | grep -oE "\(([0-9]+) created" | grep -oE "[0-9]+")
hz=$(getconf CLK_TCK)
awk -v t=$((after - before)) -v n="$created" -v hz="$hz" \
    'BEGIN { printf "partner-api CPU: %d ticks for %d requests = %.2f ms per request\n", t, n, t * 1000 / hz / n }'
