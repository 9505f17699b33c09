/* net: creates the lws context on the server's libuv loop (a foreign
 * loop), with one vhost: the HTTP protocol and the kopa.v1 WebSocket
 * protocol, and the security headers sent on every HTTP reply. */
#include "server/net/net_internal.h"

#include <stdlib.h>
#include <string.h>

static const struct lws_protocol_vhost_options hdr_referrer = {
    NULL, NULL, "referrer-policy:", "no-referrer"};
static const struct lws_protocol_vhost_options hdr_frame = {
    &hdr_referrer, NULL, "x-frame-options:", "DENY"};
static const struct lws_protocol_vhost_options hdr_nosniff = {
    &hdr_frame, NULL, "x-content-type-options:", "nosniff"};
static const struct lws_protocol_vhost_options hdr_cache = {
    &hdr_nosniff, NULL, "cache-control:", "no-cache"};
static const struct lws_protocol_vhost_options hdr_csp = {
    &hdr_cache, NULL, "content-security-policy:",
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; connect-src 'self' ws: wss:; "
    "media-src 'self' blob:; worker-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"};

/* No lws validity timers (no pings, no idle hang-up from lws): ws.c's
 * keepalive does that with one timer for all sockets (net_internal.h). */
static const lws_retry_bo_t no_idle_policy = {
    .secs_since_valid_ping = 0,
    .secs_since_valid_hangup = 0,
};

/* kopa.v1's buffer sizes. lws keeps a receive buffer of WS_RX_BUFFER bytes
 * for every connection as long as it is open; messages longer than that
 * arrive in pieces, which ws.c reassembles, so a small one only costs an
 * extra callback for a long message. lws also cuts every write into
 * pieces of at most tx_packet_size bytes (of rx_buffer_size when that is
 * 0), each piece after the first waiting for another POLLOUT cycle: so
 * WS_TX_PACKET is as large as the largest coalesced frame (max_batch in
 * main.c) plus its header, and one frame leaves in one send(). */
#define WS_RX_BUFFER 128
#define WS_TX_PACKET 65536

static struct lws_protocols protocols[] = {
    {"http", net__http_cb, sizeof(http_pss), 0, 0, NULL, 0},
    {"kopa.v1", net__ws_cb, sizeof(ws_pss), WS_RX_BUFFER, 0, NULL,
     WS_TX_PACKET},
    {NULL, NULL, 0, 0, 0, NULL, 0},
};

net *net_new(uv_loop_t *loop, const net_config *cfg, app *a)
{
    net *n = calloc(1, sizeof(*n));
    if (n == NULL)
        abort();
    n->loop = loop;
    n->cfg = *cfg;
    n->app = a;
    void *foreign[1] = {loop};
    struct lws_context_creation_info info;
    memset(&info, 0, sizeof(info));
    info.port = cfg->port;
    info.iface = cfg->host;
    info.protocols = protocols;
    info.headers = &hdr_csp;
    info.user = n;
    info.foreign_loops = foreign;
    info.options = LWS_SERVER_OPTION_LIBUV | LWS_SERVER_OPTION_VALIDATE_UTF8;
    info.server_string = "kopa";
    info.retry_and_idle_policy = &no_idle_policy;
    info.timeout_secs = 20;
    info.max_http_header_pool = 256;
    n->ctx = lws_create_context(&info);
    if (n->ctx == NULL) {
        free(n);
        return NULL;
    }
    net__keepalive_start(n);
    return n;
}

void net_stop(net *n)
{
    net__keepalive_stop(n);
    lws_context_destroy(n->ctx);
}

void net_free(net *n)
{
    if (n == NULL)
        return;
    lws_context_destroy(n->ctx);
    free(n);
}
