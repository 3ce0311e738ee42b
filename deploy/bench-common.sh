# Shared by the benchmark scripts (source it after common.sh): `bench_prepare <products…>` builds them in release
# mode (or takes them from BENCH_BIN), sets BIN, starts a fresh test stack, and arranges that on exit every process started with `bench_start` is
# stopped (SIGTERM, up to 35 s for all of them, then SIGKILL) and the stack with it.
RELEASE_DIR=${RELEASE_DIR:-$HOME/.cache/avtalsflode/release}
bench_pids=()

bench_cleanup() {
    for pid in "${bench_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    # A service may take 20 s to finish what it holds and 10 s more to cancel it (ServiceRunner.boundShutdown), so
    # wait 35 s in all: only a process past its own bound counts as not stopping.
    local deadline=$((SECONDS + 35))
    for pid in "${bench_pids[@]}"; do while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done; done
    # Whatever did not stop by then is killed: a benchmark never leaves a process behind.
    for pid in "${bench_pids[@]}"; do kill -KILL "$pid" 2>/dev/null && log "killed pid $pid, which did not stop on SIGTERM" || true; done
    "$ROOT/deploy/rabbitmq.sh" test stop || true
    "$ROOT/deploy/postgres.sh" test stop || true
}

bench_prepare() {
    "$ROOT/deploy/install-deps.sh"
    trap bench_cleanup EXIT
    if [ -n "${BENCH_BIN:-}" ]; then
        BIN=$BENCH_BIN  # already built (the fault test in `make test` runs the debug build)
    else
        log "building in release mode (the first time takes several minutes): $*"
        touch "$ROOT"/Services/*/main.swift  # as in deploy/test.sh: a main never kept against an older layout
        for product in "$@"; do
            swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --product "$product" 2>&1 | { grep -E "error:" || true; } >&2
        done
        BIN=$(swift build --package-path "$ROOT" --scratch-path "$RELEASE_DIR" -c release --show-bin-path)
    fi
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

# bench_partner_api: builds (or takes) partner-api, kontroll, avtalctl and avtal-api-bench, starts one partner-api on a
# fresh test stack, waits until it is ready, and sets KEY to a new partner's key without a practical rate limit.
# kontroll runs only until it has declared its queues and stopped again: each new contract's `ContractStored` then
# has the queue it has in production to go to (durable, on disk) and waits there. Without it the broker refused
# every message (NO_ROUTE) and the relay retried each ten times: earlier runs measured that too (docs/PERFORMANCE.md).
bench_partner_api() {
    bench_prepare partner-api kontroll avtalctl avtal-api-bench
    bench_start partner-api POSTGRES_PORT="$PG_PORT" AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" HTTP_PORT=28080
    wait_for 60 "partner-api ready" curl -fsS "http://127.0.0.1:29080/ready"
    local unused=http://127.0.0.1:9  # kontroll calls no third party before it has a message
    env POSTGRES_PORT="$PG_PORT" AMQP_URLS="amqp://guest:guest@127.0.0.1:$AMQP_PORT" HTTP_PORT=28082 REGISTER_URL=$unused \
        CREDIT_BUREAU_URL=$unused MAIL_GATEWAY_URL=$unused "$BIN/kontroll" >"$RUN/logs/kontroll.log" 2>&1 &
    local kontroll=$!
    wait_for 60 "kontroll ready (its queues declared)" curl -fsS "http://127.0.0.1:29082/ready"
    kill -TERM "$kontroll"
    wait "$kontroll" || true
    KEY=$(POSTGRES_PORT=$PG_PORT "$BIN/avtalctl" partner create --id bench --name Bench --per-minute 100000000)
}

# The whole system on the test stack's ports, for `make load` and `make faults`: `load_start_services [VAR=value…]`
# starts the sandbox and every service (the extra variables go to all of them) and waits until each is ready.
LOAD_PORTS=(sandbox:28090 webbavtal:28081 kontroll:28082 signering:28083 foa:28084 gordis-export:28085 partner-api:28080)
load_environment() {
    local name=$1 port=$2
    local env=(POSTGRES_PORT="$PG_PORT" AMQP_URLS="${LOAD_AMQP_URLS:-amqp://guest:guest@127.0.0.1:$AMQP_PORT}" LOG_LEVEL="${LOG_LEVEL:-warning}"
        RETRY_DELAYS_MS="${RETRY_DELAYS_MS:-1000,3000,10000}" HTTP_PORT="$port"
        # Each service as its own database role, migrations as the owner (deploy/sql/roles.sql), as in `make up`.
        POSTGRES_USER="avtal_${name//-/_}" POSTGRES_MIGRATION_USER=avtal_owner)
    case $name in
        sandbox) env+=(SANDBOX_BUREAU_LATENCY_MS="${SANDBOX_BUREAU_LATENCY_MS:-20}"
            SANDBOX_GETACCEPT_CREATE_LATENCY_MS="${SANDBOX_GETACCEPT_CREATE_LATENCY_MS:-0}") ;;
        kontroll) env+=(REGISTER_URL=http://127.0.0.1:28090 CREDIT_BUREAU_URL=http://127.0.0.1:28090 MAIL_GATEWAY_URL=http://127.0.0.1:28090) ;;
        signering) env+=(GETACCEPT_URL=http://127.0.0.1:28090/getaccept/v1 SIGNERING_PUBLIC_URL="http://127.0.0.1:$port" SIGNING_SWEEP_INTERVAL_SECONDS=5
            SIGNING_CHECK_AFTER_SECONDS=30) ;;
        gordis-export) env+=(XELLENT_URL=http://127.0.0.1:28090) ;;
    esac
    echo "${env[@]}"
}
load_start_services() {
    for entry in "${LOAD_PORTS[@]}"; do
        local name=${entry%%:*} port=${entry##*:}
        # shellcheck disable=SC2046
        bench_start "$name" $(load_environment "$name" "$port") "$@"
    done
    for entry in "${LOAD_PORTS[@]}"; do wait_for 120 "${entry%%:*} ready" curl -fsS "http://127.0.0.1:$((${entry##*:} + 1000))/ready"; done
}
# A partner without a practical rate limit (its key in LOAD_KEY) and the seller avtal-load logs in as: a business
# seller, since the mix sells business contracts by phone too.
load_create_users() {
    LOAD_KEY=$(POSTGRES_PORT=$PG_PORT "$BIN/avtalctl" partner create --id load --name "Load" --per-minute 100000000)
    export AVTAL_LOAD_SELLER_PASSWORD=${AVTAL_LOAD_SELLER_PASSWORD:-load-seller-password}
    POSTGRES_PORT=$PG_PORT "$BIN/avtalctl" user create --username load-seller --name "Last Säljare" --role business-seller \
        --password-env AVTAL_LOAD_SELLER_PASSWORD >/dev/null
}
# Fails (and says which) if any parking queue holds a message.
load_check_parking() {
    local parked
    parked=$("$ROOT/deploy/rabbitmq.sh" "${LOAD_BROKER_INSTANCE:-test}" queues | awk '$1 ~ /\.parked$/ && $2 > 0')
    if [ -n "$parked" ]; then echo "PARKED MESSAGES — $parked"; return 1; fi
    echo "parking queues: empty"
}

# PostgreSQL's counters as "commits wal_syncs wal_bytes": before and after a run, for the cost per contract.
load_database_counters() {
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode -tAF' ' -c \
        "SELECT (SELECT sum(xact_commit) FROM pg_stat_database), wal_sync, wal_bytes FROM pg_stat_wal"
}
# load_report_statements <contracts>: with LOAD_STATEMENTS=1 (PostgreSQL started with pg_stat_statements preloaded),
# the statements that cost the database most over the run: calls per contract and time, for where to look next; with
# PG_EXTRA_OPTIONS="-c pg_stat_statements.track_planning=on" also how often each was planned per call (near 1: planned
# anew each time — sent unprepared; near 0: a prepared statement's cached plan).
load_report_statements() {
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode -qX -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" >/dev/null
    echo "PostgreSQL's statements by total time (pg_stat_statements; calls per contract, ms in all, ms per call):"
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode -qX -P pager=off -c "
        SELECT round(calls::numeric / $1, 2) AS per_contract, round(total_exec_time::numeric) AS ms,
            round(mean_exec_time::numeric, 3) AS ms_each, round(plans::numeric / greatest(calls, 1), 2) AS plans_each,
            left(regexp_replace(query, '\s+', ' ', 'g'), 110) AS statement
        FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT ${LOAD_STATEMENTS_TOP:-30}"
    echo "PostgreSQL's statements by service (its database role): calls per contract, ms in all:"
    "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode -qX -P pager=off -c "
        SELECT r.rolname AS role, round(sum(s.calls)::numeric / $1, 2) AS per_contract, round(sum(s.total_exec_time)::numeric) AS ms
        FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid GROUP BY 1 ORDER BY 2 DESC"
}
# load_report_database <counters before> <contracts>: what the run cost PostgreSQL per contract.
load_report_database() {
    local after; after=$(load_database_counters)
    read -r c0 s0 b0 <<<"$1"; read -r c1 s1 b1 <<<"$after"
    awk -v c="$((c1 - c0))" -v s="$((s1 - s0))" -v b="$((b1 - b0))" -v n="$2" 'BEGIN {
        printf "PostgreSQL: %d transactions, reads included (%.1f per contract), %d WAL fsyncs (%.1f per contract), %.1f MiB WAL (%.1f KiB per contract)\n",
            c, c / n, s, s / n, b / 1048576, b / 1024 / n }'
}
# load_report_messages <contracts>: the events the run's outboxes hold (every service's, by type), per contract —
# each one a publish, a confirm, a delivery, an inbox entry and an acknowledgement.
load_report_messages() {
    local psql=("$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d avtalsflode -qtAX)
    local union
    union=$("${psql[@]}" -c "SELECT string_agg(format('SELECT %L AS service, message_type FROM %I.outbox', table_schema, table_schema), ' UNION ALL ')
        FROM information_schema.tables WHERE table_name = 'outbox'")
    [ -n "$union" ] || return 0
    "${psql[@]}" -F' ' -c "SELECT message_type, count(*) FROM ($union) m GROUP BY 1 ORDER BY 2 DESC" | awk -v n="$1" '
        { total += $2; line = line sprintf("%s%s %.2f", sep, $1, $2 / n); sep = ", " }
        END { printf "events per contract: %.2f (%s)\n", total / n, line }'
}

# load_thread_switches: every service's threads' context switches so far, one line each: "<service> <thread kind>
# <switches>" (a kind is the thread's name without its number: NIO's event loops, thread pools and the like).
load_thread_switches() {
    for entry in "${LOAD_PORTS[@]}"; do
        local name=${entry%%:*}
        for pid in $(pgrep -x "$name"); do
            for task in /proc/"$pid"/task/*; do
                awk -v service="$name" -v kind="$(tr -d '0-9#' <"$task/comm" | sed 's/[-_ ]*$//')" \
                    '/^(non)?voluntary_ctxt_switches/ { n += $2 } END { print service, kind, n }' "$task/status" 2>/dev/null
            done
        done
    done
}
# The system calls load_count_syscalls counts one by one, beside all of them: NIO's sockets and wake-ups (read,
# write, writev, epoll_wait), the concurrency pool's (futex), rabbitmq-c's frames (sendto, recvfrom, poll), and what
# made random identifiers (getrandom, openat: Foundation's UUID() opened /dev/urandom).
LOAD_SYSCALL_NAMES=(read write writev epoll_wait futex sendto recvfrom poll getrandom openat)
# load_count_syscalls: starts counting each service's system calls (perf's tracepoints) until load_report_syscalls.
load_count_syscalls() {
    LOAD_SYSCALL_COUNTERS=()
    local events=raw_syscalls:sys_enter name
    for name in "${LOAD_SYSCALL_NAMES[@]}"; do events+=",syscalls:sys_enter_$name"; done
    for entry in "${LOAD_PORTS[@]}"; do
        name=${entry%%:*}
        perf stat -x, -o "$RUN/syscalls-$name.csv" -p "$(pgrep -d, -x "$name" | sed 's/,$//')" -e "$events" 2>/dev/null &
        LOAD_SYSCALL_COUNTERS+=($!)
    done
}
# load_report_syscalls <contracts>: stops the counting, then prints each service's system calls per contract: all of
# them, then those named above that came to one or more.
load_report_syscalls() {
    for pid in "${LOAD_SYSCALL_COUNTERS[@]}"; do kill -INT "$pid" 2>/dev/null || true; wait "$pid" || true; done
    echo "system calls per contract:"
    for entry in "${LOAD_PORTS[@]}"; do
        awk -F, -v n="$1" -v service="${entry%%:*}" '
            $3 == "raw_syscalls:sys_enter" { all = $1 }
            $3 ~ /^syscalls:sys_enter_/ && $1 / n >= 1 { name = substr($3, 20); part = part sprintf(", %s %.1f", name, $1 / n) }
            END { printf "  %s %.1f (%s)\n", service, all / n, substr(part, 3) }' "$RUN/syscalls-${entry%%:*}.csv" 2>/dev/null || true
    done
}
# load_report_switches <before> <contracts>: the context switches each contract cost each service, by thread kind — a
# thread woken without work to do shows here (docs/PERFORMANCE.md).
load_report_switches() {
    load_thread_switches | awk -v n="$2" -v before="$1" '
        BEGIN { count = split(before, lines, "\n"); for (i = 1; i <= count; i++) { split(lines[i], f, " "); start[f[1] " " f[2]] += f[3] } }
        { now[$1 " " $2] += $3 }
        END {
            for (key in now) { split(key, f, " "); delta = now[key] - start[key]; total[f[1]] += delta; if (delta / n >= 0.5) part[f[1]] = part[f[1]] sprintf(" %s %.1f", f[2], delta / n) }
            printf "context switches per contract:"; for (s in total) printf " %s %.1f (%s);", s, total[s] / n, substr(part[s], 2); print ""
        }'
}
