/* metrics: the bodies of GET /healthz (JSON) and GET /metrics (Prometheus
 * text format). Served by server/net's HTTP callback. */
#include "server/app/app_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = (b->cap + (size_t)n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        if (b->p == NULL)
            abort();
    }
}

static const char *redis_state(const app *a)
{
    switch (redis_client_get_state(a->store)) {
    case REDIS_CLIENT_CONNECTED:
        return "connected";
    case REDIS_CLIENT_CONNECTING:
        return "connecting";
    default:
        return "disconnected";
    }
}

char *app_render_health(app *a, size_t *len, int *http_status)
{
    sbuf b = {malloc(256), 0, 256};
    if (b.p == NULL)
        abort();
    int ok = redis_client_get_state(a->store) == REDIS_CLIENT_CONNECTED;
    sb_printf(&b,
              "{\"status\":\"%s\",\"redis\":\"%s\",\"sessions\":%zu,"
              "\"connections\":%zu,\"queue\":%zu,\"node\":\"%s\"}\n",
              ok ? "ok" : "degraded", redis_state(a), a->nsessions, a->nconns,
              redis_client_queue_depth(a->store), a->cfg.node_id);
    *http_status = ok ? 200 : 503;
    *len = b.len;
    return b.p;
}

static void counter(sbuf *b, const char *name, const char *help,
                    const char *type, unsigned long long v)
{
    sb_printf(b, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name,
              type, name, v);
}

char *app_render_metrics(app *a, size_t *len)
{
    sbuf b = {malloc(4096), 0, 4096};
    if (b.p == NULL)
        abort();
    const app_metrics *m = &a->m;
    redis_client_stats rs = redis_client_get_stats(a->store);
    counter(&b, "kopa_connections", "Open WebSocket connections.", "gauge",
            a->nconns);
    counter(&b, "kopa_connections_total", "WebSocket connections accepted.",
            "counter", m->connections_total);
    counter(&b, "kopa_sessions", "Sessions loaded on this node.", "gauge",
            a->nsessions);
    counter(&b, "kopa_frames_in_total", "WebSocket messages received.",
            "counter", m->frames_in);
    counter(&b, "kopa_frames_out_total", "WebSocket frames sent.", "counter",
            m->frames_out);
    counter(&b, "kopa_bytes_out_total", "WebSocket payload bytes sent.",
            "counter", m->bytes_out);
    counter(&b, "kopa_redis_queue_depth", "Redis writes not yet answered.",
            "gauge", redis_client_queue_depth(a->store));
    counter(&b, "kopa_redis_connected", "1 when Redis is connected.", "gauge",
            redis_client_get_state(a->store) == REDIS_CLIENT_CONNECTED);
    counter(&b, "kopa_redis_reconnects_total", "Redis reconnection attempts.",
            "counter", rs.reconnects);
    counter(&b, "kopa_redis_timeouts_total", "Redis command timeouts.",
            "counter", rs.timeouts);
    counter(&b, "kopa_messages_stored_total", "Chat messages stored.",
            "counter", m->messages_stored);
    counter(&b, "kopa_origin_refused_total", "Handshakes refused for Origin.",
            "counter", m->origin_refused);
    sb_printf(&b, "# HELP kopa_errors_total Error replies by code.\n"
                  "# TYPE kopa_errors_total counter\n");
    for (int e = 1; e < PROTO_ERROR_COUNT; e++)
        sb_printf(&b, "kopa_errors_total{code=\"%s\"} %llu\n",
                  proto_error_code((proto_error)e),
                  (unsigned long long)m->errors[e]);
    sb_printf(&b, "# HELP kopa_closes_total Connections closed by code.\n"
                  "# TYPE kopa_closes_total counter\n");
    const struct {
        int code;
        uint64_t v;
    } closes[] = {{1007, m->closes_1007}, {1008, m->closes_1008},
                  {1009, m->closes_1009}, {4001, m->closes_4001},
                  {4003, m->closes_4003}, {4008, m->closes_4008}};
    for (size_t i = 0; i < sizeof(closes) / sizeof(closes[0]); i++)
        sb_printf(&b, "kopa_closes_total{code=\"%d\"} %llu\n", closes[i].code,
                  (unsigned long long)closes[i].v);
    size_t alen;
    char *audio = app__audio_metrics(a, &alen);
    sb_printf(&b, "%s", audio);
    free(audio);
    *len = b.len;
    return b.p;
}
