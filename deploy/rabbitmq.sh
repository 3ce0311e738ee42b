#!/usr/bin/env bash
# A project-local RabbitMQ node: its own Erlang cookie, epmd port, data and logs under .run/<instance>/rabbitmq.
#   deploy/rabbitmq.sh <instance> start|stop|status|reset|discard|queues|ctl <args…>   (discard: stop, remove the data)
# queues: each queue's name and ready messages; ctl: rabbitmqctl for this node. RABBIT_COOKIE, when set, is the
# node's Erlang cookie (the nodes of a cluster share one); else a new node gets a random one.
# The /usr/sbin wrappers switch user and HOME (and so the cookie): the scripts in /usr/lib/rabbitmq/bin are used.
source "$(dirname "$0")/common.sh" "$1"
ACTION=${2:?usage: $0 <instance> start|stop|status|reset|queues|ctl <args…>}
DIR="$RUN/rabbitmq"

export HOME="$DIR/home"
export ERL_EPMD_PORT=$EPMD_PORT
export RABBITMQ_NODENAME=$RABBIT_NODE
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
export RABBITMQ_NODE_PORT=$AMQP_PORT
export RABBITMQ_DIST_PORT=$RABBIT_DIST_PORT
export RABBITMQ_MNESIA_BASE="$DIR/mnesia"
export RABBITMQ_LOG_BASE="$DIR/log"
export RABBITMQ_CONFIG_FILE="$DIR/rabbitmq.conf"
export RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/advanced.config"
export RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins"
export RABBITMQ_PID_FILE="$DIR/rabbitmq.pid"
export RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf"

# The Erlang CLI drops erl_crash.dump files in its working directory: keep them in the node's folder.
mkdir -p "$DIR" && cd "$DIR"

ctl() { "$RABBIT_BIN/rabbitmqctl" -n "$RABBIT_NODE" "$@"; }
is_ready() {
    [ -f "$HOME/.erlang.cookie" ] && "$RABBIT_BIN/rabbitmq-diagnostics" -n "$RABBIT_NODE" -q check_port_connectivity >/dev/null 2>&1
}

prepare() {
    mkdir -p "$HOME" "$RABBITMQ_LOG_BASE"
    data_dir "$RABBITMQ_MNESIA_BASE"
    if [ ! -f "$HOME/.erlang.cookie" ]; then
        if [ -n "${RABBIT_COOKIE:-}" ]; then echo -n "$RABBIT_COOKIE"; else head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'; fi \
            >"$HOME/.erlang.cookie"
        chmod 400 "$HOME/.erlang.cookie"
    fi
    printf 'loopback_users = none\ndisk_free_limit.absolute = 500MB\nlog.console = false\nlog.file.level = info\n' >"$RABBITMQ_CONFIG_FILE"
    echo '[].' >"$RABBITMQ_ADVANCED_CONFIG_FILE"
    echo '[].' >"$RABBITMQ_ENABLED_PLUGINS_FILE"
    : >"$RABBITMQ_CONF_ENV_FILE"
}

start() {
    if is_ready; then return 0; fi
    prepare
    log "rabbitmq($INSTANCE): starting node $RABBIT_NODE on 127.0.0.1:$AMQP_PORT"
    setsid "$RABBIT_BIN/rabbitmq-server" >"$RABBITMQ_LOG_BASE/stdout.log" 2>&1 </dev/null &
    # `rabbitmqctl wait` has been seen to give up early ("rabbit_is_not_running") on a loaded machine while the node
    # was still booting: the AMQP port answering is what counts.
    ctl -q wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null 2>&1 || log "rabbitmq($INSTANCE): still booting, probing the port"
    wait_for 120 "rabbitmq($INSTANCE) port" is_ready
}

stop() {
    if [ -f "$HOME/.erlang.cookie" ] && ctl -q status >/dev/null 2>&1; then
        log "rabbitmq($INSTANCE): stopping"
        ctl -q shutdown >/dev/null 2>&1 || true
    fi
    # epmd is shared by every Erlang node here (the test and chaos brokers run side by side): stop it only when no
    # node is registered any more.
    if ! epmd -names 2>/dev/null | grep -q "^name "; then epmd -kill >/dev/null 2>&1 || true; fi
}

case "$ACTION" in
    start) start ;;
    stop) stop ;;
    status) is_ready && echo "rabbitmq($INSTANCE) ready on 127.0.0.1:$AMQP_PORT" || { echo "rabbitmq($INSTANCE) down"; exit 1; } ;;
    queues) ctl -q list_queues name messages ;;
    ctl) shift 2; ctl "$@" ;;
    reset) stop; cd "$ROOT"; discard_data "$RABBITMQ_MNESIA_BASE"; rm -rf "$DIR"; mkdir -p "$DIR"; cd "$DIR"; start ;;
    discard) stop; discard_data "$RABBITMQ_MNESIA_BASE" ;;
    *) echo "unknown action $ACTION" >&2; exit 2 ;;
esac
