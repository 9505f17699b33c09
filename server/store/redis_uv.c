/* redis_uv: the hiredis <-> libuv adapter. It owns one uv_poll handle per
 * hiredis async context and turns hiredis's add/del read/write hooks into
 * uv_poll_start/stop. Called by hiredis (through the ev hooks) and attached
 * by redis_client.c. */
#include "server/store/redis_uv.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct redis_uv {
    redisAsyncContext *ac; /* NULL once hiredis has freed the context */
    uv_poll_t poll;
    int events; /* UV_READABLE | UV_WRITABLE that hiredis asked for */
} redis_uv;

static void poll_cb(uv_poll_t *handle, int status, int events)
{
    redis_uv *p = handle->data;

    if (status < 0) {
        /* libuv has stopped the handle and reports no events. Let hiredis
         * find the socket error itself: while connecting, its write path
         * reads SO_ERROR and calls the connect callback with an error;
         * once connected, read() fails and the disconnect callback fires.
         * Either way hiredis frees ac and cleanup_cb clears p->ac. */
        if (p->ac != NULL && !(p->ac->c.flags & REDIS_CONNECTED))
            redisAsyncHandleWrite(p->ac);
        else if (p->ac != NULL)
            redisAsyncHandleRead(p->ac);
        /* hiredis saw nothing wrong: keep watching the socket. */
        if (p->ac != NULL && p->events != 0 &&
            !uv_is_active((uv_handle_t *)handle))
            uv_poll_start(handle, p->events, poll_cb);
        return;
    }
    if (p->ac != NULL && (events & UV_READABLE))
        redisAsyncHandleRead(p->ac);
    if (p->ac != NULL && (events & UV_WRITABLE))
        redisAsyncHandleWrite(p->ac);
}

/* Restarts the poll only when the wanted events change (or libuv stopped
 * it), so hiredis's re-arm after every read costs no epoll_ctl. */
static void set_events(redis_uv *p, int events)
{
    if (events == p->events &&
        (events == 0 || uv_is_active((uv_handle_t *)&p->poll)))
        return;
    p->events = events;
    if (events != 0)
        uv_poll_start(&p->poll, events, poll_cb);
    else
        uv_poll_stop(&p->poll);
}

static void add_read_cb(void *privdata)
{
    redis_uv *p = privdata;
    set_events(p, p->events | UV_READABLE);
}

static void del_read_cb(void *privdata)
{
    redis_uv *p = privdata;
    set_events(p, p->events & ~UV_READABLE);
}

static void add_write_cb(void *privdata)
{
    redis_uv *p = privdata;
    set_events(p, p->events | UV_WRITABLE);
}

static void del_write_cb(void *privdata)
{
    redis_uv *p = privdata;
    set_events(p, p->events & ~UV_WRITABLE);
}

static void close_cb(uv_handle_t *handle)
{
    free(handle->data);
}

/* hiredis calls this once, while freeing ac, before it closes the socket. */
static void cleanup_cb(void *privdata)
{
    redis_uv *p = privdata;
    p->ac->ev.data = NULL;
    p->ac = NULL;
    uv_close((uv_handle_t *)&p->poll, close_cb);
}

int redis_uv_attach(redisAsyncContext *ac, uv_loop_t *loop)
{
    redis_uv *p;

    if (ac->ev.data != NULL)
        return -1;
    p = calloc(1, sizeof(*p));
    if (p == NULL) {
        fprintf(stderr, "redis_uv: out of memory\n");
        abort();
    }
    if (uv_poll_init(loop, &p->poll, ac->c.fd) != 0) {
        free(p);
        return -1;
    }
    p->poll.data = p;
    p->ac = ac;
    ac->ev.data = p;
    ac->ev.addRead = add_read_cb;
    ac->ev.delRead = del_read_cb;
    ac->ev.addWrite = add_write_cb;
    ac->ev.delWrite = del_write_cb;
    ac->ev.cleanup = cleanup_cb;
    return 0;
}
