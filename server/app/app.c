/* app: the application's lifecycle, its timers (unauthenticated sockets,
 * presence heartbeat), the list of connections, and the send path shared
 * by every handler. main.c creates it; server/net feeds it. */
#include "server/app/app_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/store/session_store.h"

#define SWEEP_MS 1000
#define HEARTBEAT_MS 5000
#define PRESENCE_TTL_S 15

uint64_t app__now(const app *a)
{
    return uv_now(a->loop);
}

int64_t app__wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sweep_cb(uv_timer_t *t)
{
    app *a = t->data;
    uint64_t now = app__now(a);
    for (conn *c = a->conns; c; c = c->next) {
        if (c->state == CONN_NEW &&
            now - c->opened_ms >= a->cfg.auth_timeout_ms) {
            a->m.closes_4001++;
            app__close(c, 4001, "authentication timeout");
        }
    }
}

static void heartbeat_cb(uv_timer_t *t)
{
    app *a = t->data;
    const char **sids = calloc(a->nsessions + 1, sizeof(*sids));
    if (sids == NULL)
        abort();
    size_t n = 0;
    for (sess *ss = a->sessions; ss; ss = ss->next)
        if (ss->state == SESS_READY && ss->s->online > 0)
            sids[n++] = ss->id;
    if (redis_client_get_state(a->store) == REDIS_CLIENT_CONNECTED)
        session_store_heartbeat(a->store, a->cfg.node_id, sids, n,
                                PRESENCE_TTL_S);
    free(sids);
}

/* Writes are coalesced in time. Each write is a send() whose cost (most of
 * it the kernel's TCP path) hardly depends on its size, so a connection
 * should be flushed once for as many frames as possible: a queue that becomes
 * non-empty asks for its write at the end of the loop pass (all fan-outs of
 * that pass leave together), and a queue flushed less than HOT_FACTOR *
 * cfg.flush_ms ago, when frames come in faster than that, waits up to
 * cfg.flush_ms for more. A connection that gets frames less often gets each at
 * once, since waiting would rarely save a write. */
#define HOT_FACTOR 5

static void push(struct app_flush *l, conn *c)
{
    if (l->tail)
        l->tail->flush_next = c;
    else
        l->head = c;
    l->tail = c;
}

/* Asks for a writable callback for every queue on l, once each. */
static void flush_list(app *a, struct app_flush *l)
{
    conn *c = l->head;
    uint64_t now = app__now(a);
    l->head = l->tail = NULL;
    while (c) {
        conn *next = c->flush_next;
        c->flush_next = NULL;
        c->flush_queued = 0;
        c->flushed_ms = now;
        if (c->state != CONN_GONE && conn_wants_write(c))
            c->ops->want_write(c->handle);
        app__conn_unref(c);
        c = next;
    }
}

static void flush_check_cb(uv_check_t *h)
{
    app *a = h->data;
    if (a->soon.head)
        flush_list(a, &a->soon);
}

static void flush_timer_cb(uv_timer_t *t)
{
    app *a = t->data;
    flush_list(a, &a->later);
}

/* Puts c on a flush list (once); the list holds a reference. */
static void flush_later(conn *c)
{
    app *a = c->app;
    if (c->flush_queued)
        return;
    c->flush_queued = 1;
    app__conn_ref(c);
    int hot = a->cfg.flush_ms > 0 && c->flushed_ms != 0 &&
              app__now(a) - c->flushed_ms < HOT_FACTOR * a->cfg.flush_ms;
    if (!hot) {
        push(&a->soon, c);
        return;
    }
    push(&a->later, c);
    if (!uv_is_active((uv_handle_t *)&a->flush_timer))
        uv_timer_start(&a->flush_timer, flush_timer_cb, a->cfg.flush_ms, 0);
}

void *app__need(void *p)
{
    if (p == NULL)
        abort();
    return p;
}

app *app_new(uv_loop_t *loop, const app_config *cfg, redis_client *store)
{
    app *a = calloc(1, sizeof(*a));
    if (a == NULL)
        abort();
    a->loop = loop;
    a->cfg = *cfg;
    a->store = store;
    a->next_conn_id = 1;
    uv_timer_init(loop, &a->sweep);
    uv_timer_init(loop, &a->heartbeat);
    a->sweep.data = a->heartbeat.data = a;
    uv_timer_start(&a->sweep, sweep_cb, SWEEP_MS, SWEEP_MS);
    uv_timer_start(&a->heartbeat, heartbeat_cb, 0, HEARTBEAT_MS);
    uv_check_init(loop, &a->flush_check);
    uv_timer_init(loop, &a->flush_timer);
    a->flush_check.data = a->flush_timer.data = a;
    uv_check_start(&a->flush_check, flush_check_cb);
    app__live_timer_start(a);
    app__audio_init(a);
    return a;
}

void app_shutdown(app *a)
{
    a->shutting_down = 1;
    uv_timer_stop(&a->sweep);
    uv_timer_stop(&a->heartbeat);
    uv_close((uv_handle_t *)&a->sweep, NULL);
    uv_close((uv_handle_t *)&a->heartbeat, NULL);
    /* From here on queues ask for their writes at once (app__send). */
    flush_list(a, &a->soon);
    flush_list(a, &a->later);
    uv_check_stop(&a->flush_check);
    uv_timer_stop(&a->flush_timer);
    uv_close((uv_handle_t *)&a->flush_check, NULL);
    uv_close((uv_handle_t *)&a->flush_timer, NULL);
    app__live_timer_stop(a);
    app__audio_shutdown(a);
    app__round_shutdown(a);
    for (conn *c = a->conns; c; c = c->next)
        app__close(c, 1001, "server shutting down, reconnect");
}

static void sess_free(sess *ss)
{
    app__audio_sess_free(ss);
    app__round_free(ss);
    if (ss->s) {
        for (size_t i = 0; i < ss->s->nmembers; i++)
            free(ss->s->members[i]->user);
        session_free(ss->s);
    }
    app__live_free(ss->live);
    free(ss->waiting);
    free(ss);
}

void app_free(app *a)
{
    if (a == NULL)
        return;
    while (a->sessions) {
        sess *next = a->sessions->next;
        sess_free(a->sessions);
        a->sessions = next;
    }
    app__prog_free(a);
    app__audio_free(a);
    free(a);
}

conn *app__conn_ref(conn *c)
{
    c->refs++;
    return c;
}

void app__conn_unref(conn *c)
{
    if (--c->refs > 0)
        return;
    app__audio_conn_free(c);
    outq_clear(&c->out);
    free(c->since);
    free(c);
}

void app__send(conn *c, frame *f)
{
    if (c->state == CONN_GONE || c->state == CONN_CLOSING)
        return;
    /* A non-empty queue already has a write coming: a flush (flush_later)
     * or a WRITEABLE callback (net/ws.c asks again after each write while
     * frames are left). */
    int idle = c->out.count == 0;
    if (outq_push(&c->out, f) != 0) {
        c->app->m.closes_4008++;
        app__close(c, 4008, "send queue overflow: reading too slowly");
        return;
    }
    if (!idle)
        return;
    if (c->app->shutting_down)
        c->ops->want_write(c->handle);
    else
        flush_later(c);
}

void app__send_buf(conn *c, char *buf, size_t len)
{
    frame *f = frame_take(buf, len, 0);
    app__send(c, f);
    frame_unref(f);
}

void app__send_error(conn *c, proto_error e, const char *message,
                     const char *ref, const char *id)
{
    size_t len;
    c->app->m.errors[e]++;
    char *buf = proto_encode_error(e, message, ref, id, &len);
    app__send_buf(c, buf, len);
}

void app__detach(conn *c)
{
    app__audio_detach(c);
    if (c->state == CONN_JOINED)
        app__leave(c);
    else if (c->state == CONN_JOINING && c->member)
        session_disconnect(c->sess->s, c->member);
    c->member = NULL;
}

void app__close(conn *c, int code, const char *reason)
{
    if (c->state == CONN_GONE || c->state == CONN_CLOSING)
        return;
    app__detach(c);
    c->state = CONN_CLOSING;
    c->close_code = code;
    c->close_reason = reason;
    c->ops->want_write(c->handle);
}

proto_member app__member(const member *m, const char **langs)
{
    for (int i = 0; i < m->info.nlangs && i < MEMBER_LANGS_MAX; i++)
        langs[i] = m->info.langs[i];
    return (proto_member){
        .id = m->info.id,
        .name = m->info.name,
        .role = perm_role_name(m->info.role),
        .country = m->info.country,
        .langs = langs,
        .nlangs = m->info.nlangs,
        .room = m->room,
        .online = m->online > 0,
    };
}

void app_count_origin_refused(app *a)
{
    a->m.origin_refused++;
}
