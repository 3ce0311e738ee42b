#!/usr/bin/env bash
# `make load`: the whole system under a realistic mix of contracts, on release builds and a fresh test stack (the
# test stack's ports, so not at the same time as `make test`). Starts the sandbox and every service, a partner and a
# seller, runs `avtal-load` at the given rate for the given time (default 50 contracts/s for 120 s), which prints the
# figures and checks the invariants, then checks that no message waits in a parking queue. Exit status 0 only if
# every invariant holds. Arguments: [rate per second] [seconds]. docs/PERFORMANCE.md has the runs.
#
# The sandbox answers its calls in ~20 ms (SANDBOX_BUREAU_LATENCY_MS), the simulated signer acts 300 ms after a
# document is sent; RETRY_DELAYS_MS is shortened (default 1000,3000,10000) so contracts that meet an unavailable
# bureau reach MKA within the run. LOAD_SETTLE_SECONDS (default 300) is how long to wait for the last contracts.
# After the run: PostgreSQL's commits and WAL fsyncs per contract (pg_stat_database, pg_stat_wal), the events the
# outboxes hold per contract, by type, and each service's context switches per contract, by thread kind.
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
RATE=${1:-50}
DURATION=${2:-120}
bench_prepare sandbox webbavtal kontroll signering gordis-export foa partner-api avtalctl avtal-load
load_start_services
load_create_users
builds="release builds"; [ -n "${BENCH_BIN:-}" ] && builds="the builds in $BENCH_BIN"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; one RabbitMQ node, PostgreSQL 15 (fsync on); $builds"
status=0
before=$(load_database_counters)
switches=$(load_thread_switches)
# LOAD_SYSCALLS=1: each service's system calls per contract over the run, counted by perf (docs/PERFORMANCE.md).
[ -n "${LOAD_SYSCALLS:-}" ] && load_count_syscalls
# LOAD_PERF=<service>[,<service>…] (e.g. webbavtal, or postgres,kontroll): a CPU profile of each for the run's first
# LOAD_PERF_SECONDS (40), printed after the run by symbol (Swift's demangled), for where its time goes
# (docs/PERFORMANCE.md).
perf_pids=()
perf_names=${LOAD_PERF:-}
for name in ${perf_names//,/ }; do
    perf record -q -F 499 -g -o "$RUN/perf-$name.data" -p "$(pgrep -d, -x "$name" | sed 's/,$//')" -- sleep "${LOAD_PERF_SECONDS:-40}" \
        >"$RUN/logs/perf-$name.log" 2>&1 &
    perf_pids+=($!)
done
"$BIN/avtal-load" --rate "$RATE" --seconds "$DURATION" --partner-key "$LOAD_KEY" --settle-seconds "${LOAD_SETTLE_SECONDS:-300}" || status=$?
load_report_database "$before" "$((RATE * DURATION))"
load_report_messages "$((RATE * DURATION))"
load_report_switches "$switches" "$((RATE * DURATION))"
[ -n "${LOAD_SYSCALLS:-}" ] && load_report_syscalls "$((RATE * DURATION))"
[ -n "${LOAD_STATEMENTS:-}" ] && load_report_statements "$((RATE * DURATION))"
for pid in "${perf_pids[@]}"; do wait "$pid" || true; done
for name in ${perf_names//,/ }; do
    echo "where $name's CPU went (perf, self time by symbol, the top ${LOAD_PERF_TOP:-40}):"
    perf report -q -i "$RUN/perf-$name.data" --no-children --sort dso,symbol --percent-limit 0.7 --stdio -g none 2>/dev/null \
        | grep -v '^$' | head -"${LOAD_PERF_TOP:-40}" | swift demangle --simplified | cut -c1-200
done
load_check_parking || status=1
exit $status
