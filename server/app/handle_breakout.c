/* handle_breakout: what happens inside an open round's breakouts: the
 * coordinator's broadcast into every breakout channel (a resend with the
 * same id is answered with the original ack, not delivered again), a
 * member's notes (kept in the breakout channel, shown in the main room at
 * the close), asking for help (a queue that coordinators and experts see and
 * resolve), and visiting a breakout (coordinators and experts join it as
 * visitors and leave again). */
#include "server/app/round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int open_round(conn *c, const char *ref)
{
    if (app__round(c->sess)->state == ROUND_OPEN)
        return 1;
    app__send_error(c, PROTO_ERR_NO_ROUND, "no round is open", ref, NULL);
    return 0;
}

static int allowed(conn *c, action act, const char *why, const char *ref)
{
    if (perm_allows(c->info.role, act))
        return 1;
    app__send_error(c, PROTO_ERR_FORBIDDEN, why, ref, NULL);
    return 0;
}

/* The breakout of the open round the sender is in (as member or visitor),
 * or NULL after a not_in_breakout error. */
static round_group *my_breakout(conn *c, const char *ref)
{
    round_group *g =
        app__round_group_by_room(app__round(c->sess), c->member->room);
    if (g == NULL)
        app__send_error(c, PROTO_ERR_NOT_IN_BREAKOUT,
                        "you are not in a breakout of the open round", ref,
                        NULL);
    return g;
}

/* ---- broadcast ---- */

/* A broadcast kept for retries: a resend with the same id (after a
 * reconnect) gets the original ack instead of a second delivery. The
 * round keeps the latest BCAST_KEEP (r->bcasts, newest first); older ids
 * are found in the session's dedup table and in storage. */
#define BCAST_KEEP 16

struct round_bcast {
    struct round_bcast *next;
    sess *ss; /* NULL once the round is freed while writes are pending */
    char user[SESSION_ID_MAX + 1];
    char id[PROTO_MAX_ID + 1];
    uint64_t waiter; /* the connection to acknowledge, and its ref */
    char ref[PROTO_MAX_ID + 1];
    proto_offset *chs;
    char (*names)[CHANNEL_NAME_MAX + 1];
    size_t n;
    int writes, failed, stored;
};

static void bcast_free(struct round_bcast *b)
{
    free(b->chs);
    free(b->names);
    free(b);
}

void app__round_bcasts_free(breakout_round *r)
{
    struct round_bcast *b = r->bcasts, *next;
    for (; b; b = next) {
        next = b->next;
        b->next = NULL;
        if (b->writes > 0)
            b->ss = NULL; /* freed by its last write */
        else
            bcast_free(b);
    }
    r->bcasts = NULL;
}

static struct round_bcast *bcast_find(breakout_round *r, const char *user,
                                      const char *id)
{
    for (struct round_bcast *b = r->bcasts; b; b = b->next)
        if (!strcmp(b->user, user) && !strcmp(b->id, id))
            return b;
    return NULL;
}

/* Unlinks b from the round's list. */
static void bcast_unlink(breakout_round *r, struct round_bcast *b)
{
    for (struct round_bcast **p = &r->bcasts; *p; p = &(*p)->next)
        if (*p == b) {
            *p = b->next;
            return;
        }
}

/* Drops the oldest finished records beyond BCAST_KEEP. */
static void bcast_trim(breakout_round *r)
{
    size_t n = 0;
    struct round_bcast **p = &r->bcasts;
    while (*p) {
        struct round_bcast *b = *p;
        if (++n > BCAST_KEEP && b->writes == 0) {
            *p = b->next;
            bcast_free(b);
            continue;
        }
        p = &b->next;
    }
}

static void send_bcast_ack(conn *c, const char *id, const proto_offset *chs,
                           size_t n, const char *ref)
{
    size_t len;
    char *buf = proto_encode_broadcast_ack(id, chs, n, ref, &len);
    app__send_buf(c, buf, len);
}

static void bcast_stored_cb(const char *err, void *data)
{
    struct round_bcast *b = data;
    if (err)
        b->failed = 1;
    if (--b->writes > 0)
        return;
    if (b->ss == NULL) { /* the round is gone */
        bcast_free(b);
        return;
    }
    sess *ss = b->ss;
    member *m = session_member(ss->s, b->user);
    conn *c = m ? app__member_conn(m, b->waiter) : NULL;
    if (b->failed) {
        /* Not stored: a resend is delivered again, so forget it. */
        if (c)
            app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                            "the broadcast could not be stored everywhere",
                            b->ref, b->id);
        bcast_unlink(app__round(ss), b);
        bcast_free(b);
        return;
    }
    b->stored = 1;
    if (b->n > 0) {
        dedup_entry *e = dedup_put(ss->s->dedup, b->user, b->id,
                                   b->chs[0].channel, b->chs[0].offset);
        if (e)
            e->stored = 1;
    }
    if (c)
        send_bcast_ack(c, b->id, b->chs, b->n, b->ref);
    bcast_trim(app__round(ss));
}

/* Keeps the broadcast in every breakout of the open round. */
static void deliver_bcast(conn *c, const char *ref, const char *id,
                          const char *text, size_t text_len)
{
    sess *ss = c->sess;
    breakout_round *r = app__round(ss);
    struct round_bcast *b = app__need(calloc(1, sizeof(*b)));
    b->ss = ss;
    b->waiter = c->id;
    snprintf(b->user, sizeof(b->user), "%s", c->info.id);
    snprintf(b->id, sizeof(b->id), "%s", id);
    snprintf(b->ref, sizeof(b->ref), "%s", ref);
    b->chs = app__need(calloc(r->ngroups + 1, sizeof(*b->chs)));
    b->names = app__need(calloc(r->ngroups + 1, sizeof(*b->names)));
    b->writes = 1; /* held until every write is issued */
    b->next = r->bcasts;
    r->bcasts = b;
    const char *langs[MEMBER_LANGS_MAX];
    proto_member from = app__member(c->member, langs);
    int64_t ts = app__wall_ms();
    for (size_t i = 0; i < r->ngroups; i++) {
        room *rm = r->groups[i].room[0] ? session_room(ss->s, r->groups[i].room)
                                        : NULL;
        if (rm == NULL)
            continue;
        channel *ch = rm->log;
        int64_t off = channel_next_offset(ch);
        snprintf(b->names[b->n], sizeof(b->names[0]), "%s", ch->name);
        b->chs[b->n] = (proto_offset){b->names[b->n], off};
        size_t len;
        char *buf = proto_encode_broadcast(ch->name, off, id, &from, text,
                                           text_len, ts, &len);
        b->writes++;
        /* Storage remembers the id with the first breakout's copy. */
        app__round_keep(ss, ch, buf, len, b->n == 0 ? b->user : NULL,
                        b->n == 0 ? b->id : NULL, bcast_stored_cb, b);
        b->n++;
    }
    bcast_stored_cb(NULL, b); /* releases the hold */
}

/* Answers a resend from memory; returns 0 when the id is new here. */
static int resent(conn *c, const char *ref, const char *id)
{
    sess *ss = c->sess;
    struct round_bcast *b = bcast_find(app__round(ss), c->info.id, id);
    if (b && b->stored) {
        send_bcast_ack(c, id, b->chs, b->n, ref);
    } else if (b) { /* still being stored: this connection gets the ack */
        b->waiter = c->id;
        snprintf(b->ref, sizeof(b->ref), "%s", ref);
    } else {
        dedup_entry *e = dedup_find(ss->s->dedup, c->info.id, id);
        if (e == NULL || !e->stored)
            return 0;
        proto_offset one = {e->channel, e->offset};
        send_bcast_ack(c, id, &one, 1, ref);
    }
    return 1;
}

typedef struct bcast_check {
    sess *ss;
    uint64_t conn_id;
    char user[SESSION_ID_MAX + 1];
    char id[PROTO_MAX_ID + 1];
    char ref[PROTO_MAX_ID + 1];
    char *text;
    size_t text_len;
} bcast_check;

/* Storage answered whether a resumed coordinator's id was kept before. */
static void bcast_checked_cb(int found, const char *chan, int64_t offset,
                             const char *err, void *data)
{
    bcast_check *k = data;
    member *m = session_member(k->ss->s, k->user);
    conn *c = m ? app__member_conn(m, k->conn_id) : NULL;
    (void)err; /* storage unknown: deliver */
    if (c == NULL || c->state != CONN_JOINED || resent(c, k->ref, k->id)) {
        /* gone, or answered from memory */
    } else if (found) {
        /* Remembered here too, so a further resend asks storage no more. */
        dedup_entry *e =
            dedup_put(k->ss->s->dedup, k->user, k->id, chan, offset);
        if (e)
            e->stored = 1;
        proto_offset one = {chan, offset};
        send_bcast_ack(c, k->id, &one, 1, k->ref);
    } else if (app__round(k->ss)->state != ROUND_OPEN) {
        app__send_error(c, PROTO_ERR_NO_ROUND, "no round is open", k->ref,
                        NULL);
    } else {
        deliver_bcast(c, k->ref, k->id, k->text, k->text_len);
    }
    free(k->text);
    free(k);
}

void app__handle_broadcast(conn *c, proto_msg *msg)
{
    const proto_broadcast *pb = &msg->u.broadcast;
    if (!allowed(c, ACTION_ROUND_MANAGE,
                 "only coordinators broadcast to the breakouts", msg->ref) ||
        !open_round(c, msg->ref) || resent(c, msg->ref, pb->id))
        return;
    if (c->resumed &&
        redis_client_get_state(c->app->store) == REDIS_CLIENT_CONNECTED) {
        bcast_check *k = app__need(calloc(1, sizeof(*k)));
        k->ss = c->sess;
        k->conn_id = c->id;
        snprintf(k->user, sizeof(k->user), "%s", c->info.id);
        snprintf(k->id, sizeof(k->id), "%s", pb->id);
        snprintf(k->ref, sizeof(k->ref), "%s", msg->ref);
        k->text = app__need(malloc(pb->text_len + 1));
        memcpy(k->text, pb->text, pb->text_len);
        k->text[pb->text_len] = '\0';
        k->text_len = pb->text_len;
        if (session_store_dedup_get(c->app->store, c->sess->id, c->info.id,
                                    pb->id, bcast_checked_cb, k) == 0)
            return;
        free(k->text);
        free(k);
    }
    deliver_bcast(c, msg->ref, pb->id, pb->text, pb->text_len);
}

/* ---- notes ---- */

typedef struct note_req {
    sess *ss;
    char user[SESSION_ID_MAX + 1];
    char id[PROTO_MAX_ID + 1];
    char channel[CHANNEL_NAME_MAX + 1];
    int64_t offset;
    uint64_t conn_id;
    char ref[PROTO_MAX_ID + 1];
} note_req;

static void send_ack(conn *c, const char *id, const char *chan, int64_t offset,
                     const char *ref)
{
    size_t len;
    char *buf = proto_encode_ack(id, chan, offset, ref, &len);
    app__send_buf(c, buf, len);
}

static void note_stored_cb(const char *err, void *data)
{
    note_req *n = data;
    member *m = session_member(n->ss->s, n->user);
    dedup_entry *e = dedup_find(n->ss->s->dedup, n->user, n->id);
    uint64_t conn_id = n->conn_id;
    const char *ref = n->ref;
    if (e && !err) {
        e->stored = 1;
        if (e->waiter) {
            conn_id = e->waiter;
            ref = e->waiter_ref;
        }
    }
    conn *c = m ? app__member_conn(m, conn_id) : NULL;
    if (c && err)
        app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                        "the note could not be stored", ref, n->id);
    else if (c)
        send_ack(c, n->id, n->channel, n->offset, ref);
    free(n);
}

void app__handle_breakout_note(conn *c, proto_msg *msg)
{
    const proto_breakout_note *pn = &msg->u.breakout_note;
    sess *ss = c->sess;
    if (!allowed(c, ACTION_BREAKOUT_NOTE, "your role may not write notes",
                 msg->ref) ||
        !open_round(c, msg->ref))
        return;
    round_group *g = my_breakout(c, msg->ref);
    if (g == NULL)
        return;
    dedup_entry *e = dedup_find(ss->s->dedup, c->info.id, pn->id);
    if (e) { /* a resend: answer with the original */
        if (e->stored) {
            send_ack(c, pn->id, e->channel, e->offset, msg->ref);
        } else {
            e->waiter = c->id;
            snprintf(e->waiter_ref, sizeof(e->waiter_ref), "%s", msg->ref);
        }
        return;
    }
    breakout_round *r = app__round(ss);
    size_t mine = 0;
    for (size_t i = 0; i < r->nnotes; i++)
        mine += !strcmp(r->notes[i].user, c->info.id);
    if (mine >= ROUND_NOTES_MAX) {
        app__send_error(c, PROTO_ERR_TOO_MANY,
                        "at most 20 notes per person in a round", msg->ref,
                        pn->id);
        return;
    }
    channel *ch = session_room(ss->s, g->room)->log;
    note_req *n = app__need(calloc(1, sizeof(*n)));
    *n = (note_req){
        .ss = ss, .offset = channel_next_offset(ch), .conn_id = c->id};
    snprintf(n->user, sizeof(n->user), "%s", c->info.id);
    snprintf(n->id, sizeof(n->id), "%s", pn->id);
    snprintf(n->channel, sizeof(n->channel), "%s", ch->name);
    snprintf(n->ref, sizeof(n->ref), "%s", msg->ref);
    dedup_put(ss->s->dedup, c->info.id, pn->id, ch->name, n->offset);
    r->notes =
        app__need(realloc(r->notes, (r->nnotes + 1) * sizeof(*r->notes)));
    round_note *rn = &r->notes[r->nnotes++];
    memset(rn, 0, sizeof(*rn));
    snprintf(rn->id, sizeof(rn->id), "%s", pn->id);
    snprintf(rn->room, sizeof(rn->room), "%s", g->room);
    snprintf(rn->user, sizeof(rn->user), "%s", c->info.id);
    rn->text = app__need(malloc(pn->text_len + 1));
    memcpy(rn->text, pn->text, pn->text_len + 1);
    rn->text_len = pn->text_len;
    rn->ts = app__wall_ms();
    app__round_person(r, c->info.id, c->info.name, c->info.country);
    const char *langs[MEMBER_LANGS_MAX];
    proto_member from = app__member(c->member, langs);
    size_t len;
    char *buf =
        proto_encode_breakout_note(ch->name, n->offset, pn->id, &from, pn->text,
                                   pn->text_len, rn->ts, &len);
    app__round_changed(ss, NULL, NULL, 0);
    app__round_keep(ss, ch, buf, len, c->info.id, pn->id, note_stored_cb, n);
}

/* ---- help ---- */

static proto_help_request help_view(sess *ss, const round_help *h,
                                    proto_person *who)
{
    member *m = session_member(ss->s, h->user);
    *who =
        (proto_person){h->user, m && m->info.name[0] ? m->info.name : h->user,
                       m ? m->info.country : NULL};
    return (proto_help_request){h->id, *who, h->room, h->text, h->ts};
}

void app__handle_help_ask(conn *c, proto_msg *msg)
{
    sess *ss = c->sess;
    if (!allowed(c, ACTION_HELP_ASK,
                 "only entrepreneurs in a breakout ask for help", msg->ref) ||
        !open_round(c, msg->ref))
        return;
    round_group *g = my_breakout(c, msg->ref);
    if (g == NULL)
        return;
    breakout_round *r = app__round(ss);
    round_help *h = NULL;
    for (size_t i = 0; i < r->nhelp && !h; i++)
        if (!strcmp(r->help[i].user, c->info.id))
            h = &r->help[i]; /* one open request per person */
    if (h == NULL) {
        r->help =
            app__need(realloc(r->help, (r->nhelp + 1) * sizeof(*r->help)));
        h = &r->help[r->nhelp++];
        memset(h, 0, sizeof(*h));
        h->id = ++r->help_seq;
        snprintf(h->user, sizeof(h->user), "%s", c->info.id);
        snprintf(h->room, sizeof(h->room), "%s", g->room);
        h->text = app__need(malloc(msg->u.help_ask.text_len + 1));
        memcpy(h->text, msg->u.help_ask.text, msg->u.help_ask.text_len + 1);
        h->ts = app__wall_ms();
        app__round_person(r, c->info.id, c->info.name, c->info.country);
        app__round_changed(ss, NULL, NULL, 0);
        app__round_send_help(ss, NULL, NULL);
    }
    proto_person who;
    proto_help_request view = help_view(ss, h, &who);
    size_t len;
    char *buf = proto_encode_help_asked(&view, msg->ref, &len);
    app__send_buf(c, buf, len);
}

void app__handle_help_resolve(conn *c, proto_msg *msg)
{
    sess *ss = c->sess;
    if (!allowed(c, ACTION_HELP_ANSWER,
                 "only coordinators and experts answer help requests",
                 msg->ref) ||
        !open_round(c, msg->ref))
        return;
    breakout_round *r = app__round(ss);
    size_t i = 0;
    while (i < r->nhelp && r->help[i].id != msg->u.help_resolve.request)
        i++;
    if (i == r->nhelp) {
        app__send_error(c, PROTO_ERR_BAD_VALUE,
                        "no open help request has that id", msg->ref, NULL);
        return;
    }
    round_help h = r->help[i];
    memmove(&r->help[i], &r->help[i + 1],
            (r->nhelp - i - 1) * sizeof(*r->help));
    r->nhelp--;
    app__round_changed(ss, NULL, NULL, 0);
    app__round_send_help(ss, NULL, NULL);
    proto_person by = {c->info.id, c->info.name, c->info.country};
    size_t len;
    char *buf = proto_encode_help_resolved(h.id, &by, NULL, &len);
    frame *f = frame_take(buf, len, 0);
    member *asker = session_member(ss->s, h.user);
    if (asker)
        app__fanout_member(asker, f);
    frame_unref(f);
    buf = proto_encode_help_resolved(h.id, &by, msg->ref, &len);
    app__send_buf(c, buf, len);
    free(h.text);
}

/* ---- visits ---- */

void app__handle_visit(conn *c, proto_msg *msg)
{
    sess *ss = c->sess;
    if (!allowed(c, ACTION_BREAKOUT_VISIT,
                 "only coordinators and experts visit breakouts", msg->ref) ||
        !open_round(c, msg->ref))
        return;
    breakout_round *r = app__round(ss);
    round_group *g = app__round_group_by_room(r, msg->u.visit.room);
    if (g == NULL) {
        app__send_error(c, PROTO_ERR_UNKNOWN_ROOM,
                        "that room is not a breakout of the open round",
                        msg->ref, NULL);
        return;
    }
    round_pair *v = app__round_visit_of(r, c->info.id);
    if (v == NULL) {
        r->visits = app__need(
            realloc(r->visits, (r->nvisits + 1) * sizeof(*r->visits)));
        v = &r->visits[r->nvisits++];
        snprintf(v->a, sizeof(v->a), "%s", c->info.id);
    }
    snprintf(v->b, sizeof(v->b), "%s", g->room);
    app__round_person(r, c->info.id, c->info.name, c->info.country);
    app__round_move(ss, c->member, g->room, "visit");
    app__round_changed(ss, NULL, NULL, 0);
}

void app__handle_visit_leave(conn *c, proto_msg *msg)
{
    sess *ss = c->sess;
    breakout_round *r = app__round(ss);
    round_pair *v = app__round_visit_of(r, c->info.id);
    if (v == NULL) {
        app__send_error(c, PROTO_ERR_NOT_IN_BREAKOUT,
                        "you are not visiting a breakout", msg->ref, NULL);
        return;
    }
    *v = r->visits[--r->nvisits];
    app__round_move(ss, c->member, SESSION_MAIN_ROOM, "leave");
    app__round_changed(ss, NULL, NULL, 0);
}
