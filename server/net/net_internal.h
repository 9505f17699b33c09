/* Internals shared by server/net's files. */
#ifndef KOPA_NET_INTERNAL_H
#define KOPA_NET_INTERNAL_H

#include <libwebsockets.h>
#include <stdint.h>

#include "server/net/net.h"

typedef struct ws_pss ws_pss;

struct net {
    uv_loop_t *loop;
    net_config cfg;
    app *app;
    struct lws_context *ctx;
    ws_pss *sockets;      /* every open WebSocket, for the keepalive */
    uv_timer_t keepalive; /* ws.c: pings idle sockets, hangs up dead ones */
};

/* Per HTTP connection: a small generated body waiting for WRITEABLE. */
typedef struct http_pss {
    char *body;
    size_t len;
} http_pss;

/* Per WebSocket (lws allocates it for as long as the socket is open): the
 * app's connection, the message being reassembled and the keepalive. */
struct ws_pss {
    conn *c;
    struct lws *wsi;
    ws_pss *prev, *next; /* net's list of sockets */
    char *rx;
    uint32_t rx_len, rx_cap;
    uint64_t last_rx_ms;     /* the loop's clock when the peer last sent */
    unsigned close_sent : 1; /* our close frame is out; waiting for the peer */
    unsigned rx_binary : 1;
    unsigned ping_due : 1;  /* a ping goes before the next frame */
    unsigned ping_sent : 1; /* sent; the peer has not answered yet */
    unsigned hangup : 1;    /* silent too long: drop at the next WRITEABLE */
    /* At least the bytes waiting unsent in the socket: what the kernel said
     * when last asked plus what was written since (ws.c unsent_full()). */
    unsigned unsent_bound : 16;
    char sid[65];
};

int net__http_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
                 void *in, size_t len);
/* Decides an HTTP upgrade request before any 101 is sent: the upgrade must
 * be websocket, offer kopa.v1, target /ws/<session> and come from an
 * allowed Origin. Returns 0 to accept, -1 to refuse. */
int net__ws_confirm(struct lws *wsi, net *n, const char *upgrade);
int net__ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
               void *in, size_t len);
/* Starts / stops the keepalive timer. lws's own (retry_and_idle_policy)
 * is not used: it keeps one timer per socket in a sorted list that every
 * insertion walks, which made connecting cost about a millisecond of CPU
 * per socket at 10,000 sockets. */
void net__keepalive_start(net *n);
void net__keepalive_stop(net *n);

#endif
