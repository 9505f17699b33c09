/* handle_join: entering a session, resuming what a client missed (from
 * the ring, or from storage for older events), and presence. A joined
 * answer lists, per channel, the missed events (recovered) or the latest
 * page (not recovered), as docs/protocol.md section 4 says. */
#include "server/app/app_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/session_store.h"

#define PAGE 50
#define MAX_RECOVER 500
#define JOIN_CHANNELS 2

typedef struct join_chan {
    char name[CHANNEL_NAME_MAX + 1];
    channel *ch;
    int recovered;
    int64_t from, to;
    app_event *events;
    size_t n;
} join_chan;

typedef struct join_ctx {
    conn *c;
    int pending;
    join_chan chans[JOIN_CHANNELS];
    int nchans;
} join_ctx;

void app__handle_join(conn *c, proto_msg *msg)
{
    if (c->state != CONN_AUTHED) {
        app__send_error(c, PROTO_ERR_BAD_MESSAGE,
                        "this connection has already joined", msg->ref, NULL);
        return;
    }
    c->nsince = msg->u.join.nsince;
    if (c->nsince > 0) {
        c->since = malloc((size_t)c->nsince * sizeof(*c->since));
        if (c->since == NULL)
            abort();
        memcpy(c->since, msg->u.join.since,
               (size_t)c->nsince * sizeof(*c->since));
    }
    c->resumed = c->nsince > 0;
    snprintf(c->join_ref, sizeof(c->join_ref), "%s", msg->ref);
    app__sess_join(c->app, c);
}

static const proto_since *find_since(const conn *c, const char *name)
{
    for (int i = 0; i < c->nsince; i++)
        if (strcmp(c->since[i].channel, name) == 0)
            return &c->since[i];
    return NULL;
}

/* Decides, for one channel, whether the client can be brought up to date
 * and which offsets it needs. */
static void plan(const session *s, const conn *c, join_chan *jc)
{
    channel *ch = jc->ch;
    const proto_since *sp = find_since(c, jc->name);
    int same = sp && strcmp(sp->epoch, s->epoch) == 0;
    int prev = sp && s->prev_epoch[0] &&
               strcmp(sp->epoch, s->prev_epoch) == 0 && sp->offset <= ch->base;
    if ((same || prev) && sp->offset <= ch->top &&
        ch->top - sp->offset <= MAX_RECOVER) {
        jc->recovered = 1;
        jc->from = sp->offset + 1;
    } else {
        jc->recovered = 0;
        jc->from = ch->top - PAGE + 1 > 1 ? ch->top - PAGE + 1 : 1;
    }
    jc->to = ch->top;
}

static void free_ctx(join_ctx *ctx)
{
    for (int i = 0; i < ctx->nchans; i++) {
        for (size_t j = 0; j < ctx->chans[i].n; j++)
            free((char *)ctx->chans[i].events[j].raw.json);
        free(ctx->chans[i].events);
    }
    app__conn_unref(ctx->c);
    free(ctx);
}

/* Adds ring events newer than jc->to (appended while storage answered),
 * and checks that a recovery has no gap. */
static void complete(join_chan *jc)
{
    channel *ch = jc->ch;
    size_t extra = (size_t)(ch->top - jc->to);
    jc->events = realloc(jc->events, (jc->n + extra + 1) * sizeof(app_event));
    if (jc->events == NULL)
        abort();
    for (int64_t off = jc->to + 1; off <= ch->top; off++) {
        const channel_event *e = channel_get(ch, off);
        if (e == NULL)
            continue;
        char *copy = strndup(e->data, e->len);
        if (copy == NULL)
            abort();
        jc->events[jc->n++] = (app_event){off, {copy, e->len}};
    }
    jc->to = ch->top;
    for (size_t i = 0; jc->recovered && i < jc->n; i++)
        if (jc->events[i].offset != jc->from + (int64_t)i)
            jc->recovered = 0;
    if (jc->recovered && jc->from + (int64_t)jc->n != jc->to + 1)
        jc->recovered = 0;
}

static void link_member_conn(conn *c)
{
    member *m = c->member;
    member_conns *mc = m->user;
    if (mc == NULL) {
        mc = calloc(1, sizeof(*mc));
        if (mc == NULL)
            abort();
        m->user = mc;
    }
    c->mprev = NULL;
    c->mnext = mc->head;
    if (mc->head)
        mc->head->mprev = c;
    mc->head = c;
}

static void send_joined(join_ctx *ctx)
{
    conn *c = ctx->c;
    session *s = c->sess->s;
    proto_channel_state states[JOIN_CHANNELS];
    proto_raw *raws[JOIN_CHANNELS];
    for (int i = 0; i < ctx->nchans; i++) {
        join_chan *jc = &ctx->chans[i];
        complete(jc);
        raws[i] = calloc(jc->n + 1, sizeof(proto_raw));
        if (raws[i] == NULL)
            abort();
        for (size_t j = 0; j < jc->n; j++)
            raws[i][j] = jc->events[j].raw;
        states[i] = (proto_channel_state){jc->name, jc->ch->top, jc->recovered,
                                          raws[i], jc->n};
    }
    proto_member *members = calloc(s->nmembers + 1, sizeof(*members));
    const char(*langs)[MEMBER_LANGS_MAX] =
        calloc(s->nmembers + 1, sizeof(*langs));
    if (members == NULL || langs == NULL)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < s->nmembers; i++)
        if (s->members[i]->online > 0) {
            members[n] = app__member(s->members[i], (const char **)langs[n]);
            n++;
        }
    size_t len;
    char *buf = proto_encode_joined(s->id, c->member->room, s->epoch,
                                    app__wall_ms(), members, n, states,
                                    (size_t)ctx->nchans, c->join_ref, &len);
    buf = app__audio_joined(c, buf, &len);
    buf = app__live_joined(c, buf, &len);
    app__send_buf(c, buf, len);
    free(members);
    free((void *)langs);
    for (int i = 0; i < ctx->nchans; i++)
        free(raws[i]);
}

static void finish_join(join_ctx *ctx)
{
    conn *c = ctx->c;
    if (c->state != CONN_JOINING) {
        free_ctx(ctx);
        return;
    }
    member *m = c->member;
    member_conns *mc = m->user;
    if (mc == NULL || mc->head == NULL) {
        app *a = c->app;
        session_store_presence(a->store, c->sess->id, a->cfg.node_id,
                               m->info.id, 1, 15);
        app__presence(c->sess, m, "join");
    }
    send_joined(ctx);
    link_member_conn(c);
    c->state = CONN_JOINED;
    app__round_joined(c);
    free_ctx(ctx);
}

static void events_cb(const app_event *events, size_t n, const char *err,
                      void *data)
{
    join_chan *jc = data;
    jc->events = calloc(n + 1, sizeof(app_event));
    if (jc->events == NULL)
        abort();
    for (size_t i = 0; i < n; i++) {
        char *copy = strndup(events[i].raw.json, events[i].raw.len);
        if (copy == NULL)
            abort();
        jc->events[i] =
            (app_event){events[i].offset, {copy, events[i].raw.len}};
    }
    jc->n = n;
    if (err)
        jc->recovered = 0;
}

typedef struct chan_req {
    join_ctx *ctx;
    join_chan *jc;
} chan_req;

static void chan_done_cb(const app_event *events, size_t n, const char *err,
                         void *data)
{
    chan_req *r = data;
    join_ctx *ctx = r->ctx;
    events_cb(events, n, err, r->jc);
    free(r);
    if (--ctx->pending == 0)
        finish_join(ctx);
}

void app__join_ready(conn *c)
{
    session *s = c->sess->s;
    int first;
    if (session_connect(s, &c->info, &c->member, &first) != SESSION_OK) {
        c->state = CONN_AUTHED;
        app__send_error(c, PROTO_ERR_INTERNAL, "cannot join", NULL, NULL);
        return;
    }
    session_store_roster_add(c->app->store, s->id, c->info.id);
    app__round_on_join(c);
    join_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        abort();
    ctx->c = app__conn_ref(c);
    const char *names[JOIN_CHANNELS] = {"room:", "user:"};
    const char *ids[JOIN_CHANNELS] = {c->member->room, c->info.id};
    for (int i = 0; i < JOIN_CHANNELS; i++) {
        join_chan *jc = &ctx->chans[ctx->nchans++];
        snprintf(jc->name, sizeof(jc->name), "%s%s", names[i], ids[i]);
        jc->ch = session_channel(s, jc->name);
        plan(s, c, jc);
    }
    ctx->pending = ctx->nchans + 1;
    for (int i = 0; i < ctx->nchans; i++) {
        chan_req *r = malloc(sizeof(*r));
        if (r == NULL)
            abort();
        *r = (chan_req){ctx, &ctx->chans[i]};
        app__events(c->sess, ctx->chans[i].ch, ctx->chans[i].from,
                    ctx->chans[i].to, chan_done_cb, r);
    }
    if (--ctx->pending == 0)
        finish_join(ctx);
}

void app__presence(sess *ss, member *m, const char *what)
{
    const char *langs[MEMBER_LANGS_MAX];
    proto_member pm = app__member(m, langs);
    size_t len;
    char *buf = proto_encode_presence(what, &pm, &len);
    frame *f = frame_take(buf, len, 0);
    app__fanout_room(ss, NULL, f);
    frame_unref(f);
}

void app__leave(conn *c)
{
    member *m = c->member;
    member_conns *mc = m->user;
    if (c->mprev)
        c->mprev->mnext = c->mnext;
    else if (mc)
        mc->head = c->mnext;
    if (c->mnext)
        c->mnext->mprev = c->mprev;
    c->mprev = c->mnext = NULL;
    c->state = CONN_AUTHED;
    session_disconnect(c->sess->s, m);
    if (mc == NULL || mc->head == NULL) {
        app *a = c->app;
        session_store_presence(a->store, c->sess->id, a->cfg.node_id,
                               m->info.id, 0, 15);
        app__presence(c->sess, m, "leave");
    }
}
