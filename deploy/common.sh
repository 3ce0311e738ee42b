# Shared by the deploy scripts: where things are, and small helpers. Source it with the instance name in $1.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INSTANCE=${1:?usage: $0 <instance: local|test> ...}
[ -f "$ROOT/deploy/instances/$INSTANCE.env" ] || { echo "unknown instance '$INSTANCE'" >&2; exit 2; }
# shellcheck disable=SC1090
source "$ROOT/deploy/instances/$INSTANCE.env"
RUN="$ROOT/.run/$INSTANCE"
PG_BIN=/usr/lib/postgresql/15/bin
RABBIT_BIN=/usr/lib/rabbitmq/bin
BUILD_DIR=${BUILD_DIR:-$HOME/.cache/avtalsflode/build}
# Everything these scripts start runs on one machine with demo settings: the services accept them only in local mode
# (docs/operations.md); without it they refuse to start.
export AVTAL_ENVIRONMENT=local

# Swift lives in /opt/swift on our machines; a non-login shell (CI) may not have it on PATH yet.
command -v swift >/dev/null 2>&1 || export PATH="$PATH:/opt/swift/usr/bin"

# data_dir <path>: makes the folder a server keeps its data in. With AVTAL_DATA_IN_MEMORY=1 (only `make test` sets it,
# for its own throwaway servers) <path> is a link to a new folder in /dev/shm, a tmpfs: nothing waits for the disk,
# and the data is gone with `discard_data`. Only when /dev/shm has room to spare (AVTAL_MEMORY_DATA_MIN_GIB, 4 by
# default; a full run peaks far below, docs/testing.md): a small one (a container's 64 MiB) gets the disk instead.
# Later starts use whatever <path> is.
memory_room_gib() { df --output=avail -k /dev/shm 2>/dev/null | awk 'NR == 2 { print int($1 / 1048576) }'; }
data_dir() {
    [ -e "$1" ] && return 0
    mkdir -p "$(dirname "$1")"
    if [ "${AVTAL_DATA_IN_MEMORY:-0}" = 1 ] && [ -d /dev/shm ] && [ -w /dev/shm ] \
        && [ "$(memory_room_gib)" -ge "${AVTAL_MEMORY_DATA_MIN_GIB:-4}" ] 2>/dev/null; then
        ln -s "$(mktemp -d /dev/shm/avtalsflode-XXXXXXXX)" "$1"
    else
        mkdir -p "$1"
    fi
}

# discard_data <path>: removes a data folder made by data_dir, and what it links to in memory.
discard_data() {
    if [ -L "$1" ]; then rm -rf "$(readlink "$1")"; fi
    rm -rf "$1"
}

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# wait_for <seconds> <description> <command...>: probes until the command succeeds.
wait_for() {
    local seconds=$1 what=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        if [ $SECONDS -ge $deadline ]; then log "timed out after ${seconds}s waiting for $what"; return 1; fi
        sleep 0.2
    done
}

