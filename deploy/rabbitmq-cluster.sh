#!/usr/bin/env bash
# A three-node RabbitMQ cluster on this machine, for rehearsing a node failure (deploy/cluster-failover.sh):
# project-local nodes avtal-c1..3@localhost (deploy/instances/cluster-N.env: AMQP 29172/29272/29372, their own
# distribution ports, one epmd port) sharing one Erlang cookie; nodes 2 and 3 join node 1.
#   deploy/rabbitmq-cluster.sh start|stop|reset|status|urls|leaders
# start: starts the three nodes and forms the cluster (idempotent); stop: stops them (node 1 last, so it starts first);
# reset: stop and forget everything; status: the cluster's members and running nodes; urls: AMQP_URLS for the
# services; leaders: each quorum queue with its leader and members.
# Quorum queues declared after the cluster formed have a replica on every node (the default initial group size).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ACTION=${1:?usage: $0 start|stop|reset|status|urls|leaders}
COOKIE_FILE="$ROOT/.run/cluster-cookie"
node() { "$ROOT/deploy/rabbitmq.sh" "cluster-$1" "${@:2}"; }
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

start() {
    mkdir -p "$ROOT/.run"
    [ -f "$COOKIE_FILE" ] || { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$COOKIE_FILE"; chmod 600 "$COOKIE_FILE"; }
    export RABBIT_COOKIE; RABBIT_COOKIE=$(cat "$COOKIE_FILE")
    for n in 1 2 3; do node "$n" start & done
    wait
    for n in 2 3; do
        if node "$n" ctl -q cluster_status 2>/dev/null | grep -q "avtal-c1@localhost"; then continue; fi
        log "rabbitmq cluster: avtal-c$n joins avtal-c1"
        # start_app prints harmless errors about tracking tables while the others sync: only the exit status counts.
        for step in stop_app reset "join_cluster avtal-c1@localhost" start_app; do
            # shellcheck disable=SC2086
            node "$n" ctl -q $step >/dev/null 2>&1 || { log "rabbitmq cluster: avtal-c$n failed at $step"; exit 1; }
        done
    done
    log "rabbitmq cluster: up — AMQP_URLS=$(urls)"
}

urls() {
    local list=()
    for n in 1 2 3; do list+=("amqp://guest:guest@127.0.0.1:29${n}72"); done
    (IFS=,; echo "${list[*]}")
}

# Any running node answers for the cluster.
on_any() {
    for n in 1 2 3; do
        if node "$n" status >/dev/null 2>&1; then node "$n" ctl -q "$@"; return; fi
    done
    echo "no node of the cluster is running" >&2; return 1
}

case "$ACTION" in
    start) start ;;
    stop) for n in 3 2 1; do node "$n" stop; done ;;
    reset) for n in 3 2 1; do node "$n" stop; done; for n in 1 2 3; do rm -rf "$ROOT/.run/cluster-$n"; done; rm -f "$COOKIE_FILE" ;;
    status) on_any cluster_status ;;
    urls) urls ;;
    leaders) on_any list_queues name type leader members ;;
    *) echo "unknown action $ACTION" >&2; exit 2 ;;
esac
