#!/usr/bin/env bash
# run.sh: README command 1. Installs what is missing, builds Kopa (Release)
# into build/, starts a private Redis (AOF under ./var/redis) unless
# KOPA_REDIS names one, makes ./var/secret unless a secret is configured,
# starts the server, and prints the URL and three demo join links. Ctrl-C
# (or SIGTERM) stops the server and the private Redis.
#
#   bash scripts/run.sh
#   KOPA_PORT=9000 KOPA_REDIS=10.0.0.5:6379 KOPA_SECRET_FILE=/etc/kopa/secret bash scripts/run.sh
#
# Every KOPA_* variable of the server (README.md, "Configuration") passes
# through. KOPA_SKIP_DEPS=1 skips the package check, KOPA_BIN=path runs that
# binary instead of building one, KOPA_VAR_DIR moves ./var (the test of this
# script uses all three).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${KOPA_BUILD_DIR:-$ROOT/build}
VAR=${KOPA_VAR_DIR:-$ROOT/var}
cd "$ROOT"

say() { printf 'kopa: %s\n' "$*"; }

if [ "${KOPA_SKIP_DEPS:-0}" != 1 ]; then
    bash "$ROOT/scripts/deps.sh"
fi

if [ -n "${KOPA_BIN:-}" ]; then
    KOPA=$KOPA_BIN
else
    say "building (Release) in $BUILD"
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DKOPA_WERROR=OFF -DKOPA_SANITIZE=OFF >/dev/null
    cmake --build "$BUILD" --target kopa -j"$(nproc)"
    KOPA=$BUILD/server/kopa
fi

# Prints port $1 if 127.0.0.1:$1 can be bound now, else a free port.
pick_port() {
    node -e '
        const net = require("net");
        const want = Number(process.argv[1]);
        const probe = (p) => {
            const s = net.createServer();
            s.once("error", () => probe(0));
            s.listen(p, "127.0.0.1", () => { const got = s.address().port; s.close(() => console.log(got)); });
        };
        probe(want);' "$1"
}

REDIS_PID=""
KOPA_PID=""
# shellcheck disable=SC2317  # called by the traps
stop_all() {
    trap - INT TERM EXIT
    if [ -n "$KOPA_PID" ] && kill -0 "$KOPA_PID" 2>/dev/null; then
        say "stopping the server (pid $KOPA_PID)"
        kill -TERM "$KOPA_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$KOPA_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$KOPA_PID" 2>/dev/null || true
    fi
    if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
        say "stopping Redis (pid $REDIS_PID)"
        kill -TERM "$REDIS_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$REDIS_PID" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$REDIS_PID" 2>/dev/null || true
    fi
    rm -f "$VAR/redis.pid" "$VAR/kopa.pid"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

mkdir -p "$VAR"
chmod 700 "$VAR"

# Redis: the configured one, or a private one with AOF under var/redis.
if [ -z "${KOPA_REDIS:-}" ]; then
    mkdir -p "$VAR/redis"
    if [ -f "$VAR/redis.pid" ] && kill -0 "$(cat "$VAR/redis.pid")" 2>/dev/null; then
        say "a Redis from an earlier run.sh is still running (pid $(cat "$VAR/redis.pid")); stopping it"
        kill -TERM "$(cat "$VAR/redis.pid")" || true
        sleep 1
    fi
    redis_port=$(pick_port 6390)
    redis-server --port "$redis_port" --bind 127.0.0.1 --appendonly yes --appendfsync everysec \
        --dir "$VAR/redis" --daemonize no --save '' --logfile "$VAR/redis/redis.log" &
    REDIS_PID=$!
    echo "$REDIS_PID" >"$VAR/redis.pid"
    for _ in $(seq 1 100); do
        if redis-cli -p "$redis_port" ping 2>/dev/null | grep -q PONG; then break; fi
        kill -0 "$REDIS_PID" 2>/dev/null || { say "redis-server failed; see $VAR/redis/redis.log"; exit 1; }
        sleep 0.1
    done
    export KOPA_REDIS=127.0.0.1:$redis_port
    say "private Redis on $KOPA_REDIS (pid $REDIS_PID, AOF in $VAR/redis)"
else
    say "using Redis at $KOPA_REDIS"
fi

# The token secret: the configured one, or var/secret (made once).
if [ -z "${KOPA_SECRET:-}" ] && [ -z "${KOPA_SECRET_FILE:-}" ]; then
    if [ ! -s "$VAR/secret" ]; then
        (umask 077 && head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$VAR/secret")
        say "made a new token secret in $VAR/secret"
    fi
    export KOPA_SECRET_FILE=$VAR/secret
fi

host=${KOPA_HOST:-127.0.0.1}
if [ -z "${KOPA_PORT:-}" ]; then
    KOPA_PORT=$(pick_port 8080)
    [ "$KOPA_PORT" = 8080 ] || say "port 8080 is taken; using $KOPA_PORT"
fi
export KOPA_HOST=$host KOPA_PORT

"$KOPA" serve &
KOPA_PID=$!
echo "$KOPA_PID" >"$VAR/kopa.pid"

public_host=$host
case "$host" in 0.0.0.0 | '::' | '[::]') public_host=127.0.0.1 ;; esac
url=${KOPA_PUBLIC_URL:-http://$public_host:$KOPA_PORT}
ready=0
for _ in $(seq 1 200); do
    if ! kill -0 "$KOPA_PID" 2>/dev/null; then
        say "the server exited at start"
        exit 1
    fi
    if curl -fsS "http://$public_host:$KOPA_PORT/healthz" 2>/dev/null | grep -q '"redis":"connected"'; then
        ready=1
        break
    fi
    sleep 0.1
done
[ "$ready" = 1 ] || say "warning: /healthz does not report Redis connected yet"

link() { # link SUB NAME ROLE COUNTRY LANGS: prints a join link for session demo
    local from_file=()
    [ -z "${KOPA_SECRET:-}" ] && from_file=(--secret-file "$KOPA_SECRET_FILE")
    "$KOPA" token "${from_file[@]}" --sub "$1" --name "$2" --role "$3" --country "$4" \
        --langs "$5" --session demo --url "$url" | sed -n 2p
}
cat <<EOF

  Kopa is running: $url   (health: $url/healthz)

  Demo session "demo", one link per person (valid for a day):
    Ilze, coordinator (LV):     $(link ilze Ilze coordinator LV lv,en)
    Mikael, expert (SE):        $(link mikael Mikael expert SE sv,en)
    Rasa, entrepreneur (LT):    $(link rasa Rasa entrepreneur LT lt,en)

  More links: $KOPA token --help   (with --secret-file ${KOPA_SECRET_FILE:-<your secret file>})
  Stop with Ctrl-C.

EOF

set +e
wait "$KOPA_PID"
status=$?
set -e
say "the server exited with status $status"
exit "$status"
