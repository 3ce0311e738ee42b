#!/usr/bin/env bash
# deploy/keep-release.sh <dir>: this checkout's release binaries — static Swift runtime, as `make images` builds them —
# copied into <dir> with their resource bundles (the pages' templates): one side of `make load-ab`, or a
# `BENCH_BIN` for `deploy/load.sh`. Build first, then check out the other commit and keep its binaries elsewhere.
source "$(dirname "$0")/common.sh" test
DEST=${1:?usage: $0 <dir>}
RELEASE_DIR=${RELEASE_DIR:-$HOME/.cache/avtalsflode/release-static}
"$ROOT/deploy/install-deps.sh"  # librabbitmq-dev and zlib1g-dev, on a fresh machine
log "release build (static Swift runtime) in $RELEASE_DIR"
touch "$ROOT"/Services/*/main.swift  # as in deploy/test.sh: a main never kept against an older layout
# shellcheck disable=SC2086  # KEEP_RELEASE_FLAGS: more compiler flags, word by word (to measure one: issue 19)
swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --static-swift-stdlib ${KEEP_RELEASE_FLAGS:-} 2>&1 | { grep -E "error:" || true; } >&2
# shellcheck disable=SC2086
BIN=$(swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release ${KEEP_RELEASE_FLAGS:-} --show-bin-path)
rm -rf "$DEST" && mkdir -p "$DEST"
find "$BIN" -maxdepth 1 -type f -perm -u+x -exec cp {} "$DEST/" \;
cp -r "$BIN"/*.resources "$DEST/"
log "the release binaries of $(git -C "$ROOT" rev-parse --short HEAD) are in $DEST"
