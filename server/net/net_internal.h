/* Internals shared by server/net's files. */
#ifndef KOPA_NET_INTERNAL_H
#define KOPA_NET_INTERNAL_H

#include <libwebsockets.h>

#include "server/net/net.h"

struct net {
    uv_loop_t *loop;
    net_config cfg;
    app *app;
    struct lws_context *ctx;
};

/* Per HTTP connection: a small generated body waiting for WRITEABLE. */
typedef struct http_pss {
    char *body;
    size_t len;
} http_pss;

/* Per WebSocket: the app's connection and the message being reassembled. */
typedef struct ws_pss {
    conn *c;
    struct lws *wsi;
    char sid[65];
    int close_sent; /* our close frame is out; waiting for the peer's */
    char *rx;
    size_t rx_len, rx_cap;
    int rx_binary;
} ws_pss;

int net__http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                 void *in, size_t len);
/* Decides an HTTP upgrade request before any 101 is sent: the upgrade must
 * be websocket, offer kopa.v1, target /ws/<session> and come from an
 * allowed Origin. Returns 0 to accept, -1 to refuse. */
int net__ws_confirm(struct lws *wsi, net *n, const char *upgrade);
int net__ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
               void *in, size_t len);

#endif
