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
smoke_stack latency-smoke

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
