#!/usr/bin/env bash
# smoke.sh: the bench_smoke test. Starts a private redis-server and the
# real kopa on free loopback ports, then runs kopa_loadgen with tiny sizes
# for a few seconds: fan-out, many rooms, idle and the reconnect storm,
# each with --check (chats delivered, none lost, no errors, every dropped
# member resumed). No timings are asserted. Stops both processes by pid.
#
#   bench/smoke.sh KOPA_BIN LOADGEN_BIN
set -euo pipefail
# shellcheck source=bench/procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/procs.sh"

KOPA=$1
LOADGEN=$2
WORK=$(mktemp -d /tmp/kopa-bench-smoke.XXXXXX)
REDIS_PID=""
KOPA_PID=""

# shellcheck disable=SC2317  # called by the EXIT trap
finish() {
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
trap finish EXIT
trap 'exit 130' INT TERM


ulimit -n "$(ulimit -Hn)"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/secret"
REDIS_PORT=$("$LOADGEN" --free-port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" \
    --appendonly yes --save '' --daemonize no --protected-mode no \
    >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
wait_for redis-cli -p "$REDIS_PORT" ping

PORT=$("$LOADGEN" --free-port)
"$KOPA" serve --port "$PORT" --redis "127.0.0.1:$REDIS_PORT" \
    --secret-file "$WORK/secret" --node-id smoke --rate 100000 \
    --burst 100000 --log-level warn >"$WORK/kopa.log" 2>&1 &
KOPA_PID=$!
wait_for curl -sf "http://127.0.0.1:$PORT/healthz"

run() {
    echo "smoke: $*"
    "$LOADGEN" --port "$PORT" --secret-file "$WORK/secret" \
        --server-pid "$KOPA_PID" --redis-pid "$REDIS_PID" --csv "$WORK/smoke.csv" \
        --max-seconds 30 --check "$@"
}
# One fan-out step: a busy machine can look saturated at the first step, and
# the stepping would stop early; the smoke checks delivery, not speed.
run --scenario fanout --members 8 --steps 5 --seconds 0.5 --warmup 0.2
run --scenario rooms --rooms 3 --members 4 --rate 5 --seconds 0.5 --warmup 0.2
run --scenario idle --connections 100 --members 20 --warmup 0.2
run --scenario storm --rooms 2 --members 10 --rate 20 --seconds 0.5 --warmup 0.3
rows=$(($(wc -l <"$WORK/smoke.csv") - 1))
[ "$rows" -eq 4 ] || { echo "smoke: expected 4 result rows, got $rows" >&2; exit 1; }
echo "smoke: 4 measurements, nothing lost"
