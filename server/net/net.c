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

/* Ping an idle WebSocket after 30 s; hang up after 60 s without a pong. */
static const lws_retry_bo_t idle_policy = {
    .secs_since_valid_ping = 30,
    .secs_since_valid_hangup = 60,
};

static struct lws_protocols protocols[] = {
    {"http", net__http_cb, sizeof(http_pss), 0, 0, NULL, 0},
    {"kopa.v1", net__ws_cb, sizeof(ws_pss), 512, 0, NULL, 0},
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
    info.retry_and_idle_policy = &idle_policy;
    info.timeout_secs = 20;
    info.max_http_header_pool = 256;
    n->ctx = lws_create_context(&info);
    if (n->ctx == NULL) {
        free(n);
        return NULL;
    }
    return n;
}

void net_stop(net *n)
{
    lws_context_destroy(n->ctx);
}

void net_free(net *n)
{
    if (n == NULL)
        return;
    lws_context_destroy(n->ctx);
    free(n);
}
