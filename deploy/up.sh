#!/usr/bin/env bash
# `make up`: installs what is missing, starts the local PostgreSQL and RabbitMQ, builds, starts the sandbox and the
# six services in the background, waits until every one reports ready, and prints the URLs. Idempotent: what is
# already up is left alone.
source "$(dirname "$0")/common.sh" local
"$ROOT/deploy/install-deps.sh"
"$ROOT/deploy/postgres.sh" local start
"$ROOT/deploy/rabbitmq.sh" local start

log "building (first build takes several minutes)"
# Each service's main.swift copies its library's ServiceDefinition, whose layout depends on modules main.swift does not
# import itself; the incremental build was seen to keep a main compiled against an older layout (webbavtal crashed
# at start copying its definition). Recompiling the seven one-line mains every time costs a second and rules it out.
touch "$ROOT"/Services/*/main.swift
swift build --package-path "$ROOT" --scratch-path "$BUILD_DIR" 2>&1 | { grep -E "error:|Build complete" || true; } >&2
BIN=$(swift build --package-path "$ROOT" --scratch-path "$BUILD_DIR" --show-bin-path)

mkdir -p "$RUN/logs" "$RUN/pids"
# Tracing is off unless a collector is named: OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318 make up (TRACE_LINK for
# the contract page's link), or AVTAL_TRACES=local make up for the tests' own OTLP receiver on :4318, which keeps the
# spans in memory and shows a trace as JSON (docs/operations.md, "Tracing"). Services already running keep theirs.
if [ "${AVTAL_TRACES:-}" = "local" ]; then
    receiver_pid="$RUN/pids/0-otlp-receiver.pid"
    if ! { [ -f "$receiver_pid" ] && kill -0 "$(cat "$receiver_pid")" 2>/dev/null; }; then
        log "starting the local OTLP receiver on :4318"
        setsid "${AVTAL_VENV:-$HOME/.cache/avtalsflode/venv}/bin/python" "$ROOT/Tests/otlp/otlp-receiver.py" 4318 >>"$RUN/logs/otlp-receiver.log" 2>&1 </dev/null &
        echo $! >"$receiver_pid"
    fi
    export OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 TRACE_LINK=${TRACE_LINK:-'http://127.0.0.1:4318/spans?traceId={traceId}'}
fi
ready() { curl -fsS "http://127.0.0.1:$(($1 + 1000))/ready" >/dev/null 2>&1; }
while read -r name port; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    pidfile="$RUN/pids/$name.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then continue; fi
    log "starting $name on :$port"
    # Each service as its own database role (deploy/sql/roles.sql); migrations as the owner role.
    HTTP_PORT=$port POSTGRES_PORT=$PG_PORT POSTGRES_USER="avtal_${name//-/_}" POSTGRES_MIGRATION_USER=avtal_owner \
        AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" setsid "$BIN/$name" >>"$RUN/logs/$name.log" 2>&1 </dev/null &
    echo $! >"$pidfile"
done <"$ROOT/deploy/services.list"

failed=0
while read -r name port; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    if ! wait_for 120 "$name to be ready" ready "$port"; then
        log "$name is not ready: see $RUN/logs/$name.log"; failed=1
    fi
done <"$ROOT/deploy/services.list"
[ $failed -eq 0 ] || exit 1

# The demo partner, so the API can be called at once (local mode only: the default key is public knowledge).
DEMO_KEY=${AVTAL_DEMO_PARTNER_KEY:-avtal_demo-local-only-not-a-secret}
POSTGRES_PORT=$PG_PORT POSTGRES_USER=avtal_owner "$BIN/avtalctl" partner create --id demo --name "Demo Partner" --key "$DEMO_KEY" >/dev/null
# The demo back-office users (local mode only: the default passwords are public knowledge).
export AVTAL_DEMO_SELLER_PASSWORD=${AVTAL_DEMO_SELLER_PASSWORD:-seller-demo-password} AVTAL_DEMO_MKA_PASSWORD=${AVTAL_DEMO_MKA_PASSWORD:-mka-demo-password}
POSTGRES_PORT=$PG_PORT POSTGRES_USER=avtal_owner "$BIN/avtalctl" user create --username seller --name "Demo Säljare" --role seller --password-env AVTAL_DEMO_SELLER_PASSWORD >/dev/null
POSTGRES_PORT=$PG_PORT POSTGRES_USER=avtal_owner "$BIN/avtalctl" user create --username mka --name "Demo MKA" --role mka --password-env AVTAL_DEMO_MKA_PASSWORD >/dev/null
export AVTAL_DEMO_BUSINESS_PASSWORD=${AVTAL_DEMO_BUSINESS_PASSWORD:-business-demo-password}
POSTGRES_PORT=$PG_PORT POSTGRES_USER=avtal_owner "$BIN/avtalctl" user create --username foretag --name "Demo Företagssäljare" --role business-seller \
    --password-env AVTAL_DEMO_BUSINESS_PASSWORD >/dev/null

cat <<INFO

Avtalsflöde is up (logs: make logs; stop: make down)
  PostgreSQL   postgres://postgres@127.0.0.1:$PG_PORT/avtalsflode
  RabbitMQ     amqp://guest:guest@127.0.0.1:$AMQP_PORT
INFO
while read -r name port; do
    [[ -z "$name" || "$name" == \#* ]] && continue
    printf '  %-13s http://127.0.0.1:%s  (admin: http://127.0.0.1:%s/ready /metrics)\n' "$name" "$port" "$((port + 1000))"
done <"$ROOT/deploy/services.list"
cat <<INFO

  Partner API  http://127.0.0.1:8080/v1/openapi.yaml   demo key: $DEMO_KEY
  Try it:      curl -s -H "Authorization: Bearer $DEMO_KEY" http://127.0.0.1:8080/v1/products
  Back office  http://127.0.0.1:8081/login   users: seller / $AVTAL_DEMO_SELLER_PASSWORD, mka / $AVTAL_DEMO_MKA_PASSWORD
  Lime link    http://127.0.0.1:8081/lime/contract?type=private&firstName=Anna&lastName=Andersson&pnr=196408233234
  FOA          http://127.0.0.1:8084/lime/foa?foaId=FOA-1&orgnr=556016-0680&company=Exempel+AB   user: foretag / $AVTAL_DEMO_BUSINESS_PASSWORD
  Gördis       http://127.0.0.1:8081/gordis   (as mka)
  Flow board   http://127.0.0.1:8081/flow     (as mka: contracts per state, queues, parked messages)
  Webhooks     http://127.0.0.1:8090/partner-receiver/demo/events   (the sandbox's partner receiver; docs/partner-api.md, "The whole loop")
INFO
if [ -n "${OTEL_EXPORTER_OTLP_ENDPOINT:-}${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-}" ]; then
    echo "  Traces       exported to ${OTEL_EXPORTER_OTLP_TRACES_ENDPOINT:-$OTEL_EXPORTER_OTLP_ENDPOINT}${TRACE_LINK:+; contract pages link to $TRACE_LINK}"
else
    echo "  Traces       off (AVTAL_TRACES=local make up, or OTEL_EXPORTER_OTLP_ENDPOINT=…; docs/operations.md, \"Tracing\")"
fi
