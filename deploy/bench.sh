#!/usr/bin/env bash
# `make bench`: a release build of avtal-bench, run against a fresh test stack (the same ports as `make test`, so not
# at the same time), printing throughput figures. Arguments: [messages] [window], default 50000 500.
source "$(dirname "$0")/common.sh" test
"$ROOT/deploy/install-deps.sh"
RELEASE_DIR=${RELEASE_DIR:-$HOME/.cache/avtalsflode/release}
cleanup() {
    "$ROOT/deploy/rabbitmq.sh" test stop || true
    "$ROOT/deploy/postgres.sh" test stop || true
}
trap cleanup EXIT
log "building avtal-bench in release mode (the first time takes several minutes)"
swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --product avtal-bench 2>&1 | { grep -E "error:|Build complete" || true; } >&2
BIN=$(swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --show-bin-path)
"$ROOT/deploy/postgres.sh" test reset
"$ROOT/deploy/rabbitmq.sh" test reset
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; RabbitMQ $(dpkg-query -W -f='${Version}' rabbitmq-server), PostgreSQL 15; quorum queue on one node"
AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" POSTGRES_PORT=$PG_PORT "$BIN/avtal-bench" "${1:-50000}" "${2:-500}"
