/* ws: the /ws/<session> WebSocket endpoint. Checks the Origin and the path
 * at the handshake, reassembles fragmented messages with a size cap,
 * writes the app's queued frames (at once when it can, else one per
 * WRITEABLE callback), and keeps idle sockets honest (a ping after 30 s of
 * silence, hang up after 60 s). */
#include "server/net/net_internal.h"

#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#define WS_PREFIX "/ws/"

static int valid_sid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return 0;
    }
    return 1;
}

/* Whether origin is in the comma-separated list. */
static int listed(const char *list, const char *origin)
{
    size_t n = strlen(origin);
    for (const char *p = list; *p;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        if (len == n && strncmp(p, origin, n) == 0)
            return 1;
        p += len + (comma != NULL);
    }
    return 0;
}

static int origin_allowed(struct lws *wsi, const net *n)
{
    char origin[256], host[256];
    if (lws_hdr_total_length(wsi, WSI_TOKEN_ORIGIN) <= 0)
        return 1; /* not a browser: the token decides */
    if (lws_hdr_copy(wsi, origin, sizeof(origin), WSI_TOKEN_ORIGIN) < 0)
        return 0;
    if (n->cfg.origins[0])
        return listed(n->cfg.origins, origin);
    if (lws_hdr_copy(wsi, host, sizeof(host), WSI_TOKEN_HOST) <= 0)
        return 0;
    const char *sep = strstr(origin, "://");
    return sep && strcmp(sep + 3, host) == 0 &&
           (strncmp(origin, "http://", 7) == 0 ||
            strncmp(origin, "https://", 8) == 0);
}

/* Whether the comma-separated subprotocol list offers kopa.v1. */
static int offers_kopa(struct lws *wsi)
{
    char list[256];
    if (lws_hdr_copy(wsi, list, sizeof(list), WSI_TOKEN_PROTOCOL) <= 0)
        return 0;
    for (char *tok = strtok(list, ", "); tok; tok = strtok(NULL, ", "))
        if (strcmp(tok, "kopa.v1") == 0)
            return 1;
    return 0;
}

int net__ws_confirm(struct lws *wsi, net *n, const char *upgrade)
{
    char uri[128];
    if (strcasecmp(upgrade, "websocket") != 0 || !offers_kopa(wsi) ||
        lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0 ||
        strncmp(uri, WS_PREFIX, strlen(WS_PREFIX)) != 0 ||
        !valid_sid(uri + strlen(WS_PREFIX)))
        return -1;
    if (!origin_allowed(wsi, n)) {
        app_count_origin_refused(n->app);
        return -1;
    }
    return 0;
}

/* Keeps the session id while the headers are still there. */
static int filter(struct lws *wsi, net *n, ws_pss *pss)
{
    char uri[128];
    if (net__ws_confirm(wsi, n, "websocket") != 0 ||
        lws_hdr_copy(wsi, uri, sizeof(uri), WSI_TOKEN_GET_URI) <= 0)
        return 1;
    snprintf(pss->sid, sizeof(pss->sid), "%.64s", uri + strlen(WS_PREFIX));
    return 0;
}

/* Sends the close frame and hangs up. lws's own close handshake is not
 * used: Debian's lws 4.1.6 is a debug build whose libuv path closes a
 * socket twice ("uv repeat test"), and the second close kills it before
 * the close frame leaves. Opcode 4 is lws's internal LWS_WRITE_CLOSE. */
#define WRITE_CLOSE ((enum lws_write_protocol)4)
static int close_with(struct lws *wsi, ws_pss *pss, int code,
                      const char *reason)
{
    unsigned char buf[LWS_PRE + 125];
    unsigned char *p = buf + LWS_PRE;
    size_t n = strlen(reason);
    if (n > 123)
        n = 123;
    p[0] = (unsigned char)(code >> 8);
    p[1] = (unsigned char)(code & 0xff);
    memcpy(p + 2, reason, n);
    if (lws_write(wsi, p, n + 2, WRITE_CLOSE) < 0)
        return -1;
    /* Keep reading until the peer answers (lws then hangs up), so unread
     * input never turns the close into a reset; give up after 5 s. */
    pss->close_sent = 1;
    lws_set_timeout(wsi, PENDING_TIMEOUT_CLOSE_ACK, 5);
    return 0;
}

/* The peer is alive: it sent something. */
static void heard(net *n, ws_pss *pss)
{
    pss->last_rx_ms = uv_now(n->loop);
    pss->ping_due = pss->ping_sent = 0;
}

/* Every scan (a sixth of the keepalive, at most 5 s): pings sockets silent
 * for cfg.keepalive_ms and drops those silent for twice that. A walk over the
 * sockets costs a few nanoseconds each; lws's per-socket validity timers cost a
 * walk of a sorted list per ping (net_internal.h). */
static void keepalive_cb(uv_timer_t *t)
{
    net *n = t->data;
    uint64_t now = uv_now(n->loop);
    uint64_t ping_after = n->cfg.keepalive_ms, hangup_after = 2 * ping_after;
    for (ws_pss *p = n->sockets; p; p = p->next) {
        uint64_t quiet = now - p->last_rx_ms;
        if (p->close_sent || p->hangup)
            continue;
        if (quiet >= hangup_after)
            p->hangup = 1;
        else if (quiet >= ping_after && !p->ping_sent)
            p->ping_due = 1;
        else
            continue;
        lws_callback_on_writable(p->wsi);
    }
}

void net__keepalive_start(net *n)
{
    uv_timer_init(n->loop, &n->keepalive);
    n->keepalive.data = n;
    if (n->cfg.keepalive_ms == 0)
        n->cfg.keepalive_ms = 30000;
    uint64_t scan = n->cfg.keepalive_ms / 6;
    if (scan > 5000)
        scan = 5000;
    uv_timer_start(&n->keepalive, keepalive_cb, scan, scan);
    uv_unref((uv_handle_t *)&n->keepalive);
}

void net__keepalive_stop(net *n)
{
    if (uv_is_closing((uv_handle_t *)&n->keepalive))
        return;
    uv_timer_stop(&n->keepalive);
    uv_close((uv_handle_t *)&n->keepalive, NULL);
}

static void track(net *n, ws_pss *pss, struct lws *wsi)
{
    pss->wsi = wsi;
    pss->prev = NULL;
    pss->next = n->sockets;
    if (n->sockets)
        n->sockets->prev = pss;
    n->sockets = pss;
    heard(n, pss);
}

static void untrack(net *n, ws_pss *pss)
{
    if (pss->wsi == NULL)
        return;
    if (pss->prev)
        pss->prev->next = pss->next;
    else
        n->sockets = pss->next;
    if (pss->next)
        pss->next->prev = pss->prev;
    pss->wsi = NULL;
}

static int receive(struct lws *wsi, net *n, ws_pss *pss, const char *in,
                   size_t len)
{
    heard(n, pss);
    if (pss->close_sent)
        return 0;
    if (lws_is_first_fragment(wsi)) {
        pss->rx_len = 0;
        pss->rx_binary = lws_frame_is_binary(wsi);
    }
    if (pss->rx_len + len > n->cfg.max_message) {
        conn_protocol_violation(pss->c, 1009);
        return close_with(wsi, pss, 1009, "message too big");
    }
    if (pss->rx_len + len > pss->rx_cap) {
        uint32_t cap = pss->rx_cap ? pss->rx_cap : 256;
        while (cap < pss->rx_len + len)
            cap *= 2;
        pss->rx = realloc(pss->rx, cap);
        if (pss->rx == NULL)
            abort();
        pss->rx_cap = cap;
    }
    if (len > 0) { /* an empty frame leaves rx NULL: no memcpy from it */
        memcpy(pss->rx + pss->rx_len, in, len);
        pss->rx_len += (uint32_t)len; /* at most max_message */
    }
    if (lws_is_final_fragment(wsi)) {
        conn_receive(pss->c, pss->rx_binary, pss->rx ? pss->rx : "",
                     pss->rx_len);
        /* An idle connection keeps no receive buffer. */
        free(pss->rx);
        pss->rx = NULL;
        pss->rx_cap = pss->rx_len = 0;
    }
    return 0;
}

/* A WebSocket ping; one write, like a frame. It carries a payload because
 * lws 4.1 does not report an empty pong (LWS_CALLBACK_RECEIVE_PONG). */
static int ping(struct lws *wsi, ws_pss *pss)
{
    unsigned char buf[LWS_PRE + 4];
    memcpy(buf + LWS_PRE, "kopa", 4);
    pss->ping_due = 0;
    pss->ping_sent = 1;
    if (lws_write(wsi, buf + LWS_PRE, 4, LWS_WRITE_PING) < 0)
        return -1;
    if (conn_wants_write(pss->c))
        lws_callback_on_writable(wsi);
    return 0;
}

/* Audio is dropped in the app, oldest first, once 200 ms wait there; the
 * kernel must not hold much more. A socket tells lws it is writable only
 * while fewer than UNSENT_MAX bytes wait unsent in it (TCP_NOTSENT_LOWAT),
 * about 200 ms of a mix; a direct write of audio checks the same. Ordered
 * data written directly is not held back; a backlog's callbacks wait for
 * the same condition, and each then writes up to 64 KiB. */
#define UNSENT_MAX 1024

static void limit_unsent(struct lws *wsi)
{
    int v = UNSENT_MAX;
    setsockopt(lws_get_socket_fd(wsi), IPPROTO_TCP, TCP_NOTSENT_LOWAT, &v,
               sizeof(v));
}

/* Whether the socket's unsent bytes keep audio in the app for now. The
 * kernel is asked only when the bytes written since it was last asked
 * could have taken it to the limit: unsent bytes only shrink by
 * themselves, so most audio frames cost no system call here. */
static int unsent_full(struct lws *wsi, ws_pss *pss)
{
    int n = 0;
    if (pss->unsent_bound < UNSENT_MAX)
        return 0;
    if (ioctl(lws_get_socket_fd(wsi), SIOCOUTQNSD, &n) != 0)
        return 0;
    pss->unsent_bound = n < UNSENT_MAX ? (unsigned)n : UNSENT_MAX;
    return n >= UNSENT_MAX;
}

/* Counts len more bytes written towards unsent_bound. */
static void wrote(ws_pss *pss, size_t len)
{
    size_t b = pss->unsent_bound + len;
    pss->unsent_bound = b < UNSENT_MAX ? (unsigned)b : UNSENT_MAX;
}

/* Writes the next queued frame: 1 when one left (or lws buffered what the
 * socket did not take), 0 when the queue is empty (*code is then non-zero
 * if the connection is to be closed), -1 when the socket failed. */
static int write_next(struct lws *wsi, ws_pss *pss, int *code,
                      const char **reason)
{
    char *buf;
    size_t len;
    int binary;
    if (!conn_next_frame(pss->c, LWS_PRE, &buf, &len, &binary, code, reason))
        return 0;
    int w = lws_write(wsi, (unsigned char *)buf + LWS_PRE, len,
                      binary ? LWS_WRITE_BINARY : LWS_WRITE_TEXT);
    free(buf);
    wrote(pss, len + 4); /* with the frame header */
    return w < (int)len ? -1 : 1;
}

static int writeable(struct lws *wsi, ws_pss *pss)
{
    int code;
    const char *reason;
    if (pss->hangup)
        return -1; /* lws closes the socket; CLOSED follows */
    if (pss->close_sent)
        return 0;
    if (pss->ping_due)
        return ping(wsi, pss);
    int r = write_next(wsi, pss, &code, &reason);
    if (r < 0)
        return -1;
    if (r == 0)
        return code ? close_with(wsi, pss, code, reason) : 0;
    if (conn_wants_write(pss->c))
        lws_callback_on_writable(wsi);
    return 0;
}

/* The app has frames for this socket. They are written at once, without
 * waiting for a WRITEABLE callback: with lws's libuv backend each callback
 * costs a POLLOUT round trip (four epoll_ctl), more than the send itself.
 * lws_write() outside the callback is safe while lws holds no unsent bytes
 * of an earlier frame (lws_partial_buffered()): a frame the socket cannot
 * take whole is kept by lws and finished first when the socket drains, and
 * lws's own pongs go out only from its POLLOUT handler, after those bytes.
 * Pings, close frames and anything past DIRECT_FRAMES wait for the
 * callback; a failed socket is hung up from there. */
#define DIRECT_FRAMES 4

static void want_write(void *handle)
{
    struct lws *wsi = handle;
    ws_pss *pss = lws_wsi_user(wsi);
    int code = 0;
    const char *reason;
    if (pss->c == NULL) { /* from inside conn_open(): write from the callback */
        lws_callback_on_writable(wsi);
        return;
    }
    for (int i = 0; i < DIRECT_FRAMES; i++) {
        if (pss->close_sent || pss->hangup || pss->ping_due ||
            lws_partial_buffered(wsi) ||
            (conn_has_audio(pss->c) && unsent_full(wsi, pss)))
            break;
        int r = write_next(wsi, pss, &code, &reason);
        if (r < 0)
            pss->hangup = 1;
        if (r <= 0)
            break;
    }
    if (pss->hangup || code || conn_wants_write(pss->c))
        lws_callback_on_writable(wsi);
}

static const transport_ops ops = {.want_write = want_write};

int net__ws_cb(struct lws *wsi, enum lws_callback_reasons reason, void *user,
               void *in, size_t len)
{
    ws_pss *pss = user;
    net *n = lws_context_user(lws_get_context(wsi));
    switch (reason) {
    case LWS_CALLBACK_FILTER_PROTOCOL_CONNECTION:
        return filter(wsi, n, pss);
    case LWS_CALLBACK_ESTABLISHED:
        track(n, pss, wsi);
        limit_unsent(wsi);
        pss->c = conn_open(n->app, &ops, wsi, pss->sid);
        return 0;
    case LWS_CALLBACK_RECEIVE:
        return pss->c ? receive(wsi, n, pss, in, len) : -1;
    case LWS_CALLBACK_RECEIVE_PONG:
        heard(n, pss);
        return 0;
    case LWS_CALLBACK_SERVER_WRITEABLE:
        return pss->c ? writeable(wsi, pss) : 0;
    case LWS_CALLBACK_CLOSED:
        if (pss->c)
            conn_closed(pss->c);
        pss->c = NULL;
        untrack(n, pss);
        free(pss->rx);
        pss->rx = NULL;
        return 0;
    default:
        return 0;
    }
}
