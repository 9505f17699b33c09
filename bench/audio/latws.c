/* latws: the WebSocket client connections of kopa_audio_latency (see
 * latws.h). The handshake and the frame format come from the load
 * generator's wsc.c; this file owns the sockets, the buffers and the
 * reassembly of fragmented messages. Called by audio_latency.c. */
#define _GNU_SOURCE
#include "latws.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "wsc.h"

#define MAX_MESSAGE (1u << 20)

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (q == NULL) {
        fprintf(stderr, "kopa_audio_latency: out of memory\n");
        abort();
    }
    return q;
}

/* Makes room for need more bytes at the end of (*buf, len, *cap). */
static void reserve(uint8_t **buf, size_t len, size_t *cap, size_t need)
{
    size_t n = *cap ? *cap : 4096;
    if (len + need <= *cap)
        return;
    while (n < len + need)
        n *= 2;
    *buf = xrealloc(*buf, n);
    *cap = n;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until deadline_ms. Returns 1 when ready, 0 on
 * timeout, -1 on error. */
static int wait_fd(int fd, short events, int64_t deadline_ms)
{
    struct pollfd p = {.fd = fd, .events = events};
    int64_t left = deadline_ms - now_ms();
    if (left < 0)
        return 0;
    int n = poll(&p, 1, (int)left);
    return n < 0 && errno != EINTR ? -1 : n > 0;
}

static int connect_tcp(latws *w, const char *host, int port, int64_t deadline)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port)};
    int one = 1;
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
        (ntohl(a.sin_addr.s_addr) >> 24) != 127) {
        fprintf(stderr, "kopa_audio_latency: %s is not a loopback address\n",
                host);
        return -1;
    }
    w->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (w->fd < 0)
        return -1;
    setsockopt(w->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(w->fd, (struct sockaddr *)&a, sizeof(a)) == 0)
        return 0;
    if (errno != EINPROGRESS || wait_fd(w->fd, POLLOUT, deadline) != 1)
        return -1;
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(w->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    return err == 0 ? 0 : -1;
}

static int write_all(latws *w, const uint8_t *p, size_t len)
{
    while (len > 0) {
        ssize_t n = send(w->fd, p, len, MSG_NOSIGNAL);
        if (n > 0) {
            p += n;
            len -= (size_t)n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            if (wait_fd(w->fd, POLLOUT, now_ms() + 5000) != 1)
                return -1;
        } else {
            return -1;
        }
    }
    return 0;
}

/* Sends the upgrade request and reads the answer; the bytes after the
 * answer stay in w->in. */
static int upgrade(latws *w, const char *host, int port, const char *path,
                   const char *subprotocol, int64_t deadline)
{
    char req[1024], key[25];
    int n;
    wsc_make_key(&w->rng, key);
    n = wsc_request(req, sizeof(req), host, port, path, subprotocol, key);
    if (n < 0 || write_all(w, (const uint8_t *)req, (size_t)n) < 0)
        return -1;
    for (;;) {
        long h = wsc_response((const char *)w->in, w->in_len, key);
        if (h < 0)
            return -1;
        if (h > 0) {
            w->in_off = (size_t)h;
            return 0;
        }
        if (wait_fd(w->fd, POLLIN, deadline) != 1 || latws_read(w) <= 0)
            return -1;
    }
}

int latws_open(latws *w, const char *host, int port, const char *path,
               const char *subprotocol, int timeout_ms)
{
    int64_t deadline = now_ms() + timeout_ms;
    memset(w, 0, sizeof(*w));
    w->fd = -1;
    w->rng = (uint32_t)getpid() ^ (uint32_t)now_ms() ^ 0x5bd1e995u;
    if (connect_tcp(w, host, port, deadline) < 0 ||
        upgrade(w, host, port, path, subprotocol, deadline) < 0) {
        fprintf(stderr, "kopa_audio_latency: cannot open ws://%s:%d%s\n", host,
                port, path);
        latws_close(w);
        return -1;
    }
    return 0;
}

void latws_close(latws *w)
{
    if (w->fd >= 0)
        close(w->fd);
    free(w->in);
    free(w->msg);
    free(w->out);
    memset(w, 0, sizeof(*w));
    w->fd = -1;
}

int latws_send(latws *w, int opcode, const void *p, size_t len)
{
    reserve(&w->out, 0, &w->out_cap, len + WSC_MAX_HEADER);
    w->rng ^= w->rng << 13;
    w->rng ^= w->rng >> 17;
    w->rng ^= w->rng << 5;
    size_t n = wsc_frame_build(w->out, opcode, p, len, w->rng);
    return write_all(w, w->out, n);
}

long latws_read(latws *w)
{
    long total = 0;
    if (w->in_off > 0) { /* drop what was parsed */
        memmove(w->in, w->in + w->in_off, w->in_len - w->in_off);
        w->in_len -= w->in_off;
        w->in_off = 0;
    }
    for (;;) {
        reserve(&w->in, w->in_len, &w->in_cap, 16384);
        ssize_t n = recv(w->fd, w->in + w->in_len, w->in_cap - w->in_len, 0);
        if (n > 0) {
            w->in_len += (size_t)n;
            total += n;
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            return total;
        } else {
            return -1; /* closed by the server, or failed */
        }
    }
}

/* Handles a control frame; returns -1 on a close frame. */
static int control(latws *w, const wsc_frame *f)
{
    if (f->opcode == WSC_CLOSE)
        return -1;
    if (f->opcode == WSC_PING)
        return latws_send(w, WSC_PONG, f->payload, f->len);
    return 0;
}

int latws_next(latws *w, int *opcode, const uint8_t **data, size_t *len)
{
    for (;;) {
        wsc_frame f;
        long n = wsc_parse(w->in + w->in_off, w->in_len - w->in_off,
                           MAX_MESSAGE, &f);
        if (n <= 0)
            return (int)n;
        w->in_off += (size_t)n;
        if (f.opcode >= 8) {
            if (control(w, &f) < 0)
                return -1;
            continue;
        }
        if (f.opcode != WSC_CONT) { /* a new message */
            w->msg_op = f.opcode;
            w->msg_len = 0;
        } else if (w->msg_op == 0) {
            return -1; /* a continuation of nothing */
        }
        if (f.fin && w->msg_len == 0) {
            *opcode = w->msg_op;
            *data = f.payload;
            *len = f.len;
            w->msg_op = 0;
            return 1;
        }
        if (w->msg_len + f.len > MAX_MESSAGE)
            return -1;
        reserve(&w->msg, w->msg_len, &w->msg_cap, f.len + 1);
        if (f.len > 0)
            memcpy(w->msg + w->msg_len, f.payload, f.len);
        w->msg_len += f.len;
        if (f.fin) {
            *opcode = w->msg_op;
            *data = w->msg;
            *len = w->msg_len;
            w->msg_op = 0;
            return 1;
        }
    }
}
