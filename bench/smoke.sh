#!/usr/bin/env bash
# smoke.sh: the bench_smoke test. Starts a private redis-server and the
# real kopa on free loopback ports, then runs kopa_loadgen with tiny sizes
# for a few seconds: fan-out, many rooms, idle, the reconnect storm and
# audio (a room and a small workshop), each with --check (chats delivered,
# none lost, no errors, every dropped member resumed; audio frames reached
# every member who should hear one). No timings are asserted. Stops both
# processes by pid.
#
#   bench/smoke.sh KOPA_BIN LOADGEN_BIN
set -euo pipefail
# shellcheck source=bench/procs.sh
. "$(dirname "${BASH_SOURCE[0]}")/procs.sh"

KOPA=$1
LOADGEN=$2
ulimit -n "$(ulimit -Hn)"
smoke_stack bench-smoke --rate 100000 --burst 100000

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
# Audio through the server: a room of 5 with 2 speaking, then a workshop
# with its host and one more on the stage and 5 listening.
run --scenario audio --rooms 1 --members 5 --speakers 2 --listeners 5 \
    --stage 2 --seconds 1 --warmup 0.5 --csv "$WORK/audio_net.csv"
rows=$(($(wc -l <"$WORK/smoke.csv") - 1))
[ "$rows" -eq 4 ] || { echo "smoke: expected 4 result rows, got $rows" >&2; exit 1; }
arows=$(($(wc -l <"$WORK/audio_net.csv") - 1))
[ "$arows" -eq 2 ] || { echo "smoke: expected 2 audio rows, got $arows" >&2; exit 1; }
echo "smoke: 4 chat measurements, nothing lost; 2 audio measurements, frames heard"
