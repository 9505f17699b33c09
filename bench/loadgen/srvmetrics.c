/* srvmetrics: a one-shot HTTP/1.1 GET of /metrics over loopback and a
 * reader of the Prometheus text format's sample lines (name, optional
 * {labels}, value). Called by audio_net.c before and after a measurement. */
#define _GNU_SOURCE
#include "srvmetrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_BODY (4u << 20)

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for events on fd until deadline (ms). Returns 1 when ready. */
static int wait_fd(int fd, short events, long long deadline)
{
    struct pollfd p = {.fd = fd, .events = events};
    long long left = deadline - now_ms();
    if (left <= 0)
        return 0;
    return poll(&p, 1, (int)left) == 1;
}

static int open_conn(const char *host, int port, long long deadline)
{
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &a.sin_addr) != 1 ||
        (ntohl(a.sin_addr.s_addr) >> 24) != 127)
        return -1;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int err = 0;
    socklen_t elen = sizeof(err);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0 &&
        (errno != EINPROGRESS || !wait_fd(fd, POLLOUT, deadline) ||
         getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err)) {
        close(fd);
        return -1;
    }
    return fd;
}

char *srvmetrics_fetch(const char *host, int port, int timeout_ms, size_t *len)
{
    long long deadline = now_ms() + timeout_ms;
    char req[256];
    char *buf = NULL;
    size_t n = 0, cap = 0;
    int req_len = snprintf(req, sizeof(req),
                           "GET /metrics HTTP/1.1\r\nHost: %s:%d\r\n"
                           "Connection: close\r\n\r\n",
                           host, port);
    int fd = open_conn(host, port, deadline);
    if (fd < 0 || send(fd, req, (size_t)req_len, MSG_NOSIGNAL) != req_len)
        goto fail;
    for (;;) {
        if (n + 65536 + 1 > cap) {
            cap = cap ? cap * 2 : 131072;
            char *p = realloc(buf, cap);
            if (p == NULL || cap > MAX_BODY)
                goto fail;
            buf = p;
        }
        ssize_t r = recv(fd, buf + n, cap - n - 1, 0);
        if (r > 0) {
            n += (size_t)r;
        } else if (r == 0) {
            break;
        } else if (errno != EAGAIN && errno != EINTR) {
            goto fail;
        } else if (!wait_fd(fd, POLLIN, deadline)) {
            goto fail;
        }
    }
    close(fd);
    fd = -1;
    buf[n] = '\0';
    char *body = strstr(buf, "\r\n\r\n");
    if (n < 12 || memcmp(buf, "HTTP/1.1 200", 12) != 0 || body == NULL)
        goto fail;
    body += 4;
    *len = n - (size_t)(body - buf);
    memmove(buf, body, *len + 1);
    return buf;
fail:
    if (fd >= 0)
        close(fd);
    free(buf);
    return NULL;
}

double srvmetrics_sum(const char *body, size_t len, const char *name,
                      const char *label)
{
    size_t nlen = strlen(name);
    const char *p = body, *end = body + len;
    double sum = 0;
    int found = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (eol == NULL)
            eol = end;
        if ((size_t)(eol - p) > nlen && memcmp(p, name, nlen) == 0 &&
            (p[nlen] == ' ' || p[nlen] == '{')) {
            const char *v = p + nlen;
            const char *close =
                p[nlen] == '{' ? memchr(v, '}', (size_t)(eol - v)) : v;
            int match =
                label == NULL || (close && memmem(v, (size_t)(close - v), label,
                                                  strlen(label)) != NULL);
            if (close && match) {
                sum += strtod(close + (*close == '}'), NULL);
                found = 1;
            }
        }
        p = eol + 1;
    }
    return found ? sum : -1;
}
