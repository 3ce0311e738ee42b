#!/usr/bin/env bash
# `make test`: the whole suite against a PostgreSQL and a RabbitMQ of its own (instance "test", other ports than
# `make up`), started fresh and stopped at the end whatever happens; then (unless arguments filter the suite, or
# AVTAL_SKIP_FAULTS=1) the short fault run: `deploy/faults.sh 10 60` on the debug builds, every service killed,
# RabbitMQ stopped, PostgreSQL restarted under load, and the invariants checked. Extra arguments go to the test binary
# (Swift Testing's own: `--filter <regex>`, `--skip <regex>`).
source "$(dirname "$0")/common.sh" test
"$ROOT/deploy/install-deps.sh"

# The servers' data was in memory (below): discarded with them. The logs stay under .run for the scan at the end.
cleanup() {
    "$ROOT/deploy/rabbitmq.sh" test discard || true
    "$ROOT/deploy/rabbitmq.sh" chaos discard || true
    "$ROOT/deploy/postgres.sh" test discard || true
    "$ROOT/deploy/postgres.sh" chaos discard || true
}
trap cleanup EXIT

log "checking the format (swift format lint, .swift-format)"
swift format lint --strict -r "$ROOT/Package.swift" "$ROOT/Shared" "$ROOT/Services" "$ROOT/Tests" "$ROOT/Tools"

# Without fsync: each test's DROP DATABASE forces a checkpoint, and with fsync the first one synced the ~15 000 files
# of the databases the parallel tests had just created (13–14 s, every other test waiting). The fault run below
# starts its own cluster with fsync on.
# The servers' data lives in memory (AVTAL_DATA_IN_MEMORY, deploy/common.sh): thrown away after the run, and no test
# waits for the disk behind another's writes (each declaration of a quorum queue writes to RabbitMQ's disk).
AVTAL_DATA_IN_MEMORY=1 PG_FSYNC=off "$ROOT/deploy/postgres.sh" test reset
# The server the database-outage tests stop and start (ChaosDatabase), fresh too.
AVTAL_DATA_IN_MEMORY=1 PG_FSYNC=off "$ROOT/deploy/postgres.sh" chaos reset
AVTAL_DATA_IN_MEMORY=1 "$ROOT/deploy/rabbitmq.sh" test reset

# The Kubernetes deployment, proved without a cluster (docs/deploy.md): rendered, validated, policy-checked.
if [ $# -eq 0 ]; then
    log "checking the Kubernetes manifests (deploy/k8s/validate.py)"
    "${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}/bin/python" "$ROOT/deploy/k8s/validate.py"
    log "checking the alert rules (deploy/observability/check-alerts.py, promtool)"
    "${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}/bin/python" "$ROOT/deploy/observability/check-alerts.py"
    log "checking the documented webhook signature check (Tests/docs/check-webhook-verification.py)"
    "${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}/bin/python" "$ROOT/Tests/docs/check-webhook-verification.py"
    log "checking make ceiling's replay script on a known log (Tests/ceiling/check-replay-script.py)"
    "${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}/bin/python" "$ROOT/Tests/ceiling/check-replay-script.py" "$PG_BIN/psql" "$PG_BIN/pgbench" "$PG_PORT"
fi

log "building"
# Each service's main.swift copies its library's ServiceDefinition, whose layout depends on modules main.swift does not
# import itself; the incremental build was seen to keep a main compiled against an older layout (webbavtal crashed
# at start copying its definition). Recompiling the seven one-line mains every time costs a second and rules it out.
touch "$ROOT"/Services/*/main.swift
swift build --package-path "$ROOT" --scratch-path "$BUILD_DIR" --build-tests 2>&1 | { grep -vE "^\[[0-9]+/[0-9]+\]" || true; } >&2
BIN=$(swift build --package-path "$ROOT" --scratch-path "$BUILD_DIR" --show-bin-path)

log "testing"
# Everything the services write during the run — the logs of those started as processes, of those run in-process
# (CapturedLog), of the fault run — lands under .run/test, fresh each run, for the personal-data scan at the end.
rm -rf "$RUN/tmp" "$RUN/logs"
mkdir -p "$RUN/tmp" "$RUN/logs"
export TMPDIR="$RUN/tmp"
export AVTAL_TEST_PG_PORT=$PG_PORT AVTAL_TEST_AMQP_PORT=$AMQP_PORT AVTAL_BIN_DIR=$BIN AVTAL_REPO_ROOT=$ROOT
export AVTAL_SCHEMATHESIS=${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}/bin/schemathesis
export AVTAL_PYTHON=${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}/bin/python
set +e
# The test binary itself rather than `swift test`, for one option SwiftPM does not pass on: at most
# $AVTAL_TEST_WIDTH tests at a time (Swift Testing's default is all of them at once). Sixty suites starting together
# each declared their queues and started their services in the same second; on a busy CI machine the broker then
# answered no declaration for 20 s and a minute of tests failed on timeouts (docs/testing.md, "How many at once").
AVTAL_DATA_IN_MEMORY=1 NO_COLOR=1 "$BIN/avtalsflodePackageTests.xctest" --testing-library swift-testing \
    --experimental-maximum-parallelization-width "${AVTAL_TEST_WIDTH:-12}" "$@" 2>&1 | tee "$RUN/swift-test.log"
status=${PIPESTATUS[0]}
set -e
# A test binary that crashed (a failed precondition, an assertion of a debug build) leaves the services it started
# running, orphaned: they would go on retrying their databases for good. Each such process still carries the test
# run's environment (AVTAL_TEST_PG_PORT, inherited from the binary) — `make up`'s services from the same build do not.
for pid in $(pgrep -f "^$BIN/" || true); do
    if grep -qzx "AVTAL_TEST_PG_PORT=$PG_PORT" "/proc/$pid/environ" 2>/dev/null; then
        log "stopping $(basename "$(readlink "/proc/$pid/exe" 2>/dev/null || echo "pid $pid")") (pid $pid), left running by the test binary"
        kill -KILL "$pid" 2>/dev/null || true
    fi
done
trap - EXIT
cleanup
# One plain closing line, after the servers' shutdown chatter: how many Swift Testing tests passed and failed.
passed=$(grep -oE "Test run with [0-9]+ tests?" "$RUN/swift-test.log" | grep -oE "[0-9]+" | tail -1 || true)
failed=$(grep -cE "^✘ Test .* (failed|recorded an issue)" "$RUN/swift-test.log" || true)
faults="skipped"
if [ "$status" -eq 0 ] && [ $# -eq 0 ] && [ "${AVTAL_SKIP_FAULTS:-0}" != 1 ]; then
    log "the short fault run (deploy/faults.sh 10 60 on the debug builds)"
    if FAULT_GAP=2 BENCH_BIN=$BIN "$ROOT/deploy/faults.sh" 10 60 2>&1 | tee "$RUN/faults.log"; then faults="held"; else faults="FAILED"; status=1; fi
fi
# The rule, proved rather than hoped: no personnummer, e-mail address or phone number of the test data, unmasked, in
# anything the services wrote (docs/SECURITY.md). The AMQP headers we write (x-avtal-last-error, the parking reason)
# carry the same text the consumer logs with them.
log "scanning what the services wrote for personal data"
printf 'customer 196408233234 anna@example.se +46701234567\n' >"$RUN/tmp/scan-self-test.txt"
if python3 "$ROOT/deploy/scan-personal-data.py" "$RUN/tmp/scan-self-test.txt" >/dev/null; then
    log "the personal data scan finds nothing in a line made to hold three values: it is broken"; status=1
fi
if ! python3 "$ROOT/deploy/scan-personal-data.py" "$RUN"/tmp/*.log "$RUN"/logs/*.log; then status=1; fi
duration=$(grep -oE "Test run with [0-9]+ tests?.* after [0-9.]+ seconds" "$RUN/swift-test.log" | grep -oE "[0-9.]+ seconds" | tail -1 || true)
if [ "$status" -eq 0 ]; then
    echo "${passed:-0} passed, 0 failed in ${duration:-?}; fault run: $faults"
else
    # A digest last, where a CI log's tail shows it: which tests failed and why, and how the fault run ended.
    echo "---- failing tests (first 60 lines; the whole log: .run/test/swift-test.log) ----"
    grep -E "^✘ " "$RUN/swift-test.log" | head -60 || true
    if [ "$faults" = FAILED ]; then
        echo "---- the fault run's last 40 lines ----"
        tail -40 "$RUN/faults.log" || true
    fi
    echo "test run: ${duration:-?}"
    echo "tests failed (exit $status): $failed failing test lines in .run/test/swift-test.log; fault run: $faults (.run/test/faults.log)"
fi
exit "$status"
