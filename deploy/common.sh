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

