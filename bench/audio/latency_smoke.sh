#!/usr/bin/env bash
# latency_smoke.sh: the bench_audio_latency_smoke test. Starts a private
# redis-server and the real kopa on free loopback ports, then runs
# kopa_audio_latency with three bursts per case and --check: it checks that
# every case heard its bursts without errors and printed a row of numbers.
# No timing is asserted. Stops both processes by pid.
#
#   bench/audio/latency_smoke.sh KOPA_BIN LOADGEN_BIN LATENCY_BIN
set -euo pipefail
# shellcheck source=bench/procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/../procs.sh"

KOPA=$1
LOADGEN=$2
LATENCY=$3
WORK=$(mktemp -d /tmp/kopa-latency-smoke.XXXXXX)
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

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/secret"
REDIS_PORT=$("$LOADGEN" --free-port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" \
    --save '' --appendonly no --daemonize no --protected-mode no \
    >"$WORK/redis.log" 2>&1 &
REDIS_PID=$!
wait_for redis-cli -p "$REDIS_PORT" ping

PORT=$("$LOADGEN" --free-port)
"$KOPA" serve --port "$PORT" --redis "127.0.0.1:$REDIS_PORT" \
    --secret-file "$WORK/secret" --node-id latency-smoke \
    --log-level warn >"$WORK/kopa.log" 2>&1 &
KOPA_PID=$!
wait_for curl -sf "http://127.0.0.1:$PORT/healthz"

"$LATENCY" --port "$PORT" --secret-file "$WORK/secret" --bursts 3 \
    --max-seconds 30 --check >"$WORK/latency.csv"
cat "$WORK/latency.csv"
rows=$(grep -cE '^(mix|forward),' "$WORK/latency.csv" || true)
[ "$rows" -eq 2 ] || { echo "latency smoke: expected 2 rows, got $rows" >&2; exit 1; }
# Every row has numbers (not nan) in p50_ms, p99_ms and max_ms.
if awk -F, '/^(mix|forward),/ && ($6 == "nan" || $7 == "nan" || $8 == "nan") {bad = 1}
            END {exit bad ? 0 : 1}' "$WORK/latency.csv"; then
    echo "latency smoke: a case produced no numbers" >&2
    exit 1
fi
echo "latency smoke: both cases heard their bursts"
