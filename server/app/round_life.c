/* round_life: a breakout round's life beyond one message: saving it to
 * Redis after every change and loading it when a session loads (so a
 * SIGKILL restart keeps the round, its rooms and the time left), opening
 * and closing it (everyone moves), the timer with its one-minute warning,
 * and where a member lands when joining during a round. sessions.c,
 * handle_join.c and app.c call the hooks; the handlers call the rest. */
#include "server/app/round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/session_store.h"

static char *dup_n(const char *s, size_t n)
{
    char *out = app__need(malloc(n + 1));
    memcpy(out, s, n);
    out[n] = '\0';
    return out;
}

/* ---- saving ---- */

/* The arrays a breakout_store_round borrows while it is written. */
typedef struct store_view {
    breakout_store_person *people;
    breakout_store_rgroup *groups;
    const char **ids;
    breakout_store_help *help;
    breakout_store_note *notes;
    breakout_store_pair *un, *vis;
} store_view;

static void fill_view(const breakout_round *r, store_view *v)
{
    size_t total = 0, k = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        total += r->groups[i].n;
    v->people = app__need(calloc(r->npeople + 1, sizeof(*v->people)));
    v->groups = app__need(calloc(r->ngroups + 1, sizeof(*v->groups)));
    v->ids = app__need(calloc(total + 1, sizeof(*v->ids)));
    v->help = app__need(calloc(r->nhelp + 1, sizeof(*v->help)));
    v->notes = app__need(calloc(r->nnotes + 1, sizeof(*v->notes)));
    v->un = app__need(calloc(r->nunassigned + 1, sizeof(*v->un)));
    v->vis = app__need(calloc(r->nvisits + 1, sizeof(*v->vis)));
    for (size_t i = 0; i < r->npeople; i++)
        v->people[i] = (breakout_store_person){
            r->people[i].id, r->people[i].name, r->people[i].country};
    for (size_t i = 0; i < r->ngroups; i++) {
        const round_group *g = &r->groups[i];
        v->groups[i] = (breakout_store_rgroup){
            g->room,        v->ids + k, g->n,       g->language,
            g->language_ok, g->score,   g->reasons, g->reasons_len};
        for (size_t j = 0; j < g->n; j++)
            v->ids[k++] = g->members[j];
    }
    for (size_t i = 0; i < r->nunassigned; i++)
        v->un[i] =
            (breakout_store_pair){r->unassigned[i].a, r->unassigned[i].b};
    for (size_t i = 0; i < r->nvisits; i++)
        v->vis[i] = (breakout_store_pair){r->visits[i].a, r->visits[i].b};
    for (size_t i = 0; i < r->nhelp; i++)
        v->help[i] = (breakout_store_help){r->help[i].id, r->help[i].user,
                                           r->help[i].room, r->help[i].text,
                                           r->help[i].ts};
    for (size_t i = 0; i < r->nnotes; i++)
        v->notes[i] = (breakout_store_note){
            r->notes[i].id,   r->notes[i].room,     r->notes[i].user,
            r->notes[i].text, r->notes[i].text_len, r->notes[i].ts};
}

static void free_view(store_view *v)
{
    free(v->people);
    free(v->groups);
    free(v->ids);
    free(v->help);
    free(v->notes);
    free(v->un);
    free(v->vis);
}

static void save(sess *ss)
{
    breakout_round *r = ss->round;
    store_view v;
    fill_view(r, &v);
    breakout_store_round sr = {
        .version = ++r->version,
        .seq = r->seq,
        .state = r->state == ROUND_OPEN      ? "open"
                 : r->state == ROUND_PLANNED ? "planned"
                                             : "none",
        .mode = proto_round_mode_name((proto_round_mode)r->mode),
        .group_size = r->group_size,
        .duration_ms = r->duration_ms,
        .seed = r->seed,
        .opened_ms = r->opened_ms,
        .deadline_ms = r->deadline_ms,
        .warned = r->warned,
        .help_seq = r->help_seq,
        .people = v.people,
        .npeople = r->npeople,
        .groups = v.groups,
        .ngroups = r->ngroups,
        .unassigned = v.un,
        .nunassigned = r->nunassigned,
        .warnings = r->warnings,
        .warnings_len = r->warnings_len,
        .visits = v.vis,
        .nvisits = r->nvisits,
        .help = v.help,
        .nhelp = r->nhelp,
        .notes = v.notes,
        .nnotes = r->nnotes};
    if (breakout_store_round_save(ss->app->store, ss->id, &sr) != 0) {
        ss->app->m.store_failures++;
        fprintf(stderr, "kopa: session %s: round not saved (queue full)\n",
                ss->id);
    }
    free_view(&v);
}

void app__round_changed(sess *ss, conn *by, const char *ref, int breakout)
{
    save(ss);
    app__round_announce(ss, by, ref, breakout);
}

/* ---- kept events ---- */

typedef struct keep_req {
    app *a;
    session_store_done_cb cb;
    void *data;
} keep_req;

static void kept_cb(const char *err, void *data)
{
    keep_req *k = data;
    if (err)
        k->a->m.store_failures++;
    else
        k->a->m.messages_stored++;
    if (k->cb)
        k->cb(err, k->data);
    free(k);
}

void app__round_keep(sess *ss, channel *ch, char *buf, size_t len,
                     const char *user, const char *id, session_store_done_cb cb,
                     void *data)
{
    app *a = ss->app;
    channel_append(ch, channel_next_offset(ch), buf, len);
    frame *f = frame_take(buf, len, 0);
    app__fanout_room(ss, ch->name + 5, f);
    keep_req *k = app__need(malloc(sizeof(*k)));
    *k = (keep_req){a, cb, data};
    if (session_store_append(a->store, ss->id, ch->name, ch->top, f->data,
                             f->len, user, id, a->cfg.stream_maxlen, kept_cb,
                             k) != 0)
        kept_cb("queue full", k);
    frame_unref(f);
}

/* ---- opening and closing ---- */

/* Drops groups left empty by edits. */
static void compact(breakout_round *r)
{
    size_t k = 0;
    for (size_t i = 0; i < r->ngroups; i++) {
        if (r->groups[i].n == 0) {
            free(r->groups[i].members);
            free(r->groups[i].reasons);
            continue;
        }
        r->groups[k++] = r->groups[i];
    }
    r->ngroups = k;
}

void app__round_record(sess *ss)
{
    breakout_round *r = ss->round;
    size_t total = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        total += r->groups[i].n;
    breakout_store_member *mem = app__need(calloc(total + 1, sizeof(*mem)));
    breakout_store_group *groups =
        app__need(calloc(r->ngroups + 1, sizeof(*groups)));
    size_t k = 0;
    for (size_t i = 0; i < r->ngroups; i++) {
        groups[i] = (breakout_store_group){mem + k, r->groups[i].n};
        for (size_t j = 0; j < r->groups[i].n; j++) {
            const round_person *p =
                app__round_person_find(r, r->groups[i].members[j]);
            mem[k++] = (breakout_store_member){r->groups[i].members[j],
                                               p ? p->country : ""};
        }
    }
    breakout_store_meetings m = {ss->id, r->seq, r->opened_ms, groups,
                                 r->ngroups};
    if (breakout_store_meetings_add(ss->app->store, app__network(ss->app),
                                    &m) != 0)
        ss->app->m.store_failures++;
    free(mem);
    free(groups);
}

static int is_unassigned(const breakout_round *r, const char *id)
{
    for (size_t i = 0; i < r->nunassigned; i++)
        if (!strcmp(r->unassigned[i].a, id))
            return 1;
    return 0;
}

/* The profile of id for placing a late joiner: the stored one read when
 * the round opened (or saved since), else the token's country and
 * languages of the session member. */
static void late_profile(sess *ss, const char *id, profile *out)
{
    breakout_round *r = ss->round;
    for (size_t i = 0; i < r->nknown; i++)
        if (!strcmp(r->known[i].user_id, id)) {
            *out = r->known[i];
            return;
        }
    member *m = session_member(ss->s, id);
    profile_init(out);
    profile_set_user_id(out, id, strlen(id));
    if (m == NULL)
        return;
    profile_set_country(out, m->info.country, strlen(m->info.country));
    for (int i = 0; i < m->info.nlangs; i++)
        profile_add_language(out, m->info.langs[i], strlen(m->info.langs[i]));
}

/* The open round's group a late joiner goes to (rooms/pairing_late.c):
 * one whose members all share a language with them, then the smallest,
 * then the best suited by needs and offers, countries and history. */
static round_group *late_group(sess *ss, const member_info *info)
{
    breakout_round *r = ss->round;
    size_t total = 1, k = 0, pos = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        total += r->groups[i].n;
    profile *people = app__need(calloc(total, sizeof(*people)));
    int32_t *idx = app__need(calloc(total, sizeof(*idx)));
    pairing_late_group_view *views =
        app__need(calloc(r->ngroups + 1, sizeof(*views)));
    late_profile(ss, info->id, &people[k++]);
    for (size_t i = 0; i < r->ngroups; i++) {
        round_group *g = &r->groups[i];
        views[i].members = idx + pos;
        views[i].n_members = g->room[0] ? (uint32_t)g->n : 0;
        for (size_t j = 0; j < g->n; j++) {
            idx[pos++] = (int32_t)k;
            late_profile(ss, g->members[j], &people[k++]);
        }
    }
    pairing_request req = {.people = people,
                           .n_people = k,
                           .history = r->known_hist,
                           .mode = r->mode,
                           .group_size = (uint32_t)r->group_size,
                           .weights = pairing_weights_default(),
                           .seed = (uint64_t)r->seed};
    int32_t best = pairing_late_group(&req, 0, views, r->ngroups);
    free(people);
    free(idx);
    free(views);
    return best >= 0 ? &r->groups[best] : NULL;
}

/* Places an online member who is in no group (and not left out on
 * purpose) into a group; returns the group or NULL. */
static round_group *place_late(sess *ss, member *m)
{
    breakout_round *r = ss->round;
    if (!perm_allows(m->info.role, ACTION_ROUND_JOIN) ||
        app__round_group_of(r, m->info.id, NULL) ||
        is_unassigned(r, m->info.id))
        return NULL;
    round_group *g = late_group(ss, &m->info);
    if (g == NULL)
        return NULL;
    app__round_group_add(g, m->info.id);
    app__round_person(r, m->info.id, m->info.name, m->info.country);
    return g;
}

void app__round_open(sess *ss, conn *by, const char *ref)
{
    breakout_round *r = ss->round;
    session *s = ss->s;
    compact(r);
    for (size_t i = 0; i < r->ngroups; i++) {
        round_group *g = &r->groups[i];
        char name[CHANNEL_NAME_MAX + 1];
        snprintf(g->room, sizeof(g->room), "b%lld-%zu", (long long)r->seq,
                 i + 1);
        snprintf(name, sizeof(name), "room:%s", g->room);
        if (session_room(s, g->room) == NULL)
            session_restore_top(s, name, 0);
    }
    r->state = ROUND_OPEN;
    r->opened_ms = app__wall_ms();
    if (app__round_item(ss) != NULL) /* it ends with its agenda item */
        r->duration_ms = app__round_item_left(ss, r->opened_ms);
    r->deadline_ms = r->opened_ms + r->duration_ms;
    r->warned = 0;
    r->auto_plan = 0;
    /* The plan's profiles place late joiners until everyone's are read. */
    r->known = r->prof;
    r->nknown = r->nprof;
    r->known_hist = r->hist;
    r->prof = NULL;
    r->hist = NULL;
    app__round_drop_plan(r);
    app__round_know(ss);
    for (size_t i = 0; i < s->nmembers; i++)
        if (s->members[i]->online > 0)
            place_late(ss, s->members[i]);
    app__round_record(ss);
    for (size_t i = 0; i < r->ngroups; i++)
        for (size_t j = 0; j < r->groups[i].n; j++) {
            member *m = session_member(s, r->groups[i].members[j]);
            if (m)
                app__round_move(ss, m, r->groups[i].room, "open");
        }
    app__round_changed(ss, by, ref, 1);
    app__round_send_help(ss, NULL, NULL);
    app__round_arm(ss);
}

/* The notes of every breakout, kept in the main room. */
static void keep_notes(sess *ss)
{
    breakout_round *r = ss->round;
    size_t total = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        total += r->groups[i].n;
    proto_room_notes *rooms = app__need(calloc(r->ngroups + 1, sizeof(*rooms)));
    proto_person *people = app__need(calloc(total + 1, sizeof(*people)));
    proto_note_item *items = app__need(calloc(r->nnotes + 1, sizeof(*items)));
    size_t kp = 0, kn = 0;
    for (size_t i = 0; i < r->ngroups; i++) {
        round_group *g = &r->groups[i];
        rooms[i] =
            (proto_room_notes){g->room, people + kp, g->n, items + kn, 0};
        for (size_t j = 0; j < g->n; j++) {
            const round_person *p = app__round_person_find(r, g->members[j]);
            people[kp++] =
                (proto_person){g->members[j], p ? p->name : g->members[j],
                               p ? p->country : ""};
        }
        for (size_t j = 0; j < r->nnotes; j++) {
            round_note *n = &r->notes[j];
            if (strcmp(n->room, g->room) != 0)
                continue;
            const round_person *p = app__round_person_find(r, n->user);
            items[kn++] = (proto_note_item){
                n->id,
                {n->user, p ? p->name : n->user, p ? p->country : ""},
                n->text,
                n->text_len,
                n->ts};
            rooms[i].nnotes++;
        }
    }
    channel *ch = session_room(ss->s, SESSION_MAIN_ROOM)->log;
    char id[24];
    snprintf(id, sizeof(id), "r%lld", (long long)r->seq);
    size_t len;
    char *buf =
        proto_encode_breakout_notes(ch->name, channel_next_offset(ch), id,
                                    app__wall_ms(), rooms, r->ngroups, &len);
    app__round_keep(ss, ch, buf, len, NULL, NULL, NULL, NULL);
    free(rooms);
    free(people);
    free(items);
}

void app__round_close(sess *ss, const char *cause, conn *by, const char *ref)
{
    breakout_round *r = ss->round;
    session *s = ss->s;
    if (r->state != ROUND_OPEN)
        return;
    if (r->timer)
        uv_timer_stop(r->timer);
    for (size_t i = 0; i < s->nmembers; i++) {
        member *m = s->members[i];
        if (strcmp(m->room, SESSION_MAIN_ROOM) != 0 &&
            (app__round_group_by_room(r, m->room) ||
             app__round_visit_of(r, m->info.id)))
            app__round_move(ss, m, SESSION_MAIN_ROOM, "close");
    }
    for (size_t i = 0; i < r->ngroups; i++) /* listen-ins, recordings */
        if (r->groups[i].room[0])
            app__audio_room_closed(ss, r->groups[i].room);
    for (size_t i = 0; i < r->ngroups; i++)
        if (r->groups[i].room[0])
            app__audio_room_closed(ss, r->groups[i].room);
    keep_notes(ss);
    fprintf(stderr, "kopa: session %s: round r%lld closed (%s)\n", ss->id,
            (long long)r->seq, cause);
    app__round_clear(r);
    app__round_changed(ss, by, ref, 1);
    app__round_send_help(ss, NULL, NULL);
}

/* ---- the timer ---- */

static void timer_cb(uv_timer_t *t)
{
    sess *ss = t->data;
    breakout_round *r = ss->round;
    if (r == NULL || r->state != ROUND_OPEN)
        return;
    int64_t now = app__wall_ms();
    if (!r->warned && now >= r->deadline_ms - ROUND_WARN_MS) {
        r->warned = 1;
        save(ss);
        app__round_send(ss, NULL, NULL);
        app__round_send_breakout(ss, NULL, 1);
    }
    if (now >= r->deadline_ms) {
        app__round_close(ss, "timer", NULL, NULL);
        return;
    }
    app__round_arm(ss);
}

static void timer_closed_cb(uv_handle_t *h)
{
    free(h);
}

void app__round_arm(sess *ss)
{
    breakout_round *r = app__round(ss);
    if (ss->app->shutting_down)
        return;
    if (r->timer == NULL) {
        r->timer = app__need(malloc(sizeof(*r->timer)));
        uv_timer_init(ss->app->loop, r->timer);
        r->timer->data = ss;
    }
    if (r->state != ROUND_OPEN || app__round_item_paused(ss)) {
        uv_timer_stop(r->timer); /* a paused agenda item holds its round */
        return;
    }
    int64_t now = app__wall_ms();
    int64_t at = r->warned ? r->deadline_ms : r->deadline_ms - ROUND_WARN_MS;
    uv_timer_start(r->timer, timer_cb, at > now ? (uint64_t)(at - now) : 0, 0);
}

/* ---- loading, joining, shutting down ---- */

static round_state state_from(const char *s)
{
    return !strcmp(s, "open")      ? ROUND_OPEN
           : !strcmp(s, "planned") ? ROUND_PLANNED
                                   : ROUND_NONE;
}

static void restore_lists(breakout_round *r, const breakout_store_round *sr)
{
    for (size_t i = 0; i < sr->npeople; i++)
        app__round_person(r, sr->people[i].id, sr->people[i].name,
                          sr->people[i].country);
    r->groups = app__need(calloc(sr->ngroups + 1, sizeof(*r->groups)));
    r->ngroups = sr->ngroups;
    for (size_t i = 0; i < sr->ngroups; i++) {
        const breakout_store_rgroup *sg = &sr->groups[i];
        round_group *g = &r->groups[i];
        snprintf(g->room, sizeof(g->room), "%s", sg->room);
        for (size_t j = 0; j < sg->nmembers; j++)
            app__round_group_add(g, sg->members[j]);
        snprintf(g->language, sizeof(g->language), "%s", sg->language);
        g->language_ok = sg->language_ok;
        g->score = sg->score;
        g->reasons = dup_n(sg->reasons, sg->reasons_len);
        g->reasons_len = sg->reasons_len;
    }
    r->unassigned = app__need(calloc(sr->nunassigned + 1, sizeof(round_pair)));
    r->nunassigned = sr->nunassigned;
    for (size_t i = 0; i < sr->nunassigned; i++) {
        snprintf(r->unassigned[i].a, sizeof(r->unassigned[i].a), "%s",
                 sr->unassigned[i].a);
        snprintf(r->unassigned[i].b, sizeof(r->unassigned[i].b), "%s",
                 sr->unassigned[i].b);
    }
    r->warnings = dup_n(sr->warnings, sr->warnings_len);
    r->warnings_len = sr->warnings_len;
    r->visits = app__need(calloc(sr->nvisits + 1, sizeof(round_pair)));
    r->nvisits = sr->nvisits;
    for (size_t i = 0; i < sr->nvisits; i++) {
        snprintf(r->visits[i].a, sizeof(r->visits[i].a), "%s", sr->visits[i].a);
        snprintf(r->visits[i].b, sizeof(r->visits[i].b), "%s", sr->visits[i].b);
    }
    r->help = app__need(calloc(sr->nhelp + 1, sizeof(round_help)));
    r->nhelp = sr->nhelp;
    for (size_t i = 0; i < sr->nhelp; i++) {
        round_help *h = &r->help[i];
        h->id = sr->help[i].id;
        snprintf(h->user, sizeof(h->user), "%s", sr->help[i].user);
        snprintf(h->room, sizeof(h->room), "%s", sr->help[i].room);
        h->text = dup_n(sr->help[i].text, strlen(sr->help[i].text));
        h->ts = sr->help[i].ts;
    }
    r->notes = app__need(calloc(sr->nnotes + 1, sizeof(round_note)));
    r->nnotes = sr->nnotes;
    for (size_t i = 0; i < sr->nnotes; i++) {
        round_note *n = &r->notes[i];
        snprintf(n->id, sizeof(n->id), "%s", sr->notes[i].id);
        snprintf(n->room, sizeof(n->room), "%s", sr->notes[i].room);
        snprintf(n->user, sizeof(n->user), "%s", sr->notes[i].user);
        n->text = dup_n(sr->notes[i].text, sr->notes[i].text_len);
        n->text_len = sr->notes[i].text_len;
        n->ts = sr->notes[i].ts;
    }
}

/* Puts the members of an open round back into their rooms. */
static void restore_rooms(sess *ss)
{
    breakout_round *r = ss->round;
    session *s = ss->s;
    char name[CHANNEL_NAME_MAX + 1];
    for (size_t i = 0; i < r->ngroups; i++) {
        round_group *g = &r->groups[i];
        snprintf(name, sizeof(name), "room:%s", g->room);
        if (!g->room[0] || (session_room(s, g->room) == NULL &&
                            session_restore_top(s, name, 0) != SESSION_OK)) {
            g->room[0] = '\0';
            continue;
        }
        for (size_t j = 0; j < g->n; j++) {
            member *m = session_member(s, g->members[j]);
            if (m)
                snprintf(m->room, sizeof(m->room), "%s", g->room);
        }
    }
    for (size_t i = 0; i < r->nvisits; i++) {
        member *m = session_member(s, r->visits[i].a);
        if (m && app__round_group_by_room(r, r->visits[i].b))
            snprintf(m->room, sizeof(m->room), "%s", r->visits[i].b);
    }
}

static void round_loaded_cb(const breakout_store_round *sr, const char *err,
                            void *data)
{
    sess *ss = data;
    if (err) {
        app__sess_loaded(ss, err);
        return;
    }
    breakout_round *r = app__round(ss);
    if (sr) {
        r->version = sr->version;
        r->seq = sr->seq;
        r->state = state_from(sr->state);
    }
    if (sr && r->state != ROUND_NONE) {
        for (int i = 0; i <= PAIRING_MODE_MANUAL; i++)
            if (!strcmp(sr->mode, proto_round_mode_name((proto_round_mode)i)))
                r->mode = (pairing_mode)i;
        r->group_size = sr->group_size;
        r->duration_ms = sr->duration_ms;
        r->seed = sr->seed;
        r->opened_ms = sr->opened_ms;
        r->deadline_ms = sr->deadline_ms;
        r->warned = sr->warned;
        r->help_seq = sr->help_seq;
        restore_lists(r, sr);
    }
    /* Closing a round whose time is up, or whose agenda item ended, waits
     * for the agenda (app__round_agenda_loaded). */
    if (r->state == ROUND_OPEN)
        restore_rooms(ss);
    app__sess_loaded(ss, NULL);
}

void app__round_load(sess *ss)
{
    app__round(ss);
    if (breakout_store_round_load(ss->app->store, ss->id, round_loaded_cb,
                                  ss) != 0)
        app__sess_loaded(ss, "storage client closing");
}

void app__round_on_join(conn *c)
{
    sess *ss = c->sess;
    breakout_round *r = ss->round;
    member *m = c->member;
    if (r == NULL || r->state != ROUND_OPEN)
        return;
    const char *room_id = NULL;
    round_pair *v = app__round_visit_of(r, m->info.id);
    round_group *g = app__round_group_of(r, m->info.id, NULL);
    int placed = 0;
    if (v)
        room_id = v->b;
    else if (g && g->room[0])
        room_id = g->room;
    else if ((g = place_late(ss, m)) != NULL) {
        room_id = g->room;
        placed = 1;
    }
    if (room_id == NULL)
        return;
    if (m->online > 1) {
        app__round_move(ss, m, room_id, "placed");
    } else if (strcmp(m->room, room_id) != 0) {
        char from[SESSION_ID_MAX + 1];
        snprintf(from, sizeof(from), "%s", m->room);
        snprintf(m->room, sizeof(m->room), "%s", room_id);
        app__audio_move(ss, m, from, room_id);
    }
    if (placed) {
        app__round_record(ss);
        app__round_changed(ss, NULL, NULL, 1);
    }
}

void app__round_joined(conn *c)
{
    sess *ss = c->sess;
    /* A breakout item that waits for its round (after a restart) gets it
     * now that someone is present. */
    app__round_agenda_due(ss, c->member);
    breakout_round *r = ss->round;
    if (r == NULL || r->state == ROUND_NONE)
        return;
    if (r->state == ROUND_OPEN)
        app__round_send_breakout(ss, c, 0);
    if (perm_allows(c->info.role, ACTION_ROUND_MANAGE))
        app__round_send(ss, c, NULL);
    if (r->state == ROUND_OPEN && perm_allows(c->info.role, ACTION_HELP_ANSWER))
        app__round_send_help(ss, c, NULL);
}

void app__round_shutdown(app *a)
{
    for (sess *ss = a->sessions; ss; ss = ss->next)
        if (ss->round && ss->round->timer)
            uv_timer_stop(ss->round->timer);
}

void app__round_free(sess *ss)
{
    breakout_round *r = ss->round;
    if (r == NULL)
        return;
    if (r->timer) {
        uv_timer_stop(r->timer);
        uv_close((uv_handle_t *)r->timer, timer_closed_cb);
    }
    app__round_clear(r);
    app__round_bcasts_free(r);
    free(r);
    ss->round = NULL;
}
