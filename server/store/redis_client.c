/* redis_client: the connection state machine (DISCONNECTED -> CONNECTING ->
 * CONNECTED -> DISCONNECTED ...), the durable write FIFO, command and
 * connect timeouts on loop timers, and reconnects with jittered exponential
 * backoff. The store modules call it; hiredis and libuv call back into it.
 *
 * Every command sent on the current connection is also in the in-flight
 * FIFO (Redis answers in order), so one timer armed for the oldest command's
 * deadline detects a hung connection. Unanswered writes are a prefix of the
 * write FIFO; after a drop they all become unsent again. */
#include "server/store/redis_client.h"

#include "server/store/redis_uv.h"

#include <arpa/inet.h>
#include <hiredis/async.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

typedef struct cmd cmd;
struct cmd {
    cmd *wnext; /* next in the write FIFO (writes only) */
    cmd *fnext; /* next in flight, or next failing read */
    redis_client *client;
    redis_client_reply_cb cb;
    void *data;
    char *buf; /* the formatted command; kept by writes until answered */
    size_t len;
    uint64_t sent_ms;
    unsigned is_write : 1;
    unsigned was_sent : 1;
    unsigned timed_out : 1;
};

typedef struct cmd_fifo {
    cmd *head, *tail;
} cmd_fifo;

struct redis_client {
    uv_loop_t *loop;
    redisAsyncContext *ac; /* NULL while DISCONNECTED */
    redis_client_state state;
    redis_client_state notified; /* last state told to state_cb */
    char host[INET6_ADDRSTRLEN];
    int port;
    unsigned connect_timeout_ms, command_timeout_ms, backoff_min_ms,
        backoff_max_ms;
    size_t max_queue;
    redis_client_state_cb state_cb;
    void *state_data;

    uv_timer_t conn_timer; /* backoff delay, then connect timeout */
    uv_timer_t cmd_timer;  /* deadline of the oldest command in flight */
    uv_idle_t fail_idle;   /* delivers reads refused while disconnected */
    int open_handles;

    cmd_fifo writes; /* unanswered writes, oldest first (linked by wnext) */
    cmd *unsent;     /* first write of `writes` not sent on this connection */
    size_t n_writes;
    cmd_fifo flight;  /* sent on the current connection (linked by fnext) */
    cmd_fifo failing; /* reads waiting for fail_idle (linked by fnext) */

    uint64_t last_reply_ms; /* loop time of the last reply on this connection */
    unsigned attempts;      /* failed attempts since the last connect */
    uint64_t rng;
    int cb_depth; /* > 0 while a user callback runs */
    int started;  /* redis_client_new has returned */
    int closing;
    redis_client_stats stats;
};

static const char *const error_strings[] = {
    [REDIS_CLIENT_OK] = "ok",
    [REDIS_CLIENT_ERR_DISCONNECTED] = "disconnected",
    [REDIS_CLIENT_ERR_TIMEOUT] = "timeout",
    [REDIS_CLIENT_ERR_CLOSED] = "closed",
    [REDIS_CLIENT_ERR_QUEUE_FULL] = "queue full",
    [REDIS_CLIENT_ERR_INVALID] = "invalid argument",
};

const char *redis_client_strerror(redis_client_error e)
{
    if ((unsigned)e >= sizeof(error_strings) / sizeof(error_strings[0]))
        return "unknown error";
    return error_strings[e];
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (p == NULL) {
        fprintf(stderr, "redis_client: out of memory\n");
        abort();
    }
    return p;
}

static void fifo_push(cmd_fifo *f, cmd *m, int by_wnext)
{
    if (by_wnext) {
        m->wnext = NULL;
        if (f->tail != NULL)
            f->tail->wnext = m;
        else
            f->head = m;
    } else {
        m->fnext = NULL;
        if (f->tail != NULL)
            f->tail->fnext = m;
        else
            f->head = m;
    }
    f->tail = m;
}

static cmd *fifo_shift(cmd_fifo *f, int by_wnext)
{
    cmd *m = f->head;
    if (m == NULL)
        return NULL;
    f->head = by_wnext ? m->wnext : m->fnext;
    if (f->head == NULL)
        f->tail = NULL;
    return m;
}

/* splitmix64: the jitter source, seeded from the config. */
static uint64_t next_random(redis_client *c)
{
    uint64_t z = (c->rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Delay before the next attempt: min * 2^attempts capped at max, then a
 * uniformly random point in its upper half. */
static uint64_t backoff_ms(redis_client *c)
{
    uint64_t d = c->backoff_min_ms;
    for (unsigned i = 0; i < c->attempts && d < c->backoff_max_ms; i++)
        d *= 2;
    if (d > c->backoff_max_ms)
        d = c->backoff_max_ms;
    return d - d / 2 + next_random(c) % (d / 2 + 1);
}

/* Runs a user callback; cb_depth lets redis_client_free catch misuse. */
static void finish(redis_client *c, cmd *m, const redisReply *reply,
                   redis_client_error err)
{
    if (m->cb != NULL) {
        c->cb_depth++;
        m->cb(c, reply, reply != NULL ? NULL : redis_client_strerror(err),
              m->data);
        c->cb_depth--;
    }
    if (m->buf != NULL)
        redisFreeCommand(m->buf);
    free(m);
}

static void notify_state(redis_client *c)
{
    if (!c->started || c->closing || c->state == c->notified)
        return;
    c->notified = c->state;
    if (c->state_cb != NULL) {
        c->cb_depth++;
        c->state_cb(c, c->state, c->state_data);
        c->cb_depth--;
    }
}

static void reply_cb(redisAsyncContext *ac, void *r, void *privdata);
static void start_connect(redis_client *c);

/* Forgets the current connection without touching hiredis: from here on
 * new writes queue and new reads fail, and every unanswered write is
 * unsent again. Commands still in `flight` are popped as hiredis calls
 * their callbacks with a NULL reply. */
static void detach(redis_client *c)
{
    c->ac = NULL;
    c->state = REDIS_CLIENT_DISCONNECTED;
    c->unsent = c->writes.head;
    uv_timer_stop(&c->conn_timer);
    uv_timer_stop(&c->cmd_timer);
}

/* Drops the connection on our own initiative (timeout or free). hiredis
 * runs the pending callbacks with NULL replies before this returns; the
 * disconnect callback is unset first because the loss is handled here. */
static void drop(redis_client *c)
{
    redisAsyncContext *ac = c->ac;
    detach(c);
    ac->onDisconnect = NULL;
    redisAsyncFree(ac);
}

static void reconnect_cb(uv_timer_t *t)
{
    redis_client *c = t->data;
    c->stats.reconnects++;
    start_connect(c);
}

/* After a failed attempt or a lost connection: wait, then try again. */
static void schedule_reconnect(redis_client *c)
{
    uint64_t delay = backoff_ms(c);
    if (c->attempts < 32)
        c->attempts++;
    uv_timer_start(&c->conn_timer, reconnect_cb, delay, 0);
    notify_state(c);
}

static void cmd_timer_cb(uv_timer_t *t)
{
    redis_client *c = t->data;
    cmd *head = c->flight.head;
    uint64_t now = uv_now(c->loop);
    uint64_t deadline;

    if (head == NULL || c->ac == NULL)
        return;
    /* The oldest command waits from when it was sent or from the previous
     * reply, whichever is later: a long pipeline that Redis is working
     * through is not a hung connection. */
    deadline =
        (head->sent_ms > c->last_reply_ms ? head->sent_ms : c->last_reply_ms) +
        c->command_timeout_ms;
    if (now < deadline) {
        uv_timer_start(&c->cmd_timer, cmd_timer_cb, deadline - now, 0);
        return;
    }
    head->timed_out = 1;
    c->stats.timeouts++;
    drop(c);
    schedule_reconnect(c);
}

static void connect_timeout_cb(uv_timer_t *t)
{
    redis_client *c = t->data;
    c->stats.timeouts++;
    drop(c);
    schedule_reconnect(c);
}

/* Hands m to hiredis. Returns -1 if hiredis refuses (connection closing). */
static int send_cmd(redis_client *c, cmd *m)
{
    if (redisAsyncFormattedCommand(c->ac, reply_cb, m, m->buf, m->len) !=
        REDIS_OK)
        return -1;
    m->sent_ms = uv_now(c->loop);
    m->timed_out = 0;
    c->stats.commands_sent++;
    if (m->was_sent)
        c->stats.resends++;
    m->was_sent = 1;
    fifo_push(&c->flight, m, 0);
    if (!uv_is_active((uv_handle_t *)&c->cmd_timer))
        uv_timer_start(&c->cmd_timer, cmd_timer_cb, c->command_timeout_ms, 0);
    return 0;
}

static void flush_writes(redis_client *c)
{
    while (c->unsent != NULL && c->state == REDIS_CLIENT_CONNECTED) {
        if (send_cmd(c, c->unsent) != 0)
            break;
        c->unsent = c->unsent->wnext;
    }
}

static void reply_cb(redisAsyncContext *ac, void *r, void *privdata)
{
    cmd *m = privdata;
    redis_client *c = m->client;
    cmd *head = fifo_shift(&c->flight, 0);

    if (head != m) {
        fprintf(stderr, "redis_client: reply out of order\n");
        abort();
    }
    if (r == NULL) {
        /* The connection is going away. If hiredis found that out itself,
         * this is the first we hear of it; on_disconnect follows. */
        if (c->ac == ac)
            detach(c);
        if (m->is_write)
            return; /* stays queued; sent again after reconnecting */
        finish(c, m, NULL,
               m->timed_out ? REDIS_CLIENT_ERR_TIMEOUT
               : c->closing ? REDIS_CLIENT_ERR_CLOSED
                            : REDIS_CLIENT_ERR_DISCONNECTED);
        return;
    }
    c->stats.replies++;
    c->last_reply_ms = uv_now(c->loop);
    if (m->is_write) {
        if (fifo_shift(&c->writes, 1) != m) {
            fprintf(stderr, "redis_client: write answered out of order\n");
            abort();
        }
        c->n_writes--;
    }
    finish(c, m, r, REDIS_CLIENT_OK);
}

/* hiredis lost an established connection (we unset this callback before
 * dropping one ourselves). The context is freed after this returns. */
static void on_disconnect(const redisAsyncContext *ac, int status)
{
    redis_client *c = ac->data;
    (void)status;
    if (c->ac == ac)
        detach(c);
    schedule_reconnect(c);
}

static void on_connect(const redisAsyncContext *ac, int status)
{
    redis_client *c = ac->data;

    if (c->ac != ac)
        return;
    uv_timer_stop(&c->conn_timer);
    if (status != REDIS_OK) {
        detach(c); /* hiredis frees ac after this returns */
        schedule_reconnect(c);
        return;
    }
    c->state = REDIS_CLIENT_CONNECTED;
    c->attempts = 0;
    c->stats.connects++;
    flush_writes(c);
    notify_state(c);
}

static void start_connect(redis_client *c)
{
    redisAsyncContext *ac = redisAsyncConnect(c->host, c->port);

    if (ac == NULL) {
        fprintf(stderr, "redis_client: out of memory\n");
        abort();
    }
    if (ac->err != 0 || redis_uv_attach(ac, c->loop) != 0) {
        redisAsyncFree(ac);
        c->state = REDIS_CLIENT_DISCONNECTED;
        schedule_reconnect(c);
        return;
    }
    ac->data = c;
    c->ac = ac;
    c->state = REDIS_CLIENT_CONNECTING;
    redisAsyncSetConnectCallback(ac, on_connect);
    redisAsyncSetDisconnectCallback(ac, on_disconnect);
    uv_timer_start(&c->conn_timer, connect_timeout_cb, c->connect_timeout_ms,
                   0);
    notify_state(c);
}

static void fail_idle_cb(uv_idle_t *idle)
{
    redis_client *c = idle->data;
    cmd_fifo batch = c->failing;
    cmd *m;

    /* Reads failed by these callbacks go to the next batch. */
    c->failing.head = c->failing.tail = NULL;
    uv_idle_stop(idle);
    while ((m = fifo_shift(&batch, 0)) != NULL)
        finish(c, m, NULL, REDIS_CLIENT_ERR_DISCONNECTED);
}

/* Copies host into c->host as a numeric address, resolving it if needed. */
static int resolve_host(redis_client *c, const char *host)
{
    struct addrinfo hints, *res = NULL, *ai, *pick = NULL;
    unsigned char buf[sizeof(struct in6_addr)];
    const void *addr;

    if (inet_pton(AF_INET, host, buf) == 1 ||
        inet_pton(AF_INET6, host, buf) == 1) {
        if (strlen(host) >= sizeof(c->host))
            return -1;
        strcpy(c->host, host);
        return 0;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return -1;
    /* hiredis 0.14 itself prefers IPv4; do the same. */
    for (ai = res; ai != NULL && pick == NULL; ai = ai->ai_next)
        if (ai->ai_family == AF_INET)
            pick = ai;
    if (pick == NULL)
        pick = res;
    if (pick->ai_family == AF_INET)
        addr = &((struct sockaddr_in *)(void *)pick->ai_addr)->sin_addr;
    else
        addr = &((struct sockaddr_in6 *)(void *)pick->ai_addr)->sin6_addr;
    addr = inet_ntop(pick->ai_family, addr, c->host, sizeof(c->host));
    freeaddrinfo(res);
    return addr != NULL ? 0 : -1;
}

redis_client *redis_client_new(uv_loop_t *loop, const redis_client_config *cfg)
{
    redis_client *c = xcalloc(1, sizeof(*c));

    c->loop = loop;
    c->port = cfg->port != 0 ? cfg->port : 6379;
    c->connect_timeout_ms =
        cfg->connect_timeout_ms != 0 ? cfg->connect_timeout_ms : 1000;
    c->command_timeout_ms =
        cfg->command_timeout_ms != 0 ? cfg->command_timeout_ms : 2000;
    c->backoff_min_ms = cfg->backoff_min_ms != 0 ? cfg->backoff_min_ms : 100;
    c->backoff_max_ms = cfg->backoff_max_ms != 0 ? cfg->backoff_max_ms : 2000;
    c->max_queue = cfg->max_queue != 0 ? cfg->max_queue : 100000;
    c->state_cb = cfg->state_cb;
    c->state_data = cfg->state_data;
    c->rng = cfg->seed;
    if (c->port < 1 || c->port > 65535 || c->backoff_min_ms > c->backoff_max_ms)
        goto fail;
    if (resolve_host(c, cfg->host != NULL ? cfg->host : "127.0.0.1") != 0)
        goto fail;

    uv_timer_init(loop, &c->conn_timer);
    uv_timer_init(loop, &c->cmd_timer);
    uv_idle_init(loop, &c->fail_idle);
    c->conn_timer.data = c->cmd_timer.data = c->fail_idle.data = c;
    c->open_handles = 3;
    c->state = c->notified = REDIS_CLIENT_DISCONNECTED;
    start_connect(c);
    c->notified = c->state;
    c->started = 1;
    return c;

fail:
    free(c);
    return NULL;
}

static void handle_closed_cb(uv_handle_t *h)
{
    redis_client *c = h->data;
    if (--c->open_handles == 0)
        free(c);
}

void redis_client_free(redis_client *c)
{
    cmd *m;

    if (c == NULL)
        return;
    if (c->cb_depth > 0 || c->closing) {
        fprintf(stderr,
                "redis_client_free: called from a callback of the client\n");
        abort();
    }
    c->closing = 1;
    if (c->ac != NULL)
        drop(c); /* reads in flight get "closed" */
    while ((m = fifo_shift(&c->writes, 1)) != NULL) {
        c->n_writes--;
        finish(c, m, NULL, REDIS_CLIENT_ERR_CLOSED);
    }
    while ((m = fifo_shift(&c->failing, 0)) != NULL)
        finish(c, m, NULL, REDIS_CLIENT_ERR_CLOSED);
    c->unsent = NULL;
    uv_close((uv_handle_t *)&c->conn_timer, handle_closed_cb);
    uv_close((uv_handle_t *)&c->cmd_timer, handle_closed_cb);
    uv_close((uv_handle_t *)&c->fail_idle, handle_closed_cb);
}

/* Commands whose replies do not follow the one-reply-per-command FIFO. */
static int is_unsupported(const char *name, size_t len)
{
    static const char *const names[] = {
        "subscribe",    "psubscribe",   "ssubscribe", "unsubscribe",
        "punsubscribe", "sunsubscribe", "monitor"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strlen(names[i]) == len && strncasecmp(names[i], name, len) == 0)
            return 1;
    return 0;
}

static int check_args(const redis_client *c, int argc, const char **argv,
                      const size_t *argvlen)
{
    if (c->closing || argc < 1)
        return -1;
    return is_unsupported(argv[0],
                          argvlen != NULL ? argvlen[0] : strlen(argv[0]))
               ? -1
               : 0;
}

static cmd *new_cmd(redis_client *c, redis_client_reply_cb cb, void *data,
                    int argc, const char **argv, const size_t *argvlen)
{
    cmd *m = xcalloc(1, sizeof(*m));
    int len = redisFormatCommandArgv(&m->buf, argc, argv, argvlen);

    if (len < 0) {
        fprintf(stderr, "redis_client: out of memory\n");
        abort();
    }
    m->len = (size_t)len;
    m->client = c;
    m->cb = cb;
    m->data = data;
    return m;
}

int redis_client_write(redis_client *c, redis_client_reply_cb cb, void *data,
                       int argc, const char **argv, const size_t *argvlen)
{
    cmd *m;

    if (check_args(c, argc, argv, argvlen) != 0 || c->n_writes >= c->max_queue)
        return -1;
    m = new_cmd(c, cb, data, argc, argv, argvlen);
    m->is_write = 1;
    fifo_push(&c->writes, m, 1);
    c->n_writes++;
    if (c->unsent == NULL)
        c->unsent = m;
    flush_writes(c);
    return 0;
}

int redis_client_read(redis_client *c, redis_client_reply_cb cb, void *data,
                      int argc, const char **argv, const size_t *argvlen)
{
    cmd *m;

    if (cb == NULL || check_args(c, argc, argv, argvlen) != 0)
        return -1;
    m = new_cmd(c, cb, data, argc, argv, argvlen);
    if (c->state == REDIS_CLIENT_CONNECTED && send_cmd(c, m) == 0) {
        redisFreeCommand(
            m->buf); /* hiredis copied it; reads are never re-sent */
        m->buf = NULL;
        return 0;
    }
    fifo_push(&c->failing, m, 0);
    uv_idle_start(&c->fail_idle, fail_idle_cb);
    return 0;
}

redis_client_state redis_client_get_state(const redis_client *c)
{
    return c->state;
}

size_t redis_client_queue_depth(const redis_client *c)
{
    return c->n_writes;
}

redis_client_stats redis_client_get_stats(const redis_client *c)
{
    return c->stats;
}
