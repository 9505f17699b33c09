/* round_agenda: a breakout round that belongs to an agenda item
 * (docs/protocol.md section 11.9). When a breakout item becomes current
 * and no round is planned or open, a round is proposed for it (its link is
 * an agenda op of the server, replayed with the agenda); an open linked
 * round ends with its item (its deadline is the item's end, it waits while
 * the item is paused) and closes when the item stops being current; a plan
 * whose item stopped is dropped. The agenda never changes here: the
 * coordinator's round_close and round_extend (handle_round.c) change it
 * through app__round_agenda_op() first, so no change calls itself back.
 * Called by handle_agenda.c and live.c (after each agenda change and the
 * load) and by the round files. */
#include "server/app/live.h"
#include "server/app/round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct agenda_item *app__round_item(sess *ss)
{
    breakout_round *r = ss->round;
    if (r == NULL || r->item == 0 || ss->live == NULL ||
        ss->live->agenda.current_id != r->item)
        return NULL;
    return agenda_current(&ss->live->agenda);
}

int64_t app__round_item_left(sess *ss, int64_t now)
{
    if (app__round_item(ss) == NULL)
        return 0;
    return agenda_time_left_ms(&ss->live->agenda, now);
}

int app__round_item_paused(sess *ss)
{
    const struct agenda_item *it = app__round_item(ss);
    return it != NULL && it->state == AGENDA_ITEM_PAUSED;
}

/* ---- agenda ops of the server and on behalf of a coordinator ---- */

static void stored_cb(const char *err, void *data)
{
    app *a = data;
    if (err)
        a->m.store_failures++;
}

void app__round_link(sess *ss, uint32_t item, int64_t round)
{
    char body[96];
    int n = snprintf(body, sizeof(body),
                     "{\"type\":\"agenda\",\"op\":\"round\",\"item\":%u,"
                     "\"round\":%lld}",
                     item, (long long)round);
    int64_t now = app__wall_ms();
    if (agenda_set_round(&ss->live->agenda, item, round) != AGENDA_OK)
        return;
    size_t len;
    char *rec = app__live_record(now, "-", body, (size_t)n, &len);
    session_state_op op = {ss->live->next_seq++, rec, len};
    if (session_state_put_ops(ss->app->store, ss->id, &op, 1, stored_cb,
                              ss->app) != 0)
        ss->app->m.store_failures++;
    free(rec);
}

proto_error app__round_agenda_op(sess *ss, conn *by, const char *body,
                                 size_t len, char *why, size_t why_size)
{
    proto_msg m;
    live_change ch;
    memset(&ch, 0, sizeof(ch));
    proto_error e = proto_parse(body, len, &m, NULL, 0);
    int64_t now = app__wall_ms();
    if (e == PROTO_OK)
        e = app__apply_agenda(ss, &m, by->info.id, now, &ch);
    proto_msg_free(&m);
    snprintf(why, why_size, "%s", ch.why);
    if (e != PROTO_OK || !ch.changed)
        return e;
    size_t rlen;
    char *rec = app__live_record(now, by->info.id, body, len, &rlen);
    session_state_op op = {ss->live->next_seq++, rec, rlen};
    app__live_emit(ss, &ch, by->member, NULL, now, &op, 1);
    free(rec);
    return PROTO_OK;
}

/* ---- following the agenda ---- */

int app__round_follow(sess *ss, conn *by, const char *ref)
{
    breakout_round *r = ss->round;
    if (r->state != ROUND_OPEN || app__round_item(ss) == NULL)
        return 0;
    int64_t now = app__wall_ms();
    int64_t deadline = now + app__round_item_left(ss, now);
    int paused = app__round_item_paused(ss);
    int changed = deadline != r->deadline_ms || paused != r->paused;
    r->deadline_ms = deadline;
    r->paused = paused;
    if (changed && r->warned && deadline - now > ROUND_WARN_MS)
        r->warned = 0;
    app__round_arm(ss);
    if (changed)
        app__round_changed(ss, by, ref, 1);
    return changed;
}

/* A linked round whose item is no longer current ends with it. */
static void end_with_item(sess *ss, const char *when)
{
    breakout_round *r = ss->round;
    if (r->item == 0 || r->state == ROUND_NONE || app__round_item(ss) != NULL)
        return;
    fprintf(stderr, "kopa: session %s: item %u ended (%s); its round ends\n",
            ss->id, r->item, when);
    if (r->state == ROUND_OPEN) {
        app__round_close(ss, "agenda", NULL, NULL);
    } else {
        app__round_clear(r);
        app__round_changed(ss, NULL, NULL, 0);
    }
}

/* Proposes a round when the current item is a breakout item that waits
 * for one and no round is planned or open. */
static void maybe_propose(sess *ss)
{
    breakout_round *r = ss->round;
    uint32_t item;
    if (r->state != ROUND_NONE || r->proposing != 0 ||
        !agenda_breakout_due(&ss->live->agenda, r->seq, &item))
        return;
    r->proposing = item;
    app__round_propose_for(ss, item, 0);
}

void app__round_agenda_changed(sess *ss)
{
    if (ss->live == NULL || ss->state != SESS_READY)
        return;
    app__round(ss);
    end_with_item(ss, "agenda");
    app__round_follow(ss, NULL, NULL);
    maybe_propose(ss);
}

/* Whether user is in the plan (a group or unassigned). */
static int in_plan(breakout_round *r, const char *user)
{
    if (app__round_group_of(r, user, NULL) != NULL)
        return 1;
    for (size_t i = 0; i < r->nunassigned; i++)
        if (!strcmp(r->unassigned[i].a, user))
            return 1;
    return 0;
}

void app__round_agenda_due(sess *ss, const member *m)
{
    if (ss->live == NULL || ss->state != SESS_READY)
        return;
    breakout_round *r = app__round(ss);
    maybe_propose(ss);
    if (r->state == ROUND_PLANNED && r->auto_plan && r->proposing == 0 &&
        app__round_item(ss) != NULL && m != NULL &&
        perm_allows(m->info.role, ACTION_ROUND_JOIN) &&
        !in_plan(r, m->info.id)) {
        r->proposing = r->item;
        app__round_propose_for(ss, r->item, 1);
    }
}

void app__round_agenda_loaded(sess *ss)
{
    breakout_round *r = app__round(ss);
    int64_t now = app__wall_ms();
    r->item = 0;
    for (uint32_t i = 0; r->state != ROUND_NONE && i < ss->live->agenda.count;
         i++) {
        const struct agenda_item *it = agenda_at(&ss->live->agenda, i);
        if (it->round == r->seq)
            r->item = it->id;
    }
    end_with_item(ss, "while the server was down");
    if (r->state == ROUND_OPEN && r->item != 0) {
        app__round_follow(ss, NULL, NULL); /* a past deadline closes at once */
    } else if (r->state == ROUND_OPEN) {
        if (now >= r->deadline_ms)
            app__round_close(ss, "timer", NULL, NULL);
        else
            app__round_arm(ss);
    }
    if (r->state == ROUND_OPEN)
        app__round_know(ss);
    /* A breakout item still waiting for its round gets it when the first
     * member joins (app__round_joined), not with nobody present. */
}

/* ---- late joiners' profiles ---- */

typedef struct know_req {
    int64_t seq;
} know_req;

static void known_cb(sess *ss, profile *people, size_t n, pairing_history *hist,
                     int64_t rounds, const char *err, void *data)
{
    know_req *k = data;
    breakout_round *r = ss->round;
    (void)rounds;
    if (err == NULL && r != NULL && r->state == ROUND_OPEN &&
        r->seq == k->seq) {
        free(r->known);
        pairing_history_free(r->known_hist);
        r->known = people;
        r->nknown = n;
        r->known_hist = hist;
    } else {
        free(people);
        pairing_history_free(hist);
    }
    free(k);
}

void app__round_know(sess *ss)
{
    know_req *k = app__need(calloc(1, sizeof(*k)));
    k->seq = ss->round->seq;
    app__people_fetch(ss, NULL, 0, known_cb, k);
}

void app__round_profile_saved(sess *ss, const profile *p)
{
    breakout_round *r = ss->round;
    if (r == NULL || r->state != ROUND_OPEN || r->known == NULL)
        return;
    for (size_t i = 0; i < r->nknown; i++)
        if (!strcmp(r->known[i].user_id, p->user_id)) {
            if (p->stage >= r->known[i].stage) /* the latest stage counts */
                r->known[i] = *p;
            return;
        }
    r->known =
        app__need(realloc(r->known, (r->nknown + 1) * sizeof(*r->known)));
    r->known[r->nknown++] = *p;
}
