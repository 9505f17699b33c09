#!/usr/bin/env bash
# check-config.sh EXAMPLE: checks nginx.conf.example with `nginx -t` in a
# temporary prefix (its paths rewritten by prepare-config.sh), and that it
# keeps what Kopa needs in front of it. Exits 77 (ctest's skip code) only
# when nginx is not installed.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
example=${1:-$here/../../nginx.conf.example}
nginx_bin=$(command -v nginx || true)
[ -z "$nginx_bin" ] && [ -x /usr/sbin/nginx ] && nginx_bin=/usr/sbin/nginx
if [ -z "$nginx_bin" ]; then
    echo "SKIP: nginx is not installed (apt-get install nginx-light, or run scripts/deps.sh)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bash "$here/prepare-config.sh" "$example" "$tmp"

fail=0
need() { # need REGEX WHAT: the example must contain a line matching REGEX
    if ! grep -Eq "$1" "$example"; then
        echo "FAIL: nginx.conf.example lacks $2"
        fail=1
    fi
}
need '^\s*hash \$session consistent;' 'consistent hashing on the session id'
need 'location ~ "\^/ws/\(\?<session>' 'the /ws/<session> location that captures $session'
need 'proxy_set_header Upgrade \$http_upgrade;' 'the Upgrade header'
need 'proxy_set_header Connection \$connection_upgrade;' 'the Connection header'
need 'proxy_http_version 1\.1;' 'HTTP/1.1 to the nodes'
need 'proxy_read_timeout +[0-9]+[hm];' 'a long read timeout'
need 'listen 443 ssl;' 'TLS'
need 'ssl_certificate ' 'a certificate'
need 'Content-Security-Policy' 'a CSP for the web client'
need '^\s*root ' 'the static web root'

out=$("$nginx_bin" -t -p "$tmp" -c "$tmp/conf/nginx.conf" -e "$tmp/logs/error.log" 2>&1) || {
    echo "$out"
    echo "FAIL: nginx -t refused nginx.conf.example"
    exit 1
}
echo "$out"
if ! grep -q 'test is successful' <<<"$out"; then
    echo "FAIL: nginx -t did not report success"
    fail=1
fi
if [ "$fail" -ne 0 ]; then
    exit 1
fi
echo "nginx_config: 1 passed, 0 failed"
