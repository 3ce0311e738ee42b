#!/usr/bin/env bash
# `make faults`: the load of `make load` while things break, then the same invariants. On a fresh test stack (the test
# stack's ports), with two replicas of kontroll and of signering from the start, while avtal-load submits at the given
# rate for the given time (default 30 contracts/s for 150 s):
#   1. PostgreSQL is restarted;
#   2. every service is killed with SIGKILL, one after another, and started again;
#   3. RabbitMQ is stopped for 20 s and started again;
# the load goes on until the last fault is over (however long that takes) and 10 s more (FAULT_TAIL);
# then avtal-load waits until every contract has settled and checks the invariants (each contract stored and in its
# expected state, no second credit check, e-mail or signing document, every audit trail whole), the parking queues
# are checked, and every service must still be running. Exit status 0 only if all of that holds.
# Arguments: [rate per second] [seconds]. FAULT_GAP (default 5 s) is the pause between faults. `make test` runs a
# short variant on its debug builds (BENCH_BIN). docs/PERFORMANCE.md has the runs.
# The long variant, `make faults-long`: FAULT_DB_OUTAGE_SECONDS=300 keeps PostgreSQL stopped that long (instead of a
# restart) — nothing may be parked, and every contract stored before it returned must be checked within a minute of
# its return — and SANDBOX_GETACCEPT_CREATE_LATENCY_MS=12000 makes GetAccept answer every create after the client's
# 10 s timeout: still one document per contract.
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
RATE=${1:-30}
DURATION=${2:-150}
GAP=${FAULT_GAP:-5}
OUTAGE=${FAULT_DB_OUTAGE_SECONDS:-0}
bench_prepare sandbox webbavtal kontroll signering gordis-export foa partner-api avtalctl avtal-load

declare -A PIDS PORTS
# start <label> <executable> <port>: the service in the background (its log appended to .run/test/logs/<label>.log).
start() {
    local label=$1 name=$2 port=$3
    # shellcheck disable=SC2046
    env $(load_environment "$name" "$port") "$BIN/$name" >>"$RUN/logs/$label.log" 2>&1 &
    PIDS[$label]=$!
    PORTS[$label]=$port
    bench_pids+=($!)
}
ready() { wait_for 120 "$1 ready" curl -fsS "http://127.0.0.1:$((PORTS[$1] + 1000))/ready"; }

for entry in "${LOAD_PORTS[@]}"; do start "${entry%%:*}" "${entry%%:*}" "${entry##*:}"; done
start kontroll-2 kontroll 28092
start signering-2 signering 28093
for label in "${!PIDS[@]}"; do ready "$label"; done
load_create_users
log "faults: two replicas of kontroll and signering; $RATE contracts/s for $DURATION s; a fault every ${GAP} s"

# The load goes on past $DURATION until the last fault is over and FAULT_TAIL (10) seconds more, however long the faults
# take on a slow machine: every fault meets submissions, and contracts submitted while the broker came back are checked.
faults_over="$RUN/faults-over"
rm -f "$faults_over"
"$BIN/avtal-load" --rate "$RATE" --seconds "$DURATION" --partner-key "$LOAD_KEY" --retry-seconds $((OUTAGE + 120)) \
    --until-file "$faults_over" &
load_pid=$!
bench_pids+=("$load_pid")
load_started=$SECONDS
sleep 10
psql_test() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode -tAc "$1"; }
if [ "$OUTAGE" -gt 0 ]; then
    log "faults: PostgreSQL stopped for $OUTAGE s"
    "$ROOT/deploy/postgres.sh" test stop
    sleep "$OUTAGE"
    "$ROOT/deploy/postgres.sh" test start
    back=$(date +%s)
    log "faults: PostgreSQL back"
    # In the background, while the other faults go on: how long until every contract stored before the return has
    # been checked (left `stored`), polled every 2 s for up to 5 minutes.
    (
        waiting=""
        while [ $(($(date +%s) - back)) -lt 300 ]; do
            waiting=$(psql_test "SELECT count(*) FROM webbavtal.contracts WHERE created_at < to_timestamp($back) AND state = 'stored'" 2>/dev/null || echo "?")
            [ "$waiting" = 0 ] && break
            sleep 2
        done
        echo "$waiting $(($(date +%s) - back))" >"$RUN/outage-recovery.txt"
    ) &
    recovery=$!
else
    log "faults: PostgreSQL restarted"
    "$ROOT/deploy/postgres.sh" test stop
    "$ROOT/deploy/postgres.sh" test start
fi
sleep "$GAP"
for label in webbavtal kontroll signering partner-api gordis-export foa signering-2; do
    log "faults: SIGKILL $label (pid ${PIDS[$label]})"
    kill -KILL "${PIDS[$label]}"
    wait "${PIDS[$label]}" 2>/dev/null || true
    sleep 1
    start "$label" "${label%-2}" "${PORTS[$label]}"
    ready "$label"
    sleep "$GAP"
done
# SIGTERM is the node's own graceful shutdown, without the seconds an Erlang CLI takes to boot on a busy machine.
broker_pid=$(cat "$RUN/rabbitmq/rabbitmq.pid")
log "faults: RabbitMQ (pid $broker_pid) stopped for 20 s"
kill -TERM "$broker_pid"
while kill -0 "$broker_pid" 2>/dev/null; do sleep 0.2; done
sleep 20
"$ROOT/deploy/rabbitmq.sh" test start
sleep "${FAULT_TAIL:-10}"
touch "$faults_over"
log "faults: done after $((SECONDS - load_started)) s of load; waiting for avtal-load"

status=0
wait "$load_pid" || status=$?
load_check_parking || status=1
if [ "$OUTAGE" -gt 0 ]; then
    wait "$recovery"
    read -r waiting after <"$RUN/outage-recovery.txt"
    if [ "$waiting" = 0 ] && [ "$after" -le 60 ]; then
        echo "database outage of $OUTAGE s: every contract stored before the return was checked $after s after it"
    else
        echo "DATABASE OUTAGE — $waiting contracts stored before the return still unchecked $after s after it (the bound is 60 s)"
        status=1
    fi
fi
for label in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[$label]}" 2>/dev/null; then echo "SERVICE DIED — $label (see $RUN/logs/$label.log)"; status=1; fi
done
[ $status -eq 0 ] && echo "faults: every invariant held" || echo "faults: FAILED"
exit $status
