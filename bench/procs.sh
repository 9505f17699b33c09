# shellcheck shell=bash
# procs.sh: process helpers shared by the bench scripts (run.sh, ab.sh,
# smoke.sh, audio/latency_smoke.sh); sourced, not run.

# Stops pid $1 (if set and alive) with SIGTERM, then SIGKILL after 5 s.
stop_pid() {
    local pid=${1:-}
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

# Waits until command "$@" succeeds, for up to 20 s; fails otherwise.
wait_for() {
    for _ in $(seq 1 200); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    echo "timed out waiting for: $*" >&2
    return 1
}

# Starts a private redis-server and "$KOPA" serve on free loopback ports
# for a smoke test (ports from "$LOADGEN" --free-port), their data in a new
# folder; an EXIT trap stops both by pid and, when the script fails, shows
# their logs. Sets WORK (holds secret), REDIS_PID, REDIS_PORT, KOPA_PID and
# PORT.
#   smoke_stack NAME [more kopa serve options...]
smoke_stack() {
    local name=$1
    shift
    WORK=$(mktemp -d "/tmp/kopa-$name.XXXXXX")
    REDIS_PID=""
    KOPA_PID=""
    trap smoke_finish EXIT
    trap 'exit 130' INT TERM
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/secret"
    REDIS_PORT=$("$LOADGEN" --free-port)
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" \
        --appendonly yes --save '' --daemonize no --protected-mode no \
        >"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    wait_for redis-cli -p "$REDIS_PORT" ping
    PORT=$("$LOADGEN" --free-port)
    "$KOPA" serve --port "$PORT" --redis "127.0.0.1:$REDIS_PORT" \
        --secret-file "$WORK/secret" --node-id "$name" --log-level warn "$@" \
        >"$WORK/kopa.log" 2>&1 &
    KOPA_PID=$!
    wait_for curl -sf "http://127.0.0.1:$PORT/healthz"
}

# shellcheck disable=SC2317  # called by smoke_stack's EXIT trap
smoke_finish() {
    local rc=$?
    trap - EXIT
    stop_pid "$KOPA_PID"
    stop_pid "$REDIS_PID"
    if [ "$rc" -ne 0 ]; then
        echo "--- kopa log ---"; tail -20 "$WORK/kopa.log" 2>/dev/null || true
        echo "--- redis log ---"; tail -5 "$WORK/redis.log" 2>/dev/null || true
    fi
    rm -rf "$WORK"
    exit "$rc"
}
