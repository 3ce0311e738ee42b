#!/usr/bin/env bash
# `make bench-flow`: contracts through kontroll's checks end to end, on release builds and a fresh test stack (the
# same ports as `make test`, so not at the same time). The sandbox's bureau answers in SANDBOX_BUREAU_LATENCY_MS
# (default 20). Arguments: [signing] [rate per second] [seconds], default 100 10; with `signing`, phone sales through
# signering and the sandbox's GetAccept until signed (the simulated signer acts after SANDBOX_GETACCEPT_SIGN_AFTER_MS).
source "$(dirname "$0")/common.sh" test
"$ROOT/deploy/install-deps.sh"
RELEASE_DIR=${RELEASE_DIR:-$HOME/.cache/avtalsflode/release}
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
    "$ROOT/deploy/rabbitmq.sh" test stop || true
    "$ROOT/deploy/postgres.sh" test stop || true
}
trap cleanup EXIT
log "building in release mode"
for product in webbavtal kontroll signering sandbox avtal-flow-bench; do
    swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --product "$product" 2>&1 | { grep -E "error:" || true; } >&2
done
BIN=$(swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --show-bin-path)
"$ROOT/deploy/postgres.sh" test reset
"$ROOT/deploy/rabbitmq.sh" test reset
mkdir -p "$RUN/logs"
common=(POSTGRES_PORT="$PG_PORT" AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" LOG_LEVEL=${LOG_LEVEL:-warning})
env "${common[@]}" HTTP_PORT=58090 SANDBOX_BUREAU_LATENCY_MS="${SANDBOX_BUREAU_LATENCY_MS:-20}" "$BIN/sandbox" >"$RUN/logs/sandbox.log" 2>&1 &
pids+=($!)
env "${common[@]}" HTTP_PORT=58081 "$BIN/webbavtal" >"$RUN/logs/webbavtal.log" 2>&1 &
pids+=($!)
env "${common[@]}" HTTP_PORT=58082 SANDBOX_URL=http://127.0.0.1:58090 "$BIN/kontroll" >"$RUN/logs/kontroll.log" 2>&1 &
pids+=($!)
env "${common[@]}" HTTP_PORT=58083 GETACCEPT_URL=http://127.0.0.1:58090/getaccept/v1 SIGNING_SWEEP_INTERVAL_SECONDS=1 \
    "$BIN/signering" >"$RUN/logs/signering.log" 2>&1 &
pids+=($!)
for port in 58090 58081 58082 58083; do wait_for 60 "port $port ready" curl -fsS "http://127.0.0.1:$port/ready"; done
echo "machine: $(nproc) cores; bureau latency ${SANDBOX_BUREAU_LATENCY_MS:-20} ms; one webbavtal, one kontroll, one RabbitMQ node"
POSTGRES_PORT=$PG_PORT "$BIN/avtal-flow-bench" "$@"
