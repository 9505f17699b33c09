/* lg: connections and the epoll loop of the load generator. It connects,
 * upgrades, reassembles server frames, answers pings and close frames,
 * queues what a socket does not take, and counts every chat delivered by
 * the timestamp marker inside its text ("~K<slot>.<seq>.<us>~"). The
 * dialects (dialect_*.c) and scenario.c call in here. */
#define _GNU_SOURCE
#include "lg.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dialect.h"
#include "token.h"
#include "wsc.h"

#define MAX_MESSAGE (4u << 20) /* larger than any frame a server sends */
#define MAX_EVENTS 512
#define ERRORS_SHOWN 10

struct lg_later {
    int64_t at_us;
    int conn;
    uint32_t gen;
};

int64_t lg_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static uint32_t next_rand(lg *g)
{
    uint32_t x = g->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return g->rng = x;
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL) {
        fprintf(stderr, "loadgen: out of memory\n");
        abort();
    }
    return q;
}

/* Appends len bytes to the growable buffer (*buf, *blen, *cap). */
static void append(uint8_t **buf, size_t *blen, size_t *cap, const void *p,
                   size_t len)
{
    if (len == 0)
        return; /* memcpy with a NULL buffer is undefined even for 0 bytes */
    if (*blen + len > *cap) {
        size_t n = *cap ? *cap : 4096;
        while (n < *blen + len)
            n *= 2;
        *buf = xrealloc(*buf, n);
        *cap = n;
    }
    memcpy(*buf + *blen, p, len);
    *blen += len;
}

int lg_init(lg *g, const lg_opts *o, int nconns, int nrooms, int room_size)
{
    memset(g, 0, sizeof(*g));
    g->o = *o;
    g->epfd = -1;
    g->addr.sin_family = AF_INET;
    g->addr.sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->host, &g->addr.sin_addr) != 1 ||
        (ntohl(g->addr.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "loadgen: %s is not a loopback address\n", o->host);
        return -1;
    }
    g->epfd = epoll_create1(EPOLL_CLOEXEC);
    if (g->epfd < 0) {
        perror("loadgen: epoll_create1");
        return -1;
    }
    g->nconns = nconns;
    g->nrooms = nrooms;
    g->room_size = room_size;
    g->conns = calloc((size_t)nconns, sizeof(conn));
    g->slot_conn = malloc((size_t)nrooms * (size_t)room_size * sizeof(int));
    g->epochs = calloc((size_t)nrooms, sizeof(*g->epochs));
    uint32_t *seen = calloc((size_t)nconns * (size_t)room_size, 4);
    g->rbuf_cap = 1u << 20;
    g->wbuf_cap = 70000;
    g->rbuf = malloc(g->rbuf_cap);
    g->wbuf = malloc(g->wbuf_cap);
    if (!g->conns || !g->slot_conn || !g->epochs || !seen || !g->rbuf ||
        !g->wbuf) {
        fprintf(stderr, "loadgen: out of memory\n");
        free(seen);
        return -1;
    }
    for (int i = 0; i < nrooms * room_size; i++)
        g->slot_conn[i] = -1;
    for (int i = 0; i < nconns; i++) {
        g->conns[i].fd = -1;
        g->conns[i].last_seen = seen + (size_t)i * (size_t)room_size;
    }
    g->rng = 0x2545f491u ^ (uint32_t)lg_now_us();
    g->t0_us = g->now_us = lg_now_us();
    hist_reset(&g->lat);
    return 0;
}

static void close_conn(lg *g, conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    if (c->state == CONN_READY)
        g->ready--;
    else if (c->state != CONN_IDLE)
        g->busy--;
    c->state = CONN_IDLE;
    c->gen++;
    free(c->in);
    free(c->msg);
    free(c->out);
    c->in = c->msg = c->out = NULL;
    c->in_len = c->in_cap = c->msg_len = c->msg_cap = 0;
    c->out_off = c->out_len = c->out_cap = 0;
    c->in_msg = 0;
    c->inflight = 0;
}

void lg_free(lg *g)
{
    for (int i = 0; g->conns && i < g->nconns; i++)
        close_conn(g, &g->conns[i]);
    if (g->conns)
        free(g->conns[0].last_seen);
    free(g->conns);
    free(g->slot_conn);
    free(g->epochs);
    free(g->rbuf);
    free(g->wbuf);
    free(g->later);
    if (g->epfd >= 0)
        close(g->epfd);
    memset(g, 0, sizeof(*g));
    g->epfd = -1;
}

void lg_place(lg *g, int i, int room, int slot, int is_sender)
{
    conn *c = &g->conns[i];
    c->room = room;
    c->slot = slot;
    c->is_sender = is_sender;
    g->slot_conn[room * g->room_size + slot] = i;
}

static void watch(lg *g, conn *c, uint32_t events, int op)
{
    struct epoll_event ev = {.events = events};
    ev.data.u64 = (uint64_t)(c - g->conns) | ((uint64_t)c->gen << 32);
    if (epoll_ctl(g->epfd, op, c->fd, &ev) != 0)
        perror("loadgen: epoll_ctl");
}

int lg_open(lg *g, conn *c)
{
    int one = 1;
    if (c->state != CONN_IDLE)
        return -1;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c->fd < 0) {
        lg_fail(g, c, "socket", strerror(errno), strlen(strerror(errno)));
        return -1;
    }
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    c->gen++;
    c->state = CONN_CONNECTING;
    c->step = 0;
    c->opened_us = lg_now_us();
    g->busy++;
    if (connect(c->fd, (struct sockaddr *)&g->addr, sizeof(g->addr)) != 0 &&
        errno != EINPROGRESS) {
        lg_fail(g, c, "connect", strerror(errno), strlen(strerror(errno)));
        close_conn(g, c);
        return -1;
    }
    watch(g, c, EPOLLOUT, EPOLL_CTL_ADD);
    return 0;
}

void lg_drop(lg *g, conn *c)
{
    close_conn(g, c);
}

/* Writes n bytes, queueing what the socket does not take. */
static void send_raw(lg *g, conn *c, const uint8_t *p, size_t n)
{
    if (c->fd < 0)
        return;
    if (c->out_len == c->out_off) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w == (ssize_t)n)
            return;
        if (w < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                return; /* the read side sees the error */
            w = 0;
        }
        p += w;
        n -= (size_t)w;
        c->out_off = c->out_len = 0;
        append(&c->out, &c->out_len, &c->out_cap, p, n);
        watch(g, c, EPOLLIN | EPOLLOUT, EPOLL_CTL_MOD);
        return;
    }
    append(&c->out, &c->out_len, &c->out_cap, p, n);
}

static void flush(lg *g, conn *c)
{
    while (c->out_off < c->out_len) {
        ssize_t w = send(c->fd, c->out + c->out_off, c->out_len - c->out_off,
                         MSG_NOSIGNAL);
        if (w <= 0)
            return;
        c->out_off += (size_t)w;
    }
    c->out_off = c->out_len = 0;
    if (c->state != CONN_CONNECTING)
        watch(g, c, EPOLLIN, EPOLL_CTL_MOD);
}

static void send_frame(lg *g, conn *c, int opcode, const void *p, size_t len)
{
    if (len + WSC_MAX_HEADER > g->wbuf_cap) {
        lg_fail(g, c, "message too long to send", NULL, 0);
        return;
    }
    size_t n = wsc_frame_build(g->wbuf, opcode, p, len, next_rand(g));
    send_raw(g, c, g->wbuf, n);
}

void lg_send_text(lg *g, conn *c, const void *p, size_t len)
{
    send_frame(g, c, WSC_TEXT, p, len);
}

void lg_send_binary(lg *g, conn *c, const void *p, size_t len)
{
    send_frame(g, c, WSC_BINARY, p, len);
}

void lg_send_chat(lg *g, conn *c)
{
    char text[4200], id[48];
    int64_t now = lg_now_us();
    c->seq++;
    int n = snprintf(text, sizeof(text), "~K%d.%u.%lld~", c->slot, c->seq,
                     (long long)(now - g->t0_us));
    size_t len = (size_t)n;
    size_t want = (size_t)g->o.text_bytes;
    if (want > sizeof(text) - 1)
        want = sizeof(text) - 1;
    while (len < want)
        text[len++] = 'x';
    snprintf(id, sizeof(id), "m%d-%u", (int)(c - g->conns), c->seq);
    g->o.d->chat(g, c, id, text, len);
    c->inflight++;
    g->n.sent++;
}

void lg_retry_join(lg *g, conn *c, int64_t delay_us)
{
    if (g->later_count == g->later_cap) {
        size_t ncap = g->later_cap ? g->later_cap * 2 : 64;
        struct lg_later *q = xrealloc(NULL, ncap * sizeof(*q));
        for (size_t i = 0; i < g->later_count; i++)
            q[i] = g->later[(g->later_head + i) % g->later_cap];
        free(g->later);
        g->later = q;
        g->later_cap = ncap;
        g->later_head = 0;
    }
    /* Every delay is the same, so the ring stays in time order. */
    g->later[(g->later_head + g->later_count++) % g->later_cap] =
        (struct lg_later){lg_now_us() + delay_us, (int)(c - g->conns), c->gen};
    g->n.retries++;
}

/* Asks again for the joins whose time has come. */
static void run_later(lg *g)
{
    while (g->later_count > 0) {
        struct lg_later *e = &g->later[g->later_head];
        if (e->at_us > g->now_us)
            return;
        conn *c = &g->conns[e->conn];
        int stale = c->gen != e->gen || c->state != CONN_JOINING;
        g->later_head = (g->later_head + 1) % g->later_cap;
        g->later_count--;
        if (!stale && g->o.d->rejoin)
            g->o.d->rejoin(g, c);
    }
}

void lg_joined(lg *g, conn *c)
{
    if (c->state != CONN_JOINING)
        return;
    c->state = CONN_READY;
    c->joins++;
    g->busy--;
    g->ready++;
    g->n.joins++;
}

void lg_fail(lg *g, conn *c, const char *what, const char *p, size_t len)
{
    g->n.errors++;
    if (g->o.quiet || g->errors_shown >= ERRORS_SHOWN)
        return;
    g->errors_shown++;
    fprintf(stderr, "loadgen: connection %d: %s%s%.*s\n",
            c ? (int)(c - g->conns) : -1, what, p ? ": " : "",
            p ? (int)(len > 300 ? 300 : len) : 0, p ? p : "");
}

void lg_room_name(const lg *g, int room, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s-r%d", g->o.prefix, room);
}

int lg_token(const lg *g, const conn *c, char *buf, size_t cap)
{
    char sub[32];
    snprintf(sub, sizeof(sub), "u%d", g->o.user_base + (int)(c - g->conns));
    long long exp = (long long)time(NULL) + 3600;
    return token_mint_as(g->o.secret, g->o.secret_len, sub,
                         c->coordinator ? "coordinator" : "entrepreneur", exp,
                         buf, cap);
}

/* One chat seen by c: seq from slot, sent at t (us after t0). */
static void delivery(lg *g, conn *c, int slot, uint32_t seq, int64_t t,
                     int replay)
{
    if (slot < 0 || slot >= g->room_size) {
        lg_fail(g, c, "chat from an unknown slot", NULL, 0);
        return;
    }
    uint32_t *last = &c->last_seen[slot];
    if (seq <= *last) {
        g->n.dup++;
        return;
    }
    if (seq > *last + 1)
        g->n.gaps += seq - *last - 1;
    *last = seq;
    g->n.delivered++;
    if (replay) {
        g->n.replayed++;
    } else {
        int64_t lat = g->now_us - g->t0_us - t;
        hist_add(&g->lat, lat > 0 ? (uint64_t)lat : 0);
    }
    if (slot == c->slot && c->is_sender && c->inflight)
        c->inflight--;
}

/* Parses an unsigned decimal at *p (before end); advances *p. */
static int64_t number(const char **p, const char *end)
{
    int64_t v = 0;
    const char *s = *p;
    while (s < end && *s >= '0' && *s <= '9')
        v = v * 10 + (*s++ - '0');
    if (s == *p)
        return -1;
    *p = s;
    return v;
}

void lg_scan(lg *g, conn *c, const char *p, size_t len, int replay)
{
    const char *end = p + len;
    while (p < end) {
        const char *m = memmem(p, (size_t)(end - p), "~K", 2);
        if (m == NULL)
            return;
        p = m + 2;
        int64_t slot = number(&p, end);
        if (slot < 0 || p >= end || *p++ != '.')
            continue;
        int64_t seq = number(&p, end);
        if (seq <= 0 || p >= end || *p++ != '.')
            continue;
        int64_t t = number(&p, end);
        if (t < 0 || p >= end || *p != '~')
            continue;
        delivery(g, c, (int)slot, (uint32_t)seq, t, replay);
    }
}

uint64_t lg_missing(const lg *g)
{
    uint64_t missing = 0;
    for (int i = 0; i < g->nconns; i++) {
        const conn *c = &g->conns[i];
        for (int s = 0; s < g->room_size; s++) {
            int k = g->slot_conn[c->room * g->room_size + s];
            if (k >= 0 && g->conns[k].seq > c->last_seen[s])
                missing += g->conns[k].seq - c->last_seen[s];
        }
    }
    return missing;
}

static void on_message(lg *g, conn *c, int opcode, uint8_t *p, size_t len)
{
    if (opcode == WSC_TEXT)
        g->o.d->text(g, c, (const char *)p, len);
    else if (opcode == WSC_BINARY && g->o.d->binary)
        g->o.d->binary(g, c, p, len);
}

static void on_close_frame(lg *g, conn *c, const uint8_t *p, size_t len)
{
    char why[160];
    int code = len >= 2 ? (p[0] << 8) | p[1] : 1005;
    g->n.closed++;
    snprintf(why, sizeof(why), "server closed with %d %.*s", code,
             len > 2 ? (int)(len - 2 > 100 ? 100 : len - 2) : 0,
             len > 2 ? (const char *)p + 2 : "");
    lg_fail(g, c, why, NULL, 0);
    uint8_t reply[2] = {(uint8_t)(code >> 8), (uint8_t)code};
    send_frame(g, c, WSC_CLOSE, reply, code == 1005 ? 0 : 2);
    close_conn(g, c);
}

static void on_frame(lg *g, conn *c, const wsc_frame *f)
{
    switch (f->opcode) {
    case WSC_TEXT:
    case WSC_BINARY:
        if (f->fin && !c->in_msg) {
            on_message(g, c, f->opcode, f->payload, f->len);
            return;
        }
        c->in_msg = 1;
        c->msg_op = f->opcode;
        c->msg_len = 0;
        /* fall through */
    case WSC_CONT:
        if (!c->in_msg || c->msg_len + f->len > MAX_MESSAGE) {
            lg_fail(g, c, "bad continuation frame", NULL, 0);
            close_conn(g, c);
            return;
        }
        append(&c->msg, &c->msg_len, &c->msg_cap, f->payload, f->len);
        if (f->fin) {
            c->in_msg = 0;
            on_message(g, c, c->msg_op, c->msg, c->msg_len);
        }
        return;
    case WSC_PING:
        send_frame(g, c, WSC_PONG, f->payload, f->len);
        return;
    case WSC_CLOSE:
        on_close_frame(g, c, f->payload, f->len);
        return;
    default:
        return;
    }
}

/* Keeps the len unparsed bytes at p (which may lie inside c->in). */
static void keep(conn *c, const uint8_t *p, size_t len)
{
    if (c->in && p >= c->in && p < c->in + c->in_cap) {
        memmove(c->in, p, len);
        c->in_len = len;
        return;
    }
    c->in_len = 0;
    append(&c->in, &c->in_len, &c->in_cap, p, len);
}

/* Parses len received bytes at p: the 101 answer, then frames. */
static void consume(lg *g, conn *c, uint8_t *p, size_t len)
{
    uint32_t gen = c->gen;
    size_t off = 0;
    if (c->state == CONN_UPGRADING) {
        long h = wsc_response((const char *)p, len, c->key);
        if (h == 0) {
            keep(c, p, len);
            return;
        }
        if (h < 0) {
            lg_fail(g, c, "upgrade refused", (const char *)p,
                    len > 120 ? 120 : len);
            close_conn(g, c);
            return;
        }
        off = (size_t)h;
        c->state = CONN_JOINING;
        g->o.d->opened(g, c);
        if (c->gen != gen)
            return;
    }
    while (off < len) {
        wsc_frame f;
        long n = wsc_parse(p + off, len - off, MAX_MESSAGE, &f);
        if (n == 0)
            break;
        if (n < 0) {
            lg_fail(g, c, "malformed frame", NULL, 0);
            close_conn(g, c);
            return;
        }
        off += (size_t)n;
        on_frame(g, c, &f);
        if (c->gen != gen)
            return;
    }
    keep(c, p + off, len - off);
}

static void on_readable(lg *g, conn *c)
{
    ssize_t n = recv(c->fd, g->rbuf, g->rbuf_cap, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        g->n.closed++;
        lg_fail(g, c, n == 0 ? "server closed the connection" : "recv",
                n < 0 ? strerror(errno) : NULL,
                n < 0 ? strlen(strerror(errno)) : 0);
        close_conn(g, c);
        return;
    }
    g->now_us = lg_now_us();
    if (c->in_len == 0) {
        consume(g, c, g->rbuf, (size_t)n);
        return;
    }
    append(&c->in, &c->in_len, &c->in_cap, g->rbuf, (size_t)n);
    consume(g, c, c->in, c->in_len);
}

static void on_connected(lg *g, conn *c)
{
    int err = 0;
    socklen_t elen = sizeof(err);
    char path[256], req[1024];
    if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err) {
        lg_fail(g, c, "connect", strerror(err), strlen(strerror(err)));
        close_conn(g, c);
        return;
    }
    g->o.d->path(g, c, path, sizeof(path));
    wsc_make_key(&g->rng, c->key);
    int n = wsc_request(req, sizeof(req), g->o.host, g->o.port, path,
                        g->o.d->subprotocol, c->key);
    c->state = CONN_UPGRADING;
    watch(g, c, EPOLLIN, EPOLL_CTL_MOD);
    if (n > 0)
        send_raw(g, c, (const uint8_t *)req, (size_t)n);
}

int lg_poll(lg *g, int timeout_ms)
{
    struct epoll_event ev[MAX_EVENTS];
    int n = epoll_wait(g->epfd, ev, MAX_EVENTS, timeout_ms);
    if (n < 0)
        return errno == EINTR ? 0 : -1;
    g->now_us = lg_now_us();
    for (int i = 0; i < n; i++) {
        conn *c = &g->conns[(uint32_t)ev[i].data.u64];
        if (c->fd < 0 || c->gen != (uint32_t)(ev[i].data.u64 >> 32))
            continue; /* closed earlier in this batch */
        if (c->state == CONN_CONNECTING) {
            on_connected(g, c);
            continue;
        }
        if (ev[i].events & EPOLLOUT)
            flush(g, c);
        if (c->fd >= 0 && (ev[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
            on_readable(g, c);
    }
    run_later(g);
    return n;
}
