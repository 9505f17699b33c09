#!/usr/bin/env bash
# run.sh: the whole bench in one command (bench/README.md). Builds Kopa and
# the load generator (Release) into build-bench/, installs the peers
# (npm ci in bench/peers), then for each server in turn (Kopa, the Node
# `ws` peer, the Socket.IO peer with its Redis adapter) and each chat
# scenario starts a fresh Redis and a fresh server on free loopback ports,
# runs kopa_loadgen against it, and stops both by pid (scenario by scenario,
# all servers in turn). Then the audio and
# pairing benchmarks (scenarios 5 and 6) when they are built, audio through
# the network (scenario 5b: kopa_loadgen --scenario audio, a fresh Kopa per
# size), the audio latency through a fresh Kopa (scenario 7,
# kopa_audio_latency), and finally bench/report.mjs writes
# bench/results/chart.svg and docs/benchmarks.md.
#
#   bash bench/run.sh                 # the full run, a few minutes
#   bash bench/run.sh --quick         # tiny sizes, to try the pipeline
#   bash bench/run.sh --servers kopa --scenarios fanout,idle
#   bash bench/run.sh --profile       # also perf-record Kopa in fan-out
#
# Options: --servers LIST (kopa,ws,socketio), --scenarios LIST
# (fanout,rooms,idle,storm,audio,audio-net,pairing,audio-latency), --quick,
# --no-build, --no-report, --profile, --out DIR (bench/results).
# Environment: KOPA_BENCH_BUILD (build dir), KOPA_BENCH_MAX_SECONDS (per
# loadgen run). Only loopback addresses are used; every run is bounded in
# time.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/procs.sh
. "$ROOT/bench/procs.sh"
BUILD=${KOPA_BENCH_BUILD:-$ROOT/build-bench}
OUT=$ROOT/bench/results
SERVERS=kopa,ws,socketio
SCENARIOS=fanout,rooms,idle,storm,audio,audio-net,pairing,audio-latency
QUICK=0
BUILD_IT=1
REPORT=1
PROFILE=0
MAX_SECONDS=${KOPA_BENCH_MAX_SECONDS:-150}

while [ $# -gt 0 ]; do
    case "$1" in
    --servers) SERVERS=$2; shift 2 ;;
    --scenarios) SCENARIOS=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --no-build) BUILD_IT=0; shift ;;
    --no-report) REPORT=0; shift ;;
    --profile) PROFILE=1; shift ;;
    --out) OUT=$2; shift 2 ;;
    -h | --help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
    esac
done

say() { printf 'bench: %s\n' "$*"; }
# run_failed WHAT RC SERVER: says WHAT failed and shows SERVER's last log lines.
run_failed() {
    say "$1 failed ($2); last server log lines:"
    tail -5 "$WORK/$3.log" >&2 || true
    FAILED=1
}
has() { [[ ",$1," == *",$2,"* ]]; }

# --- build ------------------------------------------------------------------
if [ "$BUILD_IT" = 1 ]; then
    say "building (Release) in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DKOPA_WERROR=OFF \
        -DKOPA_SANITIZE=OFF >"$BUILD.configure.log" 2>&1 ||
        { cat "$BUILD.configure.log" >&2; exit 1; }
    targets=(kopa kopa_loadgen)
    known=$(cmake --build "$BUILD" --target help 2>/dev/null || true)
    for t in bench_audio bench_pairing kopa_audio_latency; do
        if grep -q "\b$t\b" <<<"$known"; then
            targets+=("$t")
        fi
    done
    cmake --build "$BUILD" -j"$(nproc)" --target "${targets[@]}" >/dev/null
fi
KOPA=$BUILD/server/kopa
LOADGEN=$BUILD/bench/loadgen/kopa_loadgen
BENCH_AUDIO=$BUILD/bench/audio/bench_audio
BENCH_PAIRING=$BUILD/bench/pairing/bench_pairing
AUDIO_LATENCY=$BUILD/bench/audio/kopa_audio_latency
for f in "$KOPA" "$LOADGEN"; do
    [ -x "$f" ] || { echo "run.sh: $f is missing (build it, or drop --no-build)" >&2; exit 1; }
done

if has "$SERVERS" ws || has "$SERVERS" socketio; then
    stamp=$ROOT/bench/peers/node_modules/.lock-stamp
    if ! cmp -s "$ROOT/bench/peers/package-lock.json" "$stamp" 2>/dev/null; then
        say "installing the peers (npm ci in bench/peers)"
        (cd "$ROOT/bench/peers" && npm ci --no-audit --no-fund --silent)
        cp "$ROOT/bench/peers/package-lock.json" "$stamp"
    fi
fi

# 10,000 connections need more than the usual 1,024 descriptors, in the
# servers (children of this shell) as in the load generator.
ulimit -n "$(ulimit -Hn)"
if [ "$(ulimit -n)" -lt 10100 ]; then
    say "warning: only $(ulimit -n) file descriptors; the idle scenario needs 10,100"
fi

# --- processes ----------------------------------------------------------------
WORK=$(mktemp -d /tmp/kopa-bench.XXXXXX)
KEEP_WORK=0
SERVER_PID=""
REDIS_PID=""
PERF_PID=""

stop_servers() {
    stop_pid "$PERF_PID"; PERF_PID=""
    stop_pid "$SERVER_PID"; SERVER_PID=""
    stop_pid "$REDIS_PID"; REDIS_PID=""
}

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
    trap - INT TERM EXIT
    stop_servers
    if [ "$KEEP_WORK" = 1 ]; then
        say "a server crashed: its log and core file are kept in $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { "$LOADGEN" --free-port; }

start_redis() {
    REDIS_PORT=$(free_port)
    mkdir -p "$WORK/redis"
    rm -rf "$WORK/redis"/*
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" \
        --appendonly yes --appendfsync everysec --save '' --daemonize no \
        --protected-mode no >"$WORK/redis.log" 2>&1 &
    REDIS_PID=$!
    wait_for redis-cli -p "$REDIS_PORT" ping ||
        { tail "$WORK/redis.log" >&2; return 1; }
}

# Starts server $1 on a free port: SERVER_PORT, SERVER_PID, DIALECT.
start_server() {
    local name=$1 log=$WORK/$1.log
    SERVER_PORT=$(free_port)
    case "$name" in
    kopa)
        start_redis
        # The bench senders exceed the default 20 messages/s per member.
        (cd "$WORK" && { ulimit -c unlimited 2>/dev/null || true; } && exec "$KOPA" serve --port "$SERVER_PORT" --redis "127.0.0.1:$REDIS_PORT" \
            --secret-file "$SECRET" --node-id bench --rate 100000 \
            --burst 100000 --log-level warn >"$log" 2>&1) &
        SERVER_PID=$!
        DIALECT=kopa
        wait_for curl -sf "http://127.0.0.1:$SERVER_PORT/healthz" ||
            { tail "$log" >&2; return 1; }
        ;;
    ws)
        REDIS_PID=""
        node "$ROOT/bench/peers/ws-server.mjs" --port "$SERVER_PORT" \
            --secret-file "$SECRET" >"$log" 2>&1 &
        SERVER_PID=$!
        DIALECT=plain
        wait_for grep -q '^listening' "$log" || { tail "$log" >&2; return 1; }
        ;;
    socketio)
        start_redis
        node "$ROOT/bench/peers/socketio-server.mjs" --port "$SERVER_PORT" \
            --secret-file "$SECRET" --redis "127.0.0.1:$REDIS_PORT" >"$log" 2>&1 &
        SERVER_PID=$!
        DIALECT=sio
        wait_for grep -q '^listening' "$log" || { tail "$log" >&2; return 1; }
        ;;
    esac
}

# Prints "cpu_seconds rss_kib hwm_kib" of pid $1 from /proc.
proc_sample() {
    local tck stat
    tck=$(getconf CLK_TCK)
    stat=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null) || { echo "0 0 0"; return; }
    awk -v s="$stat" -v t="$tck" -v f="/proc/$1/status" 'BEGIN {
        split(s, a, " "); cpu = (a[12] + a[13]) / t
        while ((getline line < f) > 0) {
            if (line ~ /^VmRSS:/) { split(line, b); rss = b[2] }
            if (line ~ /^VmHWM:/) { split(line, b); hwm = b[2] }
        }
        printf "%.2f %d %d\n", cpu, rss, hwm }'
}

# The load generator's arguments for scenario $1.
scenario_args() {
    if [ "$QUICK" = 1 ]; then
        case "$1" in
        fanout) echo "--members 10 --steps 5,20 --seconds 1 --warmup 0.5" ;;
        rooms) echo "--rooms 5 --members 5 --seconds 1 --warmup 0.5" ;;
        idle) echo "--connections 200 --warmup 0.5" ;;
        storm) echo "--rooms 2 --members 10 --seconds 0.5 --warmup 0.5" ;;
        esac
        return
    fi
    case "$1" in
    fanout) echo "--members 100 --steps 2,5,10,20,50,100,200,500 --seconds 2.5" ;;
    rooms) echo "--rooms 50 --members 20 --rate 1 --seconds 8" ;;
    idle) echo "--connections 10000 --members 50 --warmup 2" ;;
    storm) echo "--rooms 10 --members 100 --writers 1 --rate 20 --seconds 1" ;;
    esac
}

mkdir -p "$OUT"
SECRET=$WORK/secret
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$SECRET"
CSV=$OUT/chat.csv
PROC_CSV=$OUT/process.csv
rm -f "$CSV" "$OUT"/crash-*.log
echo "server,scenario,cpu_s,rss_start_kb,rss_end_kb,rss_peak_kb,redis_cpu_s,loadgen_exit" >"$PROC_CSV"
T0=$(date +%s)
FAILED=0

# Scenario by scenario, the servers one after the other: whatever else the
# machine is doing then affects all of them alike.
for scen in fanout rooms idle storm; do
    has "$SCENARIOS" "$scen" || continue
    for server in kopa ws socketio; do
        has "$SERVERS" "$server" || continue
        say "$server: $scen"
        start_server "$server"
        read -r cpu0 rss0 _ <<<"$(proc_sample "$SERVER_PID")"
        rcpu0=0
        [ -n "$REDIS_PID" ] && read -r rcpu0 _ _ <<<"$(proc_sample "$REDIS_PID")"
        if [ "$PROFILE" = 1 ] && [ "$server" = kopa ] && [ "$scen" = fanout ]; then
            perf record -F 999 -g -p "$SERVER_PID" -o "$WORK/perf.data" \
                >"$WORK/perf.log" 2>&1 &
            PERF_PID=$!
        fi
        rc=0
        read -r -a extra <<<"$(scenario_args "$scen")"
        "$LOADGEN" --dialect "$DIALECT" --label "$server" --port "$SERVER_PORT" \
            --scenario "$scen" --secret-file "$SECRET" --csv "$CSV" \
            --server-pid "$SERVER_PID" --redis-pid "${REDIS_PID:-0}" \
            --max-seconds "$MAX_SECONDS" "${extra[@]}" || rc=$?
        read -r cpu1 rss1 hwm1 <<<"$(proc_sample "$SERVER_PID")"
        rcpu1=0
        [ -n "$REDIS_PID" ] && read -r rcpu1 _ _ <<<"$(proc_sample "$REDIS_PID")"
        echo "$server,$scen,$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN{printf "%.2f", b-a}'),$rss0,$rss1,$hwm1,$(awk -v a="$rcpu0" -v b="$rcpu1" 'BEGIN{printf "%.2f", b-a}'),$rc" >>"$PROC_CSV"
        if [ -n "$PERF_PID" ]; then
            kill -INT "$PERF_PID" 2>/dev/null || true
            wait "$PERF_PID" 2>/dev/null || true
            PERF_PID=""
            perf report -i "$WORK/perf.data" --stdio --no-children \
                --percent-limit 0.5 --sort symbol -g none \
                >"$OUT/profile-kopa-fanout.txt" 2>/dev/null || true
            say "profile: $OUT/profile-kopa-fanout.txt"
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            wait "$SERVER_PID" 2>/dev/null || true
            say "$server $scen: THE SERVER DIED during the run; log: $OUT/crash-$server-$scen.log"
            cp "$WORK/$server.log" "$OUT/crash-$server-$scen.log" || true
            sed -i "\$s/,$rc\$/,$rc server-died/" "$PROC_CSV"
            KEEP_WORK=1
            FAILED=1
            SERVER_PID=""
        fi
        [ "$rc" -eq 0 ] || run_failed "$server $scen: the load generator" "$rc" "$server"
        stop_servers
    done
done

if has "$SCENARIOS" audio; then
    if [ -x "$BENCH_AUDIO" ]; then
        say "audio (bench_audio)"
        if [ "$QUICK" = 1 ]; then "$BENCH_AUDIO" --smoke >"$OUT/audio.csv"
        else "$BENCH_AUDIO" >"$OUT/audio.csv"; fi
    else
        say "audio: bench_audio is not built yet; skipped"
        rm -f "$OUT/audio.csv"
    fi
fi
if has "$SCENARIOS" audio-net && has "$SERVERS" kopa; then
    # Audio through the server on loopback (Kopa only): rooms of 20 with 3
    # speaking at two sizes, then a workshop with 500 listening and 1 or 3
    # on the stage; a fresh Redis and Kopa for each.
    ANET_CSV=$OUT/audio_net.csv
    rm -f "$ANET_CSV"
    if [ "$QUICK" = 1 ]; then
        anet_runs=("--rooms 2 --listeners 0 --seconds 2 --warmup 1"
            "--rooms 0 --listeners 40 --stage 2 --seconds 2 --warmup 1")
    else
        anet_runs=("--rooms 10 --listeners 0" "--rooms 25 --listeners 0"
            "--rooms 0 --listeners 500 --stage 1"
            "--rooms 0 --listeners 500 --stage 3")
    fi
    for args in "${anet_runs[@]}"; do
        say "kopa: audio through the network ($args)"
        start_server kopa
        read -r -a extra <<<"$args"
        rc=0
        "$LOADGEN" --dialect kopa --label kopa --port "$SERVER_PORT" \
            --scenario audio --secret-file "$SECRET" --csv "$ANET_CSV" \
            --server-pid "$SERVER_PID" --max-seconds "$MAX_SECONDS" \
            "${extra[@]}" || rc=$?
        [ "$rc" -eq 0 ] || run_failed "audio-net: the load generator" "$rc" kopa
        stop_servers
    done
fi
if has "$SCENARIOS" pairing; then
    if [ -x "$BENCH_PAIRING" ]; then
        say "pairing (bench_pairing)"
        if [ "$QUICK" = 1 ]; then "$BENCH_PAIRING" --sizes 12 --runs 1 >"$OUT/pairing.csv"
        else "$BENCH_PAIRING" --sizes 30,200 >"$OUT/pairing.csv"; fi
    else
        say "pairing: bench_pairing is not built yet; skipped"
        rm -f "$OUT/pairing.csv"
    fi
fi
if has "$SCENARIOS" audio-latency; then
    if [ -x "$AUDIO_LATENCY" ]; then
        # Talkspurts through a fresh Kopa: what the server adds to audio
        # (shared mix in a room of three, forwarding in a room of two).
        say "kopa: audio latency (kopa_audio_latency)"
        bursts=30
        [ "$QUICK" = 1 ] && bursts=3
        start_server kopa
        rc=0
        "$AUDIO_LATENCY" --port "$SERVER_PORT" --secret-file "$SECRET" \
            --bursts "$bursts" --max-seconds 90 >"$OUT/audio_latency.csv" || rc=$?
        [ "$rc" -eq 0 ] || run_failed "audio latency: kopa_audio_latency" "$rc" kopa
        stop_servers
    else
        say "audio latency: kopa_audio_latency is not built yet; skipped"
        rm -f "$OUT/audio_latency.csv"
    fi
fi
ELAPSED=$(($(date +%s) - T0))

# What the machine was, for the report.
{
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') x $(nproc)"
    echo "memory: $(free -g | awk '/^Mem:/ {print $2}') GiB"
    echo "kernel: $(uname -sr)"
    # shellcheck disable=SC1091
    echo "os: $(. /etc/os-release && echo "$PRETTY_NAME")"
    echo "node: $(node --version 2>/dev/null || echo none)"
    echo "redis: $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/')"
    echo "lws: $(pkg-config --modversion libwebsockets)"
    echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "bench seconds: $ELAPSED"
    echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "commit: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || cat "$ROOT/.commit" 2>/dev/null || echo unknown)"
    echo "quick: $QUICK"
} >"$OUT/machine.txt"
say "raw results in $OUT (chat.csv, process.csv, audio_net.csv, machine.txt) after ${ELAPSED}s"

if [ "$REPORT" = 1 ]; then
    node "$ROOT/bench/report.mjs" --results "$OUT" --doc "$ROOT/docs/benchmarks.md"
fi
exit "$FAILED"
