/* sessions: the sessions living on this node. A session is loaded from
 * storage on its first join (a new epoch, the stored offsets and roster);
 * joins that arrive meanwhile wait. Also the fan-out helpers every handler
 * uses to reach the members of a room. */
#include "server/app/app_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "server/store/session_store.h"

sess *app__sess_find(app *a, const char *sid)
{
    for (sess *ss = a->sessions; ss; ss = ss->next)
        if (strcmp(ss->id, sid) == 0)
            return ss;
    return NULL;
}

/* A new random epoch of 12 base-36 characters. */
static void new_epoch(char *out, size_t size)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    unsigned char r[12];
    if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
        abort();
    size_t n = size - 1 < sizeof(r) ? size - 1 : sizeof(r);
    for (size_t i = 0; i < n; i++)
        out[i] = digits[r[i] % 36];
    out[n] = '\0';
}

static void wait_join(sess *ss, conn *c)
{
    if (ss->nwaiting == ss->waiting_cap) {
        ss->waiting_cap = ss->waiting_cap ? ss->waiting_cap * 2 : 4;
        ss->waiting = realloc(ss->waiting, ss->waiting_cap * sizeof(conn *));
        if (ss->waiting == NULL)
            abort();
    }
    ss->waiting[ss->nwaiting++] = app__conn_ref(c);
}

static void release_waiting(sess *ss, int ok)
{
    size_t n = ss->nwaiting;
    conn **waiting = ss->waiting;
    ss->waiting = NULL;
    ss->nwaiting = ss->waiting_cap = 0;
    for (size_t i = 0; i < n; i++) {
        conn *c = waiting[i];
        if (c->state == CONN_JOINING) {
            if (ok) {
                app__join_ready(c);
            } else {
                c->state = CONN_AUTHED;
                c->sess = NULL;
                app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                                "storage is unreachable; retry shortly", NULL,
                                NULL);
            }
        }
        app__conn_unref(c);
    }
    free(waiting);
}

static void unlink_sess(app *a, sess *ss)
{
    for (sess **p = &a->sessions; *p; p = &(*p)->next) {
        if (*p == ss) {
            *p = ss->next;
            a->nsessions--;
            return;
        }
    }
}

static int restore(sess *ss, const session_store_loaded *res)
{
    for (size_t i = 0; i < res->ntops; i++)
        if (res->tops[i].top > 0 &&
            session_restore_top(ss->s, res->tops[i].channel,
                                res->tops[i].top) != SESSION_OK)
            return -1;
    for (size_t i = 0; i < res->nroster; i++) {
        char name[CHANNEL_NAME_MAX + 1];
        snprintf(name, sizeof(name), "user:%s", res->roster[i]);
        if (session_channel(ss->s, name) == NULL &&
            session_restore_top(ss->s, name, 0) != SESSION_OK)
            return -1;
    }
    return 0;
}

static void loaded_cb(const session_store_loaded *res, const char *err,
                      void *data)
{
    sess *ss = data;
    if (err == NULL) {
        snprintf(ss->s->prev_epoch, sizeof(ss->s->prev_epoch), "%s",
                 res->prev_epoch);
        if (restore(ss, res) != 0)
            err = "corrupt session data";
    }
    if (err == NULL)
        app__round_load(ss); /* continues in app__sess_loaded */
    else
        app__sess_loaded(ss, err);
}

void app__sess_loaded(sess *ss, const char *err)
{
    app *a = ss->app;
    if (err == NULL && ss->live == NULL) {
        app__live_load(ss); /* agenda, hands, ...: comes back here */
        return;
    }
    if (err) {
        fprintf(stderr, "kopa: loading session %s failed: %s\n", ss->id, err);
        unlink_sess(a, ss);
        release_waiting(ss, 0);
        app__round_free(ss);
        app__live_free(ss->live);
        session_free(ss->s);
        free(ss);
        return;
    }
    ss->state = SESS_READY;
    release_waiting(ss, 1);
}

void app__sess_join(app *a, conn *c)
{
    sess *ss = app__sess_find(a, c->sid);
    c->state = CONN_JOINING;
    if (ss && ss->state == SESS_READY) {
        c->sess = ss;
        app__join_ready(c);
        return;
    }
    if (ss) {
        c->sess = ss;
        wait_join(ss, c);
        return;
    }
    ss = calloc(1, sizeof(*ss));
    if (ss == NULL)
        abort();
    char epoch[SESSION_EPOCH_MAX + 1];
    new_epoch(epoch, 13);
    ss->app = a;
    ss->state = SESS_LOADING;
    snprintf(ss->id, sizeof(ss->id), "%s", c->sid);
    ss->s = session_new(c->sid, epoch, a->cfg.ring_cap);
    if (ss->s == NULL)
        abort();
    ss->next = a->sessions;
    a->sessions = ss;
    a->nsessions++;
    c->sess = ss;
    wait_join(ss, c);
    if (session_store_load(a->store, ss->id, epoch, loaded_cb, ss) != 0)
        loaded_cb(NULL, "storage client closing", ss);
}

void app__fanout_member(member *m, frame *f)
{
    member_conns *mc = m->user;
    if (mc == NULL)
        return;
    for (conn *c = mc->head; c; c = c->mnext)
        app__send(c, f);
}

void app__fanout_room(sess *ss, const char *room_id, frame *f)
{
    session *s = ss->s;
    for (size_t i = 0; i < s->nmembers; i++) {
        member *m = s->members[i];
        if (m->online > 0 && (room_id == NULL || session_in_room(m, room_id)))
            app__fanout_member(m, f);
    }
}

conn *app__member_conn(member *m, uint64_t conn_id)
{
    member_conns *mc = m->user;
    for (conn *c = mc ? mc->head : NULL; c; c = c->mnext)
        if (c->id == conn_id)
            return c;
    return NULL;
}
