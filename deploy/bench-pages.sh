#!/usr/bin/env bash
# `make bench-pages`: how fast the back office's pages answer with many contracts in the store. A release webbavtal on
# the test stack's ports, COUNT made-up contracts inserted through the store (`avtalctl demo contracts`: a third
# waiting for MKA), then each page fetched ROUNDS times by curl over loopback with a logged-in session, one at a time.
# Prints p50 / p95 / max per page in milliseconds. Arguments: [count] [rounds], default 10000 50.
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
COUNT=${1:-10000}
ROUNDS=${2:-50}
PORT=28081
bench_prepare webbavtal avtalctl
bench_start webbavtal POSTGRES_PORT="$PG_PORT" AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" HTTP_PORT=$PORT
wait_for 60 "webbavtal ready" curl -fsS "http://127.0.0.1:$((PORT + 1000))/ready"
export POSTGRES_PORT=$PG_PORT BENCH_PASSWORD=bench-pages-password
"$BIN/avtalctl" demo contracts --count "$COUNT"
"$BIN/avtalctl" user create --username mka --name "MKA" --role mka --password-env BENCH_PASSWORD >/dev/null
"$BIN/avtalctl" user create --username seller --name "Säljare" --role seller --password-env BENCH_PASSWORD >/dev/null
PSQL=("$PG_BIN/psql" -qtA -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode)
"${PSQL[@]}" -c "ANALYZE"
total=$("${PSQL[@]}" -c "SELECT count(*) FROM webbavtal.contracts")
waiting=$("${PSQL[@]}" -c "SELECT count(*) FROM webbavtal.contracts WHERE state = 'needsMKA'")
contract=$("${PSQL[@]}" -c "SELECT id FROM webbavtal.contracts WHERE state = 'needsMKA' ORDER BY random() LIMIT 1")
pnr=$("${PSQL[@]}" -c "SELECT details->'customer'->>'personalIdentityNumber' FROM webbavtal.contracts WHERE id = '$contract'")
facility=$("${PSQL[@]}" -c "SELECT metering_point_id FROM webbavtal.contract_facilities WHERE contract_id = '$contract'")

BASE="http://127.0.0.1:$PORT"
jar() { echo "$RUN/bench-pages-$1.cookies"; }
csrf_of() { grep -oE 'name="_csrf" value="[^"]+"' | head -1 | sed -E 's/.*value="([^"]+)"/\1/'; }
login() {
    rm -f "$(jar "$1")"
    local token
    token=$(curl -fsS -c "$(jar "$1")" "$BASE/login" | csrf_of)
    curl -fsS -o /dev/null -b "$(jar "$1")" -c "$(jar "$1")" --data-urlencode "username=$1" --data-urlencode "password=$BENCH_PASSWORD" \
        --data-urlencode "_csrf=$token" "$BASE/login"
}
login mka
login seller
CSRF=$(curl -fsS -b "$(jar mka)" "$BASE/" | csrf_of)

# time_page <label> <user> <curl arguments…>: ROUNDS fetches (after 3 to warm up); p50, p95, max in ms; fails on non-200.
time_page() {
    local label=$1 user=$2; shift 2
    local times=()
    for i in $(seq $((ROUNDS + 3))); do
        local out
        out=$(curl -sS -o /dev/null -w '%{http_code} %{time_total}' -b "$(jar "$user")" "$@")
        [ "${out%% *}" = 200 ] || { echo "$label: HTTP ${out%% *}" >&2; exit 1; }
        [ "$i" -gt 3 ] && times+=("${out#* }")
    done
    printf '%s\n' "${times[@]}" | sort -n | awk -v label="$label" '
        { t[NR] = $1 * 1000 }
        END { printf "%-44s p50 %6.1f ms   p95 %6.1f ms   max %6.1f ms\n", label, t[int(NR * 0.5 + 0.5)], t[int(NR * 0.95 + 0.5)], t[NR] }'
}

echo "machine: $(nproc) cores; release webbavtal, PostgreSQL 15; $total contracts, $waiting waiting for MKA; $ROUNDS fetches per page"
time_page "GET /mka (worklist, 200 oldest of $waiting)" mka "$BASE/mka"
time_page "GET /mka?reason=credit.denied" mka "$BASE/mka?reason=credit.denied"
time_page "POST /mka search: name" mka --data-urlencode "_csrf=$CSRF" --data-urlencode "q=nilsson" "$BASE/mka"
time_page "POST /mka search: personnummer" mka --data-urlencode "_csrf=$CSRF" --data-urlencode "q=$pnr" --data-urlencode "state=all" "$BASE/mka"
time_page "POST /mka search: metering point id" mka --data-urlencode "_csrf=$CSRF" --data-urlencode "q=$facility" --data-urlencode "state=all" "$BASE/mka"
time_page "POST /mka all states" mka --data-urlencode "_csrf=$CSRF" --data-urlencode "state=all" "$BASE/mka"
time_page "GET /contracts/{id} (MKA, with edit form)" mka "$BASE/contracts/$contract"
time_page "GET /contracts/new (seller)" seller "$BASE/contracts/new"
time_page "GET / (start page)" seller "$BASE/"
