#!/usr/bin/env bash
# `make load-ab A=<dir> B=<dir>`: two sets of release binaries compared under the same `make load`, run alternately
# (A B B A A B …, so that neither always runs first after a quiet spell), each run on a fresh test stack, then one
# table row per run and the means per set. This machine's speed drifts by tens of per cent within an hour: only runs
# close together compare, and the sandbox's CPU per contract (code neither set changes) is printed as the control —
# "system / sandbox" divides the drift out. Arguments: <dir A> <dir B> [rate] [seconds] [pairs]
# (defaults 40/s, 60 s, 2 pairs). Each run's whole output stays in .run/load-ab/. docs/PERFORMANCE.md has how to read it.
# A_PG_OPTIONS / B_PG_OPTIONS: PostgreSQL server options for one side only (as PG_EXTRA_OPTIONS, which both sides get
# otherwise), to compare a setting with the same binaries on both sides.
source "$(dirname "$0")/common.sh" test
A=${1:?usage: $0 <binaries A> <binaries B> [rate] [seconds] [pairs]}
B=${2:?usage: $0 <binaries A> <binaries B> [rate] [seconds] [pairs]}
RATE=${3:-40}
DURATION=${4:-60}
PAIRS=${5:-2}
for dir in "$A" "$B"; do
    [ -x "$dir/webbavtal" ] && [ -x "$dir/avtal-load" ] || { echo "$dir holds no release binaries (webbavtal, avtal-load, …)" >&2; exit 2; }
done
OUT="$ROOT/.run/load-ab"
rm -rf "$OUT" && mkdir -p "$OUT"

# The figures of one run's output, as one Markdown row.
row() {
    awk -v label="$1" -v ended="$2" '
        /^throughput:/ { settled = $(NF - 1) }
        /^  self-service → approved / { ss50 = $(NF - 3); ss99 = $(NF - 1) }
        /^  phone-sold → signed / { ps99 = $(NF - 1) }
        /^the machine.s cores/ { busy = $8 }
        /^CPU per contract/ {
            # "sandbox 3.3, webbavtal 4.8, …, rabbitmq 3.8; the system without the sandbox 27.7 ms": the first of each name
            for (i = 4; i < NF; i++) { value = $(i + 1); gsub(/[,;]/, "", value); if (!($i in cpu)) cpu[$i] = value }
            total = $(NF - 1)
        }
        /^PostgreSQL: / { tx = $6; sub(/\(/, "", tx); fs = $12; sub(/\(/, "", fs) }
        /^invariants:/ { held = ($2 == "all") ? "" : " (invariants FAILED)" }
        END {
            printf "| %s%s | %s | %s/s | %s ms | %s / %s / %s / %s / %s / %s | %s | %.1f | %s / %s | %s / %s ms | %s ms | %s |\n",
                label, held, ended, settled, total, cpu["postgres"], cpu["webbavtal"], cpu["kontroll"], cpu["signering"],
                cpu["partner-api"], cpu["rabbitmq"], cpu["sandbox"], (cpu["sandbox"] > 0 ? total / cpu["sandbox"] : 0),
                tx, fs, ss50, ss99, ps99, busy
        }' "$3"
}

order=()
for ((pair = 0; pair < PAIRS; pair++)); do
    if ((pair % 2 == 0)); then order+=(A B); else order+=(B A); fi
done
status=0
for ((run = 0; run < ${#order[@]}; run++)); do
    label=${order[$run]}
    dir=$A options=${A_PG_OPTIONS-${PG_EXTRA_OPTIONS:-}}
    [ "$label" = B ] && dir=$B options=${B_PG_OPTIONS-${PG_EXTRA_OPTIONS:-}}
    log "run $((run + 1)) of ${#order[@]}: $label ($dir${options:+, PostgreSQL $options}) at $RATE/s for $DURATION s"
    PG_EXTRA_OPTIONS=$options BENCH_BIN=$dir "$ROOT/deploy/load.sh" "$RATE" "$DURATION" >"$OUT/$((run + 1))-$label.log" 2>&1 || status=1
    date +%H:%M >"$OUT/$((run + 1))-$label.ended"
done

echo "A = $A${A_PG_OPTIONS:+ (PostgreSQL $A_PG_OPTIONS)}, B = $B${B_PG_OPTIONS:+ (PostgreSQL $B_PG_OPTIONS)}; $RATE contracts/s for $DURATION s each (deploy/load.sh); the logs: $OUT"
echo "| run | ended | settled | system without the sandbox | PostgreSQL / webbavtal / kontroll / signering / partner-api / RabbitMQ (ms) | sandbox (the control) | system / sandbox | transactions / WAL fsyncs per contract | self-service → approved p50 / p99 | phone-sold → signed p99 | machine busy |"
echo "| --- | --- | ---: | ---: | --- | ---: | ---: | --- | --- | ---: | ---: |"
for ((run = 0; run < ${#order[@]}; run++)); do
    label=${order[$run]}
    row "$label" "$(cat "$OUT/$((run + 1))-$label.ended")" "$OUT/$((run + 1))-$label.log" | tee -a "$OUT/rows.md"
done
# The means per set: the system's CPU per contract, the sandbox's, and their ratio (the drift divided out).
awk -F'|' '
    { label = $2; gsub(/ |\(.*\)/, "", label); cost = $5; sub(/ ms/, "", cost); sandbox = $7; ratio = $8; settled = $4; sub(/\/s/, "", settled)
      n[label]++; c[label] += cost; b[label] += sandbox; r[label] += ratio; t[label] += settled }
    END { for (l in n) printf "%s: %d runs, system %.1f ms, sandbox %.1f ms, system / sandbox %.2f, settled %.1f/s (means)\n",
              l, n[l], c[l] / n[l], b[l] / n[l], r[l] / n[l], t[l] / n[l] }' "$OUT/rows.md" | sort
[ "$status" -eq 0 ] || echo "a run failed (an invariant, a parked message, or it did not finish): see its log in $OUT"
exit "$status"
