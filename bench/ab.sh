#!/usr/bin/env bash
# ab.sh: two Kopa binaries measured side by side, in alternation, under the
# same load generator, so that whatever else the machine does hits both
# alike (bench/README.md, "Before and after"). Each round runs every
# scenario once for each binary (the order flips every round), each time
# with a fresh Redis and a fresh server on free loopback ports, stopped by
# pid afterwards. Rows go to one CSV (the load generator's columns; the
# server column is "old" or "new"), which bench/report.mjs summarises.
#
#   bash bench/ab.sh --old OLD/kopa --new NEW/kopa --loadgen BUILD/bench/loadgen/kopa_loadgen
#
# Options: --rounds N (3), --scenarios LIST (fanout,idle), --out FILE
# (bench/results/ab.csv), --quick (tiny sizes). KOPA_BENCH_MAX_SECONDS
# bounds each load-generator run (150). Only loopback addresses are used.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/procs.sh
. "$ROOT/bench/procs.sh"
OLD=""
NEW=""
LOADGEN=""
ROUNDS=3
SCENARIOS=fanout,idle
OUT=$ROOT/bench/results/ab.csv
QUICK=0
MAX_SECONDS=${KOPA_BENCH_MAX_SECONDS:-150}

while [ $# -gt 0 ]; do
    case "$1" in
    --old) OLD=$2; shift 2 ;;
    --new) NEW=$2; shift 2 ;;
    --loadgen) LOADGEN=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "ab.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done
for f in "$OLD" "$NEW" "$LOADGEN"; do
    if [ -z "$f" ] || [ ! -x "$f" ]; then
        echo "ab.sh: --old, --new and --loadgen must name executables" >&2
        exit 2
    fi
done
has() { [[ ",$1," == *",$2,"* ]]; }
say() { printf 'ab: %s\n' "$*"; }

ulimit -n "$(ulimit -Hn)"
WORK=$(mktemp -d /tmp/kopa-ab.XXXXXX)
SERVER_PID=""
REDIS_PID=""

stop_all() {
    stop_pid "$SERVER_PID"; SERVER_PID=""
    stop_pid "$REDIS_PID"; REDIS_PID=""
}
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    trap - INT TERM EXIT
    stop_all
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# Starts Redis and the binary $1: SERVER_PORT, SERVER_PID, REDIS_PID.
start() {
    local bin=$1 rport
    rport=$("$LOADGEN" --free-port)
    rm -rf "$WORK/redis" && mkdir -p "$WORK/redis"
    redis-server --port "$rport" --bind 127.0.0.1 --dir "$WORK/redis" \
        --appendonly yes --appendfsync everysec --save '' --daemonize no \
        --protected-mode no >"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    wait_for redis-cli -p "$rport" ping || { tail "$WORK/redis.log" >&2; return 1; }
    SERVER_PORT=$("$LOADGEN" --free-port)
    "$bin" serve --port "$SERVER_PORT" --redis "127.0.0.1:$rport" \
        --secret-file "$WORK/secret" --node-id ab --rate 100000 \
        --burst 100000 --log-level warn >"$WORK/kopa.log" 2>&1 &
    SERVER_PID=$!
    wait_for curl -sf "http://127.0.0.1:$SERVER_PORT/healthz" ||
        { tail "$WORK/kopa.log" >&2; return 1; }
}

args() {
    if [ "$QUICK" = 1 ]; then
        case "$1" in
        fanout) echo "--members 10 --steps 5,20 --seconds 1 --warmup 0.5" ;;
        idle) echo "--connections 200 --warmup 0.5" ;;
        esac
        return
    fi
    case "$1" in
    fanout) echo "--members 100 --steps 2,5,10,20,50,100 --seconds 2.5" ;;
    idle) echo "--connections 10000 --members 50 --warmup 2" ;;
    esac
}

head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/secret"
mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
FAILED=0
for round in $(seq 1 "$ROUNDS"); do
    order="old new"
    [ $((round % 2)) = 0 ] && order="new old"
    for scen in fanout idle; do
        has "$SCENARIOS" "$scen" || continue
        for which in $order; do
            bin=$OLD
            [ "$which" = new ] && bin=$NEW
            say "round $round: $which $scen"
            start "$bin"
            read -r -a extra <<<"$(args "$scen")"
            "$LOADGEN" --dialect kopa --label "$which" --port "$SERVER_PORT" \
                --scenario "$scen" --secret-file "$WORK/secret" --csv "$OUT" \
                --server-pid "$SERVER_PID" --redis-pid "$REDIS_PID" \
                --max-seconds "$MAX_SECONDS" --quiet "${extra[@]}" || FAILED=1
            kill -0 "$SERVER_PID" 2>/dev/null || { say "$which died in $scen"; FAILED=1; }
            stop_all
        done
    done
done
say "rows in $OUT"
exit "$FAILED"
