#!/usr/bin/env bash
# `make down`: stops what `make up` started, services first (SIGTERM, graceful), then RabbitMQ and PostgreSQL.
source "$(dirname "$0")/common.sh" local
for pidfile in $(ls -r "$RUN"/pids/*.pid 2>/dev/null); do
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        log "stopping $(basename "$pidfile" .pid)"
        kill -TERM "$pid"
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && { log "$(basename "$pidfile" .pid) did not stop in 10 s, killing"; kill -KILL "$pid"; }
    fi
    rm -f "$pidfile"
done
"$ROOT/deploy/rabbitmq.sh" local stop
"$ROOT/deploy/postgres.sh" local stop
