/* encode_breakout.c: profile and breakout events and replies -> JSON text
 * (docs/protocol.md section 11), called by the app's profile and breakout
 * handlers. Objects are built with cJSON in a fixed field order, integers
 * are written exactly, strings are made well-formed UTF-8, raw pieces
 * (reasons, warnings, events) go in verbatim. Out of memory aborts. */
#include "server/proto/encode_breakout.h"
#include "server/proto/encode_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *proto_round_mode_name(proto_round_mode m)
{
    static const char *const names[] = {"complementary", "shared_interest",
                                        "random", "manual"};
    return (unsigned)m < sizeof(names) / sizeof(names[0]) ? names[m] : names[0];
}

/* A raw JSON node; an empty piece is written as empty_json. */
static cJSON *raw(const proto_raw *r, const char *empty_json)
{
    if (r == NULL || r->len == 0)
        return proto__need(cJSON_CreateRaw(empty_json));
    return proto__jraw(r);
}

static cJSON *person_node(const proto_person *p)
{
    cJSON *obj = proto__jobject();
    proto__jput(obj, "id", proto__jstr(p->id));
    proto__jput(obj, "name", proto__jstr(p->name));
    proto__jput_str(obj, "country", p->country);
    return obj;
}

static cJSON *people_node(const proto_person *p, size_t n)
{
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < n; i++)
        proto__jpush(arr, person_node(&p[i]));
    return arr;
}

/* ---- profiles ---- */

static cJSON *version_node(const proto_profile_version *v)
{
    cJSON *obj = proto__jobject();
    proto__jput(obj, "stage", proto__jstr(v->stage));
    proto__jput_str(obj, "country", v->country);
    proto__jput(obj, "langs", proto__jstrings(v->langs, (size_t)v->nlangs));
    cJSON *marks = proto__jobject();
    for (int i = 0; i < v->nmarks; i++)
        proto__jput_key(marks, v->topics[i], proto__jstr(v->marks[i]));
    proto__jput(obj, "marks", marks);
    proto__jput(obj, "text", proto__jstr_n(v->text, v->text_len));
    proto__jput(obj, "updated_at", proto__jint(v->updated_at));
    return obj;
}

static cJSON *profile_node(const proto_profile *p)
{
    cJSON *obj = proto__jobject();
    proto__jput(obj, "user", person_node(&p->user));
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < p->nversions; i++)
        proto__jpush(arr, version_node(&p->versions[i]));
    proto__jput(obj, "versions", arr);
    return obj;
}

char *proto_encode_profile(const proto_profile *p, const char *ref, size_t *len)
{
    cJSON *obj = proto__jreply("profile", ref);
    cJSON *body = profile_node(p);
    proto__jput(obj, "user",
                proto__need(cJSON_DetachItemFromObject(body, "user")));
    proto__jput(obj, "versions",
                proto__need(cJSON_DetachItemFromObject(body, "versions")));
    cJSON_Delete(body);
    return proto__jfinish(obj, len);
}

char *proto_encode_profiles(const proto_profile *ps, size_t n, const char *ref,
                            size_t *len)
{
    cJSON *obj = proto__jreply("profiles", ref);
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < n; i++)
        proto__jpush(arr, profile_node(&ps[i]));
    proto__jput(obj, "profiles", arr);
    return proto__jfinish(obj, len);
}

/* ---- plans and rounds ---- */

char *proto_encode_reasons(const proto_reason *r, size_t n, size_t *len)
{
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = proto__jobject();
        proto__jput(o, "kind", proto__jstr(r[i].kind));
        proto__jput_str(o, "topic", r[i].topic);
        proto__jput_str(o, "a", r[i].a);
        proto__jput_str(o, "b", r[i].b);
        proto__jput_str(o, "language", r[i].language);
        if (r[i].met > 0)
            proto__jput(o, "met", proto__jint(r[i].met));
        proto__jput(o, "text", proto__jstr(r[i].text));
        proto__jpush(arr, o);
    }
    return proto__jfinish(arr, len);
}

char *proto_encode_plan_warnings(const proto_plan_warning *w, size_t n,
                                 size_t *len)
{
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = proto__jobject();
        proto__jput(o, "kind", proto__jstr(w[i].kind));
        proto__jput_str(o, "cause", w[i].cause);
        proto__jput_str(o, "person", w[i].person);
        proto__jput_str(o, "other", w[i].other);
        if (w[i].group >= 0)
            proto__jput(o, "group", proto__jint(w[i].group));
        proto__jput(o, "text", proto__jstr(w[i].text));
        proto__jpush(arr, o);
    }
    return proto__jfinish(arr, len);
}

static cJSON *group_node(const proto_round_group *g, size_t index)
{
    cJSON *o = proto__jobject();
    proto__jput(o, "index", proto__jint((int64_t)index));
    proto__jput_str(o, "room", g->room);
    proto__jput(o, "members", people_node(g->members, g->nmembers));
    proto__jput(o, "language", proto__jstr(g->language));
    proto__jput(o, "language_ok", proto__jbool(g->language_ok));
    proto__jput(o, "score", proto__jint(g->score));
    proto__jput(o, "reasons", raw(&g->reasons, "[]"));
    return o;
}

static cJSON *help_node(const proto_help_request *h)
{
    cJSON *o = proto__jobject();
    proto__jput(o, "id", proto__jint(h->id));
    proto__jput(o, "user", person_node(&h->user));
    proto__jput(o, "room", proto__jstr(h->room));
    proto__jput(o, "text", proto__jstr(h->text));
    proto__jput(o, "ts", proto__jint(h->ts));
    return o;
}

static cJSON *help_list(const proto_help_request *r, size_t n)
{
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < n; i++)
        proto__jpush(arr, help_node(&r[i]));
    return arr;
}

static cJSON *round_node(const proto_round *r)
{
    cJSON *o = proto__jobject();
    proto__jput(o, "id", proto__jstr(r->id));
    proto__jput(o, "state", proto__jstr(r->state));
    proto__jput(o, "mode", proto__jstr(r->mode));
    proto__jput(o, "group_size", proto__jint(r->group_size));
    proto__jput(o, "duration_ms", proto__jint(r->duration_ms));
    proto__jput(o, "seed", proto__jint(r->seed));
    if (r->opened_at)
        proto__jput(o, "opened_at", proto__jint(r->opened_at));
    if (r->deadline)
        proto__jput(o, "deadline", proto__jint(r->deadline));
    proto__jput(o, "warned", proto__jbool(r->warned));
    cJSON *groups = proto__jarray();
    for (size_t i = 0; i < r->ngroups; i++)
        proto__jpush(groups, group_node(&r->groups[i], i));
    proto__jput(o, "groups", groups);
    cJSON *un = proto__jarray();
    for (size_t i = 0; i < r->nunassigned; i++) {
        cJSON *u = person_node(&r->unassigned[i].person);
        proto__jput_str(u, "cause", r->unassigned[i].cause);
        proto__jpush(un, u);
    }
    proto__jput(o, "unassigned", un);
    proto__jput(o, "warnings", raw(&r->warnings, "[]"));
    cJSON *vis = proto__jarray();
    for (size_t i = 0; i < r->nvisitors; i++) {
        cJSON *v = proto__jobject();
        proto__jput(v, "user", proto__jstr(r->visitors[i].user));
        proto__jput(v, "room", proto__jstr(r->visitors[i].room));
        proto__jpush(vis, v);
    }
    proto__jput(o, "visitors", vis);
    proto__jput(o, "help", help_list(r->help, r->nhelp));
    proto__jput(o, "notes", proto__jint((int64_t)r->nnotes));
    return o;
}

/* "paused":true and "left_ms" when pause says the round waits. */
static void put_pause(cJSON *o, const proto_round_pause *pause)
{
    if (pause == NULL || !pause->paused)
        return;
    proto__jput(o, "paused", proto__jbool(1));
    proto__jput(o, "left_ms", proto__jint(pause->left_ms));
}

char *proto_encode_round_paused(const proto_round *r, uint32_t item,
                                const proto_round_pause *pause, const char *ref,
                                size_t *len)
{
    cJSON *obj = proto__jreply("round", ref);
    cJSON *node = r ? round_node(r) : proto__need(cJSON_CreateNull());
    if (r && item)
        proto__jput(node, "item", proto__jint(item));
    if (r)
        put_pause(node, pause);
    proto__jput(obj, "round", node);
    return proto__jfinish(obj, len);
}

char *proto_encode_round_item(const proto_round *r, uint32_t item,
                              const char *ref, size_t *len)
{
    return proto_encode_round_paused(r, item, NULL, ref, len);
}

char *proto_encode_round(const proto_round *r, const char *ref, size_t *len)
{
    return proto_encode_round_item(r, 0, ref, len);
}

static char *breakout_event(const char *round, const char *state,
                            int64_t deadline, int warning,
                            const proto_breakout_room *rooms, size_t n,
                            const char *ref, uint32_t item,
                            const proto_round_pause *pause, size_t *len)
{
    cJSON *obj = proto__jreply("breakout", ref);
    proto__jput(obj, "round", proto__jstr(round));
    proto__jput(obj, "state", proto__jstr(state));
    if (item)
        proto__jput(obj, "item", proto__jint(item));
    if (deadline)
        proto__jput(obj, "deadline", proto__jint(deadline));
    proto__jput(obj, "warning", proto__jbool(warning));
    put_pause(obj, pause);
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = proto__jobject();
        proto__jput(o, "room", proto__jstr(rooms[i].room));
        proto__jput(o, "members",
                    proto__jstrings(rooms[i].members, rooms[i].nmembers));
        proto__jpush(arr, o);
    }
    proto__jput(obj, "rooms", arr);
    return proto__jfinish(obj, len);
}

char *proto_encode_breakout(const char *round, const char *state,
                            int64_t deadline, int warning,
                            const proto_breakout_room *rooms, size_t n,
                            const char *ref, size_t *len)
{
    return breakout_event(round, state, deadline, warning, rooms, n, ref, 0,
                          NULL, len);
}

char *proto_encode_breakout_item(const char *round, const char *state,
                                 int64_t deadline, int warning,
                                 const proto_breakout_room *rooms, size_t n,
                                 uint32_t item, size_t *len)
{
    return breakout_event(round, state, deadline, warning, rooms, n, NULL, item,
                          NULL, len);
}

char *proto_encode_breakout_paused(const char *round, const char *state,
                                   int64_t deadline, int warning,
                                   const proto_breakout_room *rooms, size_t n,
                                   uint32_t item,
                                   const proto_round_pause *pause, size_t *len)
{
    return breakout_event(round, state, deadline, warning, rooms, n, NULL, item,
                          pause, len);
}

char *proto_encode_moved(const char *room, const char *from, const char *cause,
                         const proto_channel_state *ch, size_t *len)
{
    cJSON *obj = proto__jreply("moved", NULL);
    proto__jput(obj, "room", proto__jstr(room));
    proto__jput(obj, "from", proto__jstr(from));
    proto__jput(obj, "cause", proto__jstr(cause));
    cJSON *chans = proto__jobject();
    if (ch != NULL) {
        cJSON *st = proto__jobject();
        proto__jput(st, "offset", proto__jint(ch->offset));
        proto__jput(st, "recovered", proto__jbool(ch->recovered));
        cJSON *events = proto__jarray();
        for (size_t i = 0; i < ch->nevents; i++)
            proto__jpush(events, raw(&ch->events[i], "null"));
        proto__jput(st, "events", events);
        proto__jput_key(chans, ch->channel, st);
    }
    proto__jput(obj, "channels", chans);
    return proto__jfinish(obj, len);
}

/* ---- kept breakout events ---- */

static char *text_event(const char *type, const char *channel, int64_t offset,
                        const char *id, const proto_member *from,
                        const char *text, size_t text_len, int64_t ts,
                        size_t *len)
{
    cJSON *obj = proto__jmessage(type, channel, offset, id, from);
    proto__jput(obj, "text", proto__jstr_n(text, text_len));
    proto__jput(obj, "ts", proto__jint(ts));
    return proto__jfinish(obj, len);
}

char *proto_encode_broadcast(const char *channel, int64_t offset,
                             const char *id, const proto_member *from,
                             const char *text, size_t text_len, int64_t ts,
                             size_t *len)
{
    return text_event("broadcast", channel, offset, id, from, text, text_len,
                      ts, len);
}

char *proto_encode_breakout_note(const char *channel, int64_t offset,
                                 const char *id, const proto_member *from,
                                 const char *text, size_t text_len, int64_t ts,
                                 size_t *len)
{
    return text_event("breakout_note", channel, offset, id, from, text,
                      text_len, ts, len);
}

char *proto_encode_broadcast_ack(const char *id, const proto_offset *chs,
                                 size_t n, const char *ref, size_t *len)
{
    cJSON *obj = proto__jreply("broadcast_ack", ref);
    proto__jput(obj, "id", proto__jstr(id));
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = proto__jobject();
        proto__jput(o, "channel", proto__jstr(chs[i].channel));
        proto__jput(o, "offset", proto__jint(chs[i].offset));
        proto__jpush(arr, o);
    }
    proto__jput(obj, "channels", arr);
    return proto__jfinish(obj, len);
}

char *proto_encode_breakout_notes(const char *channel, int64_t offset,
                                  const char *round, int64_t ts,
                                  const proto_room_notes *rooms, size_t n,
                                  size_t *len)
{
    cJSON *obj = proto__jreply("breakout_notes", NULL);
    proto__jput(obj, "channel", proto__jstr(channel));
    proto__jput(obj, "offset", proto__jint(offset));
    proto__jput(obj, "round", proto__jstr(round));
    proto__jput(obj, "ts", proto__jint(ts));
    cJSON *arr = proto__jarray();
    for (size_t i = 0; i < n; i++) {
        cJSON *o = proto__jobject();
        proto__jput(o, "room", proto__jstr(rooms[i].room));
        proto__jput(o, "members",
                    people_node(rooms[i].members, rooms[i].nmembers));
        cJSON *notes = proto__jarray();
        for (size_t j = 0; j < rooms[i].nnotes; j++) {
            const proto_note_item *it = &rooms[i].notes[j];
            cJSON *no = proto__jobject();
            proto__jput(no, "id", proto__jstr(it->id));
            proto__jput(no, "from", person_node(&it->from));
            proto__jput(no, "text", proto__jstr_n(it->text, it->text_len));
            proto__jput(no, "ts", proto__jint(it->ts));
            proto__jpush(notes, no);
        }
        proto__jput(o, "notes", notes);
        proto__jpush(arr, o);
    }
    proto__jput(obj, "rooms", arr);
    return proto__jfinish(obj, len);
}

/* ---- help ---- */

char *proto_encode_help_queue(const proto_help_request *r, size_t n,
                              const char *ref, size_t *len)
{
    cJSON *obj = proto__jreply("help_queue", ref);
    proto__jput(obj, "requests", help_list(r, n));
    return proto__jfinish(obj, len);
}

char *proto_encode_help_asked(const proto_help_request *r, const char *ref,
                              size_t *len)
{
    cJSON *obj = proto__jreply("help_asked", ref);
    proto__jput(obj, "request", help_node(r));
    return proto__jfinish(obj, len);
}

char *proto_encode_help_resolved(int64_t id, const proto_person *by,
                                 const char *ref, size_t *len)
{
    cJSON *obj = proto__jreply("help_resolved", ref);
    proto__jput(obj, "request", proto__jint(id));
    proto__jput(obj, "by", person_node(by));
    return proto__jfinish(obj, len);
}

/* ---- coverage ---- */

/* A share of part in whole as a number with three decimals (0 when whole
 * is 0). */
static cJSON *share(uint64_t part, uint64_t whole)
{
    char buf[32];
    uint64_t milli = whole ? (part * 1000 + whole / 2) / whole : 0;
    snprintf(buf, sizeof(buf), "%" PRIu64 ".%03" PRIu64, milli / 1000,
             milli % 1000);
    return proto__need(cJSON_CreateRaw(buf));
}

char *proto_encode_coverage(const proto_coverage *cv, const char *ref,
                            size_t *len)
{
    cJSON *obj = proto__jreply("coverage", ref);
    proto__jput(obj, "people", people_node(cv->people, cv->n));
    cJSON *rows = proto__jarray();
    for (size_t i = 0; i < cv->n; i++) {
        cJSON *row = proto__jarray();
        for (size_t j = 0; j < cv->n; j++)
            proto__jpush(row, proto__jint(cv->matrix[i * cv->n + j]));
        proto__jpush(rows, row);
    }
    proto__jput(obj, "matrix", rows);
    proto__jput(obj, "rounds", proto__jint(cv->rounds));
    proto__jput(obj, "pairs", proto__jint((int64_t)cv->pairs));
    proto__jput(obj, "cross_pairs", proto__jint((int64_t)cv->cross_pairs));
    proto__jput(obj, "unknown_pairs", proto__jint((int64_t)cv->unknown_pairs));
    proto__jput(obj, "meetings", proto__jint((int64_t)cv->meetings));
    proto__jput(obj, "cross_meetings",
                proto__jint((int64_t)cv->cross_meetings));
    proto__jput(obj, "cross_share", share(cv->cross_pairs, cv->pairs));
    if (cv->csv != NULL)
        proto__jput(obj, "csv", proto__jstr_n(cv->csv, cv->csv_len));
    return proto__jfinish(obj, len);
}
