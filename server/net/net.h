/* net: the libwebsockets adapter. HTTP (static web client, /healthz,
 * /metrics) and the WebSocket endpoint /ws/<session> with subprotocol
 * kopa.v1, on the server's libuv loop. Every lws callback case is one call
 * into server/app; nothing here knows JSON, Redis or the domain. */
#ifndef KOPA_NET_H
#define KOPA_NET_H

#include <stddef.h>
#include <uv.h>

#include "server/app/app.h"

typedef struct net_config {
    const char *host; /* interface address to listen on */
    int port;
    const char *web_root;  /* folder served at / */
    const char *origins;   /* comma-separated allowlist, or "" (same origin) */
    size_t max_message;    /* bytes; larger messages close with 1009 */
    unsigned keepalive_ms; /* ping a socket silent this long; close at 2x */
} net_config;

typedef struct net net;

/* Returns a new server listening on cfg->host:port on loop, feeding a
 * (borrowed; it must outlive the server); NULL when it cannot listen. cfg
 * is copied (its strings must outlive the server). */
net *net_new(uv_loop_t *loop, const net_config *cfg, app *a);

/* Starts closing every socket and the listener; call from a loop callback.
 * After uv_run() returns, call net_free(). */
void net_stop(net *n);
void net_free(net *n);

#endif
