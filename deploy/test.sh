#!/usr/bin/env bash
# `make test`: the whole suite against a PostgreSQL and a RabbitMQ of its own (instance "test", other ports than
# `make up`), started fresh and stopped at the end whatever happens.
source "$(dirname "$0")/common.sh" test
"$ROOT/deploy/install-deps.sh"

cleanup() {
    "$ROOT/deploy/rabbitmq.sh" test stop || true
    "$ROOT/deploy/rabbitmq.sh" chaos stop || true
    "$ROOT/deploy/postgres.sh" test stop || true
}
trap cleanup EXIT
"$ROOT/deploy/postgres.sh" test reset
"$ROOT/deploy/rabbitmq.sh" test reset

log "building"
swift build --package-path "$ROOT" --scratch-path "$BUILD_DIR" --build-tests 2>&1 | grep -vE "^\[[0-9]+/[0-9]+\]" >&2
BIN=$(swift build --package-path "$ROOT" --scratch-path "$BUILD_DIR" --show-bin-path)

log "testing"
export AVTAL_TEST_PG_PORT=$PG_PORT AVTAL_TEST_AMQP_PORT=$AMQP_PORT AVTAL_BIN_DIR=$BIN AVTAL_REPO_ROOT=$ROOT
swift test --package-path "$ROOT" --scratch-path "$BUILD_DIR" --skip-build "$@"
