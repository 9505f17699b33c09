# shellcheck shell=bash
# procs.sh: process helpers shared by the bench scripts (run.sh, ab.sh,
# smoke.sh); sourced, not run.

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
