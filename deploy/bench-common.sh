# Shared by the benchmark scripts (source it after common.sh): `bench_prepare <products…>` builds them in release
# mode, sets BIN, starts a fresh test stack, and arranges that on exit every process started with `bench_start` is
# stopped (SIGTERM, up to 10 s each) and the stack with it.
RELEASE_DIR=${RELEASE_DIR:-$HOME/.cache/avtalsflode/release}
bench_pids=()

bench_cleanup() {
    for pid in "${bench_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${bench_pids[@]}"; do for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
    "$ROOT/deploy/rabbitmq.sh" test stop || true
    "$ROOT/deploy/postgres.sh" test stop || true
}

bench_prepare() {
    "$ROOT/deploy/install-deps.sh"
    trap bench_cleanup EXIT
    log "building in release mode (the first time takes several minutes): $*"
    for product in "$@"; do
        swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --product "$product" 2>&1 | { grep -E "error:" || true; } >&2
    done
    BIN=$(swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --show-bin-path)
    "$ROOT/deploy/postgres.sh" test reset
    "$ROOT/deploy/rabbitmq.sh" test reset
    mkdir -p "$RUN/logs"
}

# bench_start <name> <VAR=value…>: runs $BIN/<name> in the background with that environment, logging to .run/test/logs.
bench_start() {
    local name=$1; shift
    env "$@" "$BIN/$name" >"$RUN/logs/$name.log" 2>&1 &
    bench_pids+=($!)
}
