#!/usr/bin/env bash
# `make bench`: a release build of avtal-bench, run against a fresh test stack (the same ports as `make test`, so not
# at the same time), printing throughput figures; then the soak: SOAK_MESSAGES (1 000 000) confirmed publishes on one
# publisher connection with its resident memory printed as it goes (avtal-soak); then the table soak: TABLE_SOAK_SECONDS
# (300) of TABLE_SOAK_RATE (400) events a second through an outbox, the broker and an inbox, both pruned after 30 s,
# with their rows, sizes and the relay's rate printed as it goes (avtal-table-soak). Arguments: [messages] [window],
# default 50000 500.
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
bench_prepare avtal-bench avtal-soak avtal-table-soak
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server), PostgreSQL 15; quorum queue on one node"
AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" POSTGRES_PORT=$PG_PORT "$BIN/avtal-bench" "${1:-50000}" "${2:-500}"
"$BIN/avtal-bench" time-limit
echo "soak: ${SOAK_MESSAGES:-1000000} confirmed publishes on one connection"
AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" "$BIN/avtal-soak" "${SOAK_MESSAGES:-1000000}" 500
echo "table soak: ${TABLE_SOAK_SECONDS:-300} s of ${TABLE_SOAK_RATE:-400} events/s, outbox and inbox pruned after 30 s"
AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" POSTGRES_PORT=$PG_PORT "$BIN/avtal-table-soak" "${TABLE_SOAK_SECONDS:-300}" "${TABLE_SOAK_RATE:-400}" 30
