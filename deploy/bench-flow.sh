#!/usr/bin/env bash
# `make bench-flow`: contracts through kontroll's checks end to end, on release builds and a fresh test stack (the
# same ports as `make test`, so not at the same time). The sandbox's bureau answers in SANDBOX_BUREAU_LATENCY_MS
# (default 20). Arguments: [signing] [rate per second] [seconds], default 100 10; with `signing`, phone sales through
# signering and the sandbox's GetAccept until signed (the simulated signer acts after SANDBOX_GETACCEPT_SIGN_AFTER_MS).
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
bench_prepare webbavtal kontroll signering sandbox avtal-flow-bench
common=(POSTGRES_PORT="$PG_PORT" AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" LOG_LEVEL=${LOG_LEVEL:-warning})
bench_start sandbox "${common[@]}" HTTP_PORT=28090 SANDBOX_BUREAU_LATENCY_MS="${SANDBOX_BUREAU_LATENCY_MS:-20}"
bench_start webbavtal "${common[@]}" HTTP_PORT=28081
bench_start kontroll "${common[@]}" HTTP_PORT=28082 REGISTER_URL=http://127.0.0.1:28090 CREDIT_BUREAU_URL=http://127.0.0.1:28090 MAIL_GATEWAY_URL=http://127.0.0.1:28090
bench_start signering "${common[@]}" HTTP_PORT=28083 GETACCEPT_URL=http://127.0.0.1:28090/getaccept/v1 SIGNING_SWEEP_INTERVAL_SECONDS=1
for port in 28090 28081 28082 28083; do wait_for 60 "port $port ready" curl -fsS "http://127.0.0.1:$((port + 1000))/ready"; done
echo "machine: $(nproc) cores; bureau latency ${SANDBOX_BUREAU_LATENCY_MS:-20} ms; one webbavtal, one kontroll, one RabbitMQ node"
POSTGRES_PORT=$PG_PORT "$BIN/avtal-flow-bench" "$@"
