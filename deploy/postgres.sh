#!/usr/bin/env bash
# A project-local PostgreSQL 15: data and log under .run/<instance>/postgres, TCP on 127.0.0.1 only, no socket file.
#   deploy/postgres.sh <instance> start|stop|status|reset|discard   (discard: stop, and remove the data)
# PG_FSYNC=off starts it without fsync: only `make test`'s own cluster, which is thrown away after the run (see
# docs/testing.md); everything else, the benchmarks and the fault run included, runs with fsync on.
source "$(dirname "$0")/common.sh" "$1"
ACTION=${2:?usage: $0 <instance> start|stop|status|reset}
DIR="$RUN/postgres"
DATA="$DIR/data"
DATABASE=avtalsflode

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
is_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT"; }

start() {
    if is_ready; then return 0; fi
    mkdir -p "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DIR" && chmod 700 "$DIR"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        data_dir "$DATA"
        [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA/"
        chmod 700 "$DATA/"
        log "postgres($INSTANCE): initdb (data in $(readlink -f "$DATA"))"
        as_owner "$PG_BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    log "postgres($INSTANCE): starting on 127.0.0.1:$PG_PORT"
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -l "$DIR/server.log" -w -t 60 \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300 -c fsync=${PG_FSYNC:-on} ${PG_EXTRA_OPTIONS:-}" \
        start >/dev/null
    wait_for 60 "postgres($INSTANCE)" is_ready
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qX -v ON_ERROR_STOP=1 -f "$ROOT/deploy/sql/roles.sql" >/dev/null
    if ! psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
        psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE $DATABASE OWNER avtal_owner" >/dev/null
    fi
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$DATABASE" -qX -v ON_ERROR_STOP=1 -f "$ROOT/deploy/sql/owner.sql" >/dev/null
}

stop() {
    [ -f "$DATA/postmaster.pid" ] || return 0
    log "postgres($INSTANCE): stopping"
    as_owner "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null 2>&1 || true
}

case "$ACTION" in
    start) start ;;
    stop) stop ;;
    status) is_ready && echo "postgres($INSTANCE) ready on 127.0.0.1:$PG_PORT" || { echo "postgres($INSTANCE) down"; exit 1; } ;;
    reset) stop; discard_data "$DATA"; rm -rf "$DIR"; start ;;
    discard) stop; discard_data "$DATA" ;;
    *) echo "unknown action $ACTION" >&2; exit 2 ;;
esac
