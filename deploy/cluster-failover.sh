#!/usr/bin/env bash
# `make cluster-failover`: the system on a three-node RabbitMQ cluster (deploy/rabbitmq-cluster.sh), every service
# given all three nodes in AMQP_URLS (a service connects to the first that answers and goes round the list when its
# node fails); quorum queues replicated on all three. Under the load of `make load` (default 30 contracts/s for
# 120 s) the node that leads most of the services' work queues is stopped; avtal-load then checks the same
# invariants as `make load` and `make faults`, and no message may wait in a parking queue. Operations can rehearse a
# node failure with it. Arguments: [rate per second] [seconds].
source "$(dirname "$0")/common.sh" test
source "$ROOT/deploy/bench-common.sh"
RATE=${1:-30}
DURATION=${2:-120}
bench_prepare sandbox webbavtal kontroll signering gordis-export foa partner-api avtalctl avtal-load
"$ROOT/deploy/rabbitmq.sh" test stop  # the single test node is not used here
trap 'bench_cleanup; "$ROOT/deploy/rabbitmq-cluster.sh" stop' EXIT
"$ROOT/deploy/rabbitmq-cluster.sh" reset
"$ROOT/deploy/rabbitmq-cluster.sh" start
export LOAD_AMQP_URLS; LOAD_AMQP_URLS=$("$ROOT/deploy/rabbitmq-cluster.sh" urls)
load_start_services
load_create_users
echo "the services' queues (name, type, leader, members):"
"$ROOT/deploy/rabbitmq-cluster.sh" leaders | grep -E "\.work" || true

"$BIN/avtal-load" --rate "$RATE" --seconds "$DURATION" --partner-key "$LOAD_KEY" &
load_pid=$!
sleep $((DURATION / 4))
leader=$("$ROOT/deploy/rabbitmq-cluster.sh" leaders | awk '$1 ~ /\.work$/ { print $3 }' | sort | uniq -c | sort -rn | awk 'NR == 1 { print $2 }')
n=${leader#avtal-c}; n=${n%@localhost}
log "cluster: stopping $leader, the leader of most work queues"
"$ROOT/deploy/rabbitmq.sh" "cluster-$n" stop
log "cluster: $leader stopped; the queues' new leaders:"
"$ROOT/deploy/rabbitmq-cluster.sh" leaders | grep -E "\.work" || true

status=0
wait "$load_pid" || status=$?
survivor=$(( n % 3 + 1 ))
LOAD_BROKER_INSTANCE=cluster-$survivor load_check_parking || status=1
log "cluster: starting $leader again"
"$ROOT/deploy/rabbitmq.sh" "cluster-$n" start
[ $status -eq 0 ] && echo "cluster failover: every invariant held" || echo "cluster failover: FAILED"
exit $status
