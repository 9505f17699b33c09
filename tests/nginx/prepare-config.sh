#!/usr/bin/env bash
# prepare-config.sh EXAMPLE PREFIX: writes PREFIX/conf/nginx.conf, a copy of
# nginx.conf.example whose certificate, web root, log, pid and temp paths
# point into PREFIX (with a fresh self-signed certificate), so that
# `nginx -t -p PREFIX -c PREFIX/conf/nginx.conf` can check it anywhere.
# Used by check-config.sh and proxy-check.mjs.
set -euo pipefail
example=$1
prefix=$2
mkdir -p "$prefix/conf" "$prefix/logs" "$prefix/www" "$prefix/tmp"
chmod 755 "$prefix" # nginx workers (www-data) must read the web root
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=kopa.example.org" \
    -keyout "$prefix/key.pem" -out "$prefix/cert.pem" >/dev/null 2>&1
temp_paths="client_body_temp_path $prefix/tmp/body; proxy_temp_path $prefix/tmp/proxy; fastcgi_temp_path $prefix/tmp/fastcgi; uwsgi_temp_path $prefix/tmp/uwsgi; scgi_temp_path $prefix/tmp/scgi;"
user_line='s#^user www-data;#user www-data;#'
if ! id www-data >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
    user_line='s#^user www-data;#\# (user www-data; left out for the test)#'
fi
sed -e "s#/etc/letsencrypt/live/kopa.example.org/fullchain.pem#$prefix/cert.pem#" \
    -e "s#/etc/letsencrypt/live/kopa.example.org/privkey.pem#$prefix/key.pem#" \
    -e "s#/srv/kopa/web-client#$prefix/www#" \
    -e "s#/var/log/nginx/#$prefix/logs/#g" \
    -e "s#^pid /run/nginx.pid;#pid $prefix/nginx.pid;#" \
    -e "s#^http {#http {\n    $temp_paths#" \
    -e "$user_line" \
    "$example" >"$prefix/conf/nginx.conf"
