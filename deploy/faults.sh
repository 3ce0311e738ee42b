#!/usr/bin/env bash
# `make faults`: the load of `make load` while things break, then the same invariants. On a fresh test stack (the test
# stack's ports), with two replicas of kontroll and of signering from the start, while avtal-load submits at the given
# rate for the given time (default 30 contracts/s for 150 s):
#   1. PostgreSQL is restarted;
#   2. every service is killed with SIGKILL, one after another, and started again;
#   3. RabbitMQ is stopped for 20 s and started again;
# then avtal-load waits until every contract has settled and checks the invariants (each contract stored and in its
# expected state, no second credit check, e-mail or signing document, every audit trail whole), the parking queues
# are checked, and every service must still be running. Exit status 0 only if all of that holds.
# Arguments: [rate per second] [seconds]. FAULT_GAP (default 5 s) is the pause between faults. `make test` runs a
# short variant on its debug builds (BENCH_BIN). docs/PERFORMANCE.md has the runs.
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
RATE=${1:-30}
DURATION=${2:-150}
GAP=${FAULT_GAP:-5}
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

"$BIN/avtal-load" --rate "$RATE" --seconds "$DURATION" --partner-key "$LOAD_KEY" &
load_pid=$!
load_started=$SECONDS
sleep 10
log "faults: PostgreSQL restarted"
"$ROOT/deploy/postgres.sh" test stop
"$ROOT/deploy/postgres.sh" test start
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
if [ $((SECONDS - load_started)) -gt "$DURATION" ]; then
    echo "FAULTS CAME AFTER THE LOAD — the submissions ended before the broker came back: give the run more seconds"
    late=1
fi
log "faults: done; waiting for avtal-load"

status=${late:-0}
wait "$load_pid" || status=$?
load_check_parking || status=1
for label in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[$label]}" 2>/dev/null; then echo "SERVICE DIED — $label (see $RUN/logs/$label.log)"; status=1; fi
done
[ $status -eq 0 ] && echo "faults: every invariant held" || echo "faults: FAILED"
exit $status
