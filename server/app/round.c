/* round: a session's breakout round in memory: its groups, people, visits,
 * help queue and notes; how it is shown (the coordinators' round event,
 * everyone's breakout event, the help queue) and how a member moves
 * between rooms on the same connection (presence plus a moved event with
 * the new room's channel state). The handlers in handle_round.c and
 * handle_breakout.c, and round_life.c, call it. */
#include "server/app/round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 50

const char *app__network(const app *a)
{
    return a->cfg.network && a->cfg.network[0] ? a->cfg.network : "default";
}

breakout_round *app__round(sess *ss)
{
    if (ss->round == NULL) {
        ss->round = app__need(calloc(1, sizeof(*ss->round)));
        ss->round->ss = ss;
    }
    return ss->round;
}

round_group *app__round_group_by_room(breakout_round *r, const char *room_id)
{
    for (size_t i = 0; r && i < r->ngroups; i++)
        if (r->groups[i].room[0] && !strcmp(r->groups[i].room, room_id))
            return &r->groups[i];
    return NULL;
}

round_group *app__round_group_of(breakout_round *r, const char *user,
                                 size_t *index)
{
    for (size_t i = 0; r && i < r->ngroups; i++)
        for (size_t j = 0; j < r->groups[i].n; j++)
            if (!strcmp(r->groups[i].members[j], user)) {
                if (index)
                    *index = i;
                return &r->groups[i];
            }
    return NULL;
}

round_pair *app__round_visit_of(breakout_round *r, const char *user)
{
    for (size_t i = 0; r && i < r->nvisits; i++)
        if (!strcmp(r->visits[i].a, user))
            return &r->visits[i];
    return NULL;
}

void app__round_group_add(round_group *g, const char *user)
{
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 4;
        g->members =
            app__need(realloc(g->members, g->cap * sizeof(*g->members)));
    }
    snprintf(g->members[g->n++], sizeof(g->members[0]), "%s", user);
}

void app__round_group_remove(round_group *g, const char *user)
{
    size_t k = 0;
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->members[i], user) != 0)
            memmove(g->members[k++], g->members[i], sizeof(g->members[0]));
    g->n = k;
}

const round_person *app__round_person_find(const breakout_round *r,
                                           const char *id)
{
    for (size_t i = 0; i < r->npeople; i++)
        if (!strcmp(r->people[i].id, id))
            return &r->people[i];
    return NULL;
}

void app__round_person(breakout_round *r, const char *id, const char *name,
                       const char *country)
{
    round_person *p = (round_person *)app__round_person_find(r, id);
    if (p == NULL) {
        if (r->npeople == r->people_cap) {
            r->people_cap = r->people_cap ? r->people_cap * 2 : 16;
            r->people = app__need(
                realloc(r->people, r->people_cap * sizeof(*r->people)));
        }
        p = &r->people[r->npeople++];
        memset(p, 0, sizeof(*p));
        snprintf(p->id, sizeof(p->id), "%s", id);
    }
    if (name && name[0])
        snprintf(p->name, sizeof(p->name), "%s", name);
    if (country && country[0])
        snprintf(p->country, sizeof(p->country), "%s", country);
}

void app__round_drop_plan(breakout_round *r)
{
    pairing_plan_free(r->plan);
    pairing_history_free(r->hist);
    free(r->prof);
    r->plan = NULL;
    r->hist = NULL;
    r->prof = NULL;
    r->nprof = 0;
}

void app__round_clear(breakout_round *r)
{
    app__round_drop_plan(r);
    for (size_t i = 0; i < r->ngroups; i++) {
        free(r->groups[i].members);
        free(r->groups[i].reasons);
    }
    for (size_t i = 0; i < r->nhelp; i++)
        free(r->help[i].text);
    for (size_t i = 0; i < r->nnotes; i++)
        free(r->notes[i].text);
    free(r->groups);
    free(r->people);
    free(r->unassigned);
    free(r->warnings);
    free(r->visits);
    free(r->help);
    free(r->notes);
    r->groups = NULL;
    r->people = NULL;
    r->unassigned = NULL;
    r->warnings = NULL;
    r->visits = NULL;
    r->help = NULL;
    r->notes = NULL;
    r->ngroups = r->npeople = r->people_cap = r->nunassigned = 0;
    r->warnings_len = r->nvisits = r->nhelp = r->nnotes = 0;
    r->help_seq = 0;
    r->opened_ms = r->deadline_ms = 0;
    r->warned = r->paused = 0;
    r->state = ROUND_NONE;
    r->item = 0;
    r->auto_plan = 0;
    free(r->known);
    pairing_history_free(r->known_hist);
    r->known = NULL;
    r->known_hist = NULL;
    r->nknown = 0;
}

/* ---- showing the round ---- */

static const char *state_name(round_state s)
{
    return s == ROUND_OPEN ? "open" : s == ROUND_PLANNED ? "planned" : "none";
}

/* The person object of id: the round's record, else the session member. */
static proto_person person(sess *ss, const char *id)
{
    const round_person *p = app__round_person_find(ss->round, id);
    member *m = session_member(ss->s, id);
    proto_person out = {id, id, NULL};
    if (p && p->name[0])
        out.name = p->name;
    else if (m && m->info.name[0])
        out.name = m->info.name;
    if (p && p->country[0])
        out.country = p->country;
    else if (m)
        out.country = m->info.country;
    return out;
}

void app__fanout_role(sess *ss, action act, frame *f, const conn *except)
{
    session *s = ss->s;
    for (size_t i = 0; i < s->nmembers; i++) {
        member *m = s->members[i];
        member_conns *mc = m->user;
        if (m->online == 0 || mc == NULL ||
            (act != ACTION_COUNT && !perm_allows(m->info.role, act)))
            continue;
        for (conn *c = mc->head; c; c = c->mnext)
            if (c != except)
                app__send(c, f);
    }
}

/* Sends buf (taken) to c alone, or to everyone whose role may do act
 * (everyone for ACTION_COUNT) except the connection `except`. */
static void send_or_fanout(sess *ss, conn *c, action act, char *buf, size_t len,
                           const conn *except)
{
    if (c) {
        app__send_buf(c, buf, len);
        return;
    }
    frame *f = frame_take(buf, len, 0);
    app__fanout_role(ss, act, f, except);
    frame_unref(f);
}

static proto_help_request *help_list(sess *ss, size_t *n)
{
    breakout_round *r = ss->round;
    proto_help_request *out = app__need(calloc(r->nhelp + 1, sizeof(*out)));
    for (size_t i = 0; i < r->nhelp; i++)
        out[i] = (proto_help_request){
            r->help[i].id, person(ss, r->help[i].user), r->help[i].room,
            r->help[i].text, r->help[i].ts};
    *n = r->nhelp;
    return out;
}

/* The round as coordinators see it; *persons must be freed. */
static proto_round render(sess *ss, proto_round_group **groups,
                          proto_person **persons, proto_unassigned **un,
                          proto_visitor **vis, proto_help_request **help)
{
    breakout_round *r = ss->round;
    size_t total = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        total += r->groups[i].n;
    *persons = app__need(calloc(total + 1, sizeof(**persons)));
    *groups = app__need(calloc(r->ngroups + 1, sizeof(**groups)));
    *un = app__need(calloc(r->nunassigned + 1, sizeof(**un)));
    *vis = app__need(calloc(r->nvisits + 1, sizeof(**vis)));
    size_t k = 0, nhelp;
    for (size_t i = 0; i < r->ngroups; i++) {
        round_group *g = &r->groups[i];
        proto_person *first = *persons + k;
        for (size_t j = 0; j < g->n; j++)
            (*persons)[k++] = person(ss, g->members[j]);
        (*groups)[i] = (proto_round_group){g->room,
                                           first,
                                           g->n,
                                           g->language,
                                           g->language_ok,
                                           g->score,
                                           {g->reasons, g->reasons_len}};
    }
    for (size_t i = 0; i < r->nunassigned; i++)
        (*un)[i] = (proto_unassigned){person(ss, r->unassigned[i].a),
                                      r->unassigned[i].b};
    for (size_t i = 0; i < r->nvisits; i++)
        (*vis)[i] = (proto_visitor){r->visits[i].a, r->visits[i].b};
    *help = help_list(ss, &nhelp);
    return (proto_round){.id = NULL,
                         .state = state_name(r->state),
                         .mode =
                             proto_round_mode_name((proto_round_mode)r->mode),
                         .group_size = r->group_size,
                         .duration_ms = r->duration_ms,
                         .seed = r->seed,
                         .opened_at = r->opened_ms,
                         .deadline = r->deadline_ms,
                         .warned = r->warned,
                         .groups = *groups,
                         .ngroups = r->ngroups,
                         .unassigned = *un,
                         .nunassigned = r->nunassigned,
                         .warnings = {r->warnings, r->warnings_len},
                         .visitors = *vis,
                         .nvisitors = r->nvisits,
                         .help = *help,
                         .nhelp = nhelp,
                         .nnotes = r->nnotes};
}

/* Whether an open round waits for its paused item, with its time left. */
static proto_round_pause pause_of(sess *ss)
{
    breakout_round *r = ss->round;
    proto_round_pause p = {0, 0};
    if (r->state == ROUND_OPEN && app__round_item_paused(ss)) {
        p.paused = 1;
        p.left_ms = app__round_item_left(ss, app__wall_ms());
    }
    return p;
}

/* The round event (see app__round_send), sent to c or to every
 * coordinator but except. */
static void send_round(sess *ss, conn *c, const char *ref, const conn *except)
{
    breakout_round *r = app__round(ss);
    size_t len;
    char *buf;
    if (r->state == ROUND_NONE) {
        buf = proto_encode_round(NULL, ref, &len);
    } else {
        proto_round_group *groups;
        proto_person *persons;
        proto_unassigned *un;
        proto_visitor *vis;
        proto_help_request *help;
        proto_round pr = render(ss, &groups, &persons, &un, &vis, &help);
        char id[24];
        snprintf(id, sizeof(id), "r%lld", (long long)r->seq);
        proto_round_pause pause = pause_of(ss);
        pr.id = id;
        buf = proto_encode_round_paused(&pr, r->item, &pause, ref, &len);
        free(groups);
        free(persons);
        free(un);
        free(vis);
        free(help);
    }
    send_or_fanout(ss, c, ACTION_ROUND_MANAGE, buf, len, except);
}

void app__round_send(sess *ss, conn *c, const char *ref)
{
    send_round(ss, c, ref, NULL);
}

void app__round_announce(sess *ss, conn *by, const char *ref, int breakout)
{
    if (by)
        send_round(ss, by, ref, NULL);
    send_round(ss, NULL, NULL, by);
    if (breakout)
        app__round_send_breakout(ss, NULL, 0);
}

void app__round_send_breakout(sess *ss, conn *c, int warning)
{
    breakout_round *r = app__round(ss);
    proto_breakout_room *rooms =
        app__need(calloc(r->ngroups + 1, sizeof(*rooms)));
    const char **ids = NULL;
    size_t n = 0, total = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        total += r->groups[i].n;
    ids = app__need(calloc(total + 1, sizeof(*ids)));
    size_t k = 0;
    for (size_t i = 0; r->state == ROUND_OPEN && i < r->ngroups; i++) {
        round_group *g = &r->groups[i];
        if (!g->room[0])
            continue;
        const char **first = ids + k;
        for (size_t j = 0; j < g->n; j++)
            ids[k++] = g->members[j];
        rooms[n++] = (proto_breakout_room){g->room, first, g->n};
    }
    char id[24];
    snprintf(id, sizeof(id), "r%lld", (long long)r->seq);
    size_t len;
    proto_round_pause pause = pause_of(ss);
    char *buf = proto_encode_breakout_paused(
        id, r->state == ROUND_OPEN ? "open" : "closed",
        r->state == ROUND_OPEN ? r->deadline_ms : 0, warning, rooms, n, r->item,
        &pause, &len);
    free(rooms);
    free(ids);
    send_or_fanout(ss, c, ACTION_COUNT, buf, len, NULL);
}

void app__round_send_help(sess *ss, conn *c, const char *ref)
{
    size_t n, len;
    proto_help_request *help = help_list(ss, &n);
    char *buf = proto_encode_help_queue(help, n, ref, &len);
    free(help);
    send_or_fanout(ss, c, ACTION_HELP_ANSWER, buf, len, NULL);
}

/* ---- moving members between rooms ---- */

typedef struct move_req {
    conn *c;
    channel *ch;
    char room[SESSION_ID_MAX + 1];
    char from[SESSION_ID_MAX + 1];
    char cause[16];
    int64_t to;
    char *reasons; /* the group's reasons (JSON array) when moving into one */
    size_t reasons_len;
} move_req;

/* buf (an encoded JSON object, *len bytes, ending in '}') with
   "reasons":<json> added as its last member; frees buf. */
static char *add_reasons(char *buf, size_t *len, const char *json,
                         size_t json_len)
{
    static const char key[] = ",\"reasons\":";
    size_t head = *len - 1; /* without the closing brace */
    size_t n = head + sizeof(key) - 1 + json_len + 1;
    char *out = app__need(malloc(n + 1));
    memcpy(out, buf, head);
    memcpy(out + head, key, sizeof(key) - 1);
    memcpy(out + head + sizeof(key) - 1, json, json_len);
    out[n - 1] = '}';
    out[n] = '\0';
    free(buf);
    *len = n;
    return out;
}

static void moved_cb(const app_event *events, size_t n, const char *err,
                     void *data)
{
    move_req *mr = data;
    conn *c = mr->c;
    if (c->state == CONN_JOINED && c->member &&
        !strcmp(c->member->room, mr->room)) {
        channel *ch = mr->ch;
        size_t extra = ch->top > mr->to ? (size_t)(ch->top - mr->to) : 0;
        proto_raw *raws = app__need(calloc(n + extra + 1, sizeof(*raws)));
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            raws[k++] = events[i].raw;
        for (int64_t off = mr->to + 1; off <= ch->top; off++) {
            const channel_event *e = channel_get(ch, off);
            if (e)
                raws[k++] = (proto_raw){e->data, e->len};
        }
        proto_channel_state st = {ch->name, ch->top, 0, raws, k};
        size_t len;
        char *buf =
            proto_encode_moved(mr->room, mr->from, mr->cause, &st, &len);
        if (mr->reasons != NULL)
            buf = add_reasons(buf, &len, mr->reasons, mr->reasons_len);
        app__send_buf(c, buf, len);
        free(raws);
    }
    (void)err; /* storage unreachable: the latest events the ring holds */
    app__conn_unref(c);
    free(mr->reasons);
    free(mr);
}

void app__round_move(sess *ss, member *m, const char *room_id,
                     const char *cause)
{
    if (!strcmp(m->room, room_id))
        return;
    room *rm = session_room(ss->s, room_id);
    if (rm == NULL)
        return;
    char from[SESSION_ID_MAX + 1];
    snprintf(from, sizeof(from), "%s", m->room);
    snprintf(m->room, sizeof(m->room), "%s", room_id);
    app__audio_move(ss, m, from, room_id);
    if (m->online > 0)
        app__presence(ss, m, "move");
    app__audio_move(ss, m, from, room_id); /* the audio follows at once */
    /* Moving into a breakout of the open round: why this group is together. */
    const round_group *g = ss->round && ss->round->state == ROUND_OPEN
                               ? app__round_group_by_room(ss->round, room_id)
                               : NULL;
    member_conns *mc = m->user;
    for (conn *c = mc ? mc->head : NULL; c; c = c->mnext) {
        move_req *mr = app__need(calloc(1, sizeof(*mr)));
        if (g != NULL && g->reasons != NULL && g->reasons_len > 0) {
            mr->reasons = app__need(malloc(g->reasons_len));
            memcpy(mr->reasons, g->reasons, g->reasons_len);
            mr->reasons_len = g->reasons_len;
        }
        mr->c = app__conn_ref(c);
        mr->ch = rm->log;
        mr->to = rm->log->top;
        snprintf(mr->room, sizeof(mr->room), "%s", room_id);
        snprintf(mr->from, sizeof(mr->from), "%s", from);
        snprintf(mr->cause, sizeof(mr->cause), "%s", cause);
        int64_t first = mr->to - PAGE + 1 > 1 ? mr->to - PAGE + 1 : 1;
        app__events(ss, rm->log, first, mr->to, moved_cb, mr);
    }
}
