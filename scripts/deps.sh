#!/usr/bin/env bash
# deps.sh: installs what Kopa needs to build, run and test on Debian 12, and
# the Node test tools (npm ci). Idempotent and quick when everything is
# present: apt is touched only when a package is missing, npm only when
# package-lock.json changed. Called by scripts/run.sh and scripts/test.sh.
#
#   bash scripts/deps.sh            # as root (or with sudo available)
#   KOPA_SKIP_DEPS=1 ...            # run.sh / test.sh skip this script
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Build and run: compiler, CMake, the C libraries and the Redis server.
REQUIRED=(
    build-essential cmake pkg-config
    libwebsockets-dev libwebsockets-evlib-uv libuv1-dev libhiredis-dev
    libcjson-dev libopus-dev libopusenc-dev libssl-dev libcmocka-dev
    redis-server openssl curl procps
    chromium nginx-light
)
# Nice to have: clang for the libFuzzer build, opus-tools to inspect
# recordings. Their absence never fails this script.
OPTIONAL=(clang opus-tools)

log() { printf 'deps: %s\n' "$*"; }

# Prints the names among "$@" that dpkg does not list as installed.
missing_packages() {
    local installed
    installed=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "$@" 2>/dev/null |
        awk '$2 ~ /^ii/ { print $1 }' || true)
    local p
    for p in "$@"; do
        grep -qx "$p" <<<"$installed" || printf '%s\n' "$p"
    done
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        log "need root to run: $*"
        return 1
    fi
}

APT_UPDATED=0
apt_install() {
    # Keep package maintainer scripts from starting services (the Debian
    # redis-server and nginx packages start daemons on 6379 and 80); Kopa's
    # scripts never use them. Only when no policy is in place already.
    local policy=/usr/sbin/policy-rc.d made_policy=0 rc=0
    if [ ! -e "$policy" ]; then
        as_root sh -c "printf '#!/bin/sh\nexit 101\n' > $policy && chmod 755 $policy" && made_policy=1
    fi
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || rc=$?
        APT_UPDATED=1
    fi
    if [ "$rc" -eq 0 ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends "$@" || rc=$?
    fi
    if [ "$made_policy" -eq 1 ]; then
        as_root rm -f "$policy"
    fi
    return "$rc"
}

if ! command -v dpkg-query >/dev/null 2>&1; then
    log "this is not a Debian system; install the packages listed in README.md by hand"
else
    mapfile -t need < <(missing_packages "${REQUIRED[@]}")
    # Node.js and npm may come from Debian or another packaging of Node;
    # only install Debian's when the commands are missing (the two clash).
    command -v node >/dev/null 2>&1 || need+=(nodejs)
    command -v npm >/dev/null 2>&1 || need+=(npm)
    # Any nginx flavour will do for `nginx -t`.
    if command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ]; then
        kept=()
        for p in "${need[@]}"; do
            [ "$p" = nginx-light ] || kept+=("$p")
        done
        need=("${kept[@]}")
    fi
    mapfile -t want < <(missing_packages "${OPTIONAL[@]}")

    if [ "${#need[@]}" -gt 0 ]; then
        log "installing: ${need[*]}"
        apt_install "${need[@]}"
    fi
    if [ "${#want[@]}" -gt 0 ]; then
        log "installing optional: ${want[*]}"
        apt_install "${want[@]}" || log "optional packages not installed (${want[*]}); continuing"
    fi
    if [ "${#need[@]}" -eq 0 ] && [ "${#want[@]}" -eq 0 ]; then
        log "system packages present"
    fi
fi

# Node test tools. Never let a tool fetch a browser: tests use /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export PUPPETEER_SKIP_DOWNLOAD=1
stamp="$ROOT/node_modules/.kopa-lock.sha256"
want_hash=$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)
have_hash=$(cat "$stamp" 2>/dev/null || true)
if [ ! -d "$ROOT/node_modules" ] || [ "$want_hash" != "$have_hash" ]; then
    log "npm ci"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
    printf '%s\n' "$want_hash" >"$stamp"
else
    log "node_modules up to date"
fi
