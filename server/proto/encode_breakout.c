/* encode_breakout.c: profile and breakout events and replies -> JSON text
 * (docs/protocol.md section 11), called by the app's profile and breakout
 * handlers. Objects are built with cJSON in a fixed field order, integers
 * are written exactly, strings are made well-formed UTF-8, raw pieces
 * (reasons, warnings, events) go in verbatim. Out of memory aborts. */
#include "server/proto/encode_breakout.h"
#include "server/proto/proto_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cJSON *need(cJSON *x)
{
    return proto__need(x);
}

/* Adds item under key, a string literal (not copied). */
static void put(cJSON *obj, const char *key, cJSON *item)
{
    if (!cJSON_AddItemToObjectCS(obj, key, item))
        proto__need(NULL);
}

static void push(cJSON *arr, cJSON *item)
{
    if (!cJSON_AddItemToArray(arr, item))
        proto__need(NULL);
}

static int nonempty(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* A string node for s (len bytes); bytes outside well-formed UTF-8 and
 * NULs become U+FFFD. */
static cJSON *string_n(const char *s, size_t len)
{
    if (s == NULL)
        return need(cJSON_CreateString(""));
    if (len > (SIZE_MAX - 1) / 3)
        proto__need(NULL);
    const unsigned char *p = (const unsigned char *)s;
    char *out = proto__need(malloc(3 * len + 1)), *o = out;
    for (size_t i = 0; i < len;) {
        size_t n = p[i] ? proto__utf8_seq(p + i, len - i) : 0;
        if (n == 0) {
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
        } else {
            memcpy(o, p + i, n);
            o += n;
            i += n;
        }
    }
    *o = '\0';
    cJSON *node = need(cJSON_CreateString(out));
    free(out);
    return node;
}

static cJSON *string(const char *s)
{
    return string_n(s, s ? strlen(s) : 0);
}

static cJSON *integer(int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof(buf), "%" PRId64, v);
    return need(cJSON_CreateRaw(buf));
}

static cJSON *boolean(int v)
{
    return need(cJSON_CreateBool(v != 0));
}

/* A raw JSON node; an empty piece is written as empty_json. */
static cJSON *raw(const proto_raw *r, const char *empty_json)
{
    if (r == NULL || r->len == 0)
        return need(cJSON_CreateRaw(empty_json));
    char *copy = proto__need(malloc(r->len + 1));
    memcpy(copy, r->json, r->len);
    copy[r->len] = '\0';
    cJSON *node = need(cJSON_CreateRaw(copy));
    free(copy);
    return node;
}

/* A new object with "type" and, when ref is neither NULL nor "", "ref". */
static cJSON *start(const char *type, const char *ref)
{
    cJSON *obj = need(cJSON_CreateObject());
    put(obj, "type", need(cJSON_CreateStringReference(type)));
    if (nonempty(ref))
        put(obj, "ref", string(ref));
    return obj;
}

static char *finish(cJSON *obj, size_t *len)
{
    char *out = proto__need(cJSON_PrintUnformatted(obj));
    cJSON_Delete(obj);
    if (len != NULL)
        *len = strlen(out);
    return out;
}

static cJSON *person_node(const proto_person *p)
{
    cJSON *obj = need(cJSON_CreateObject());
    put(obj, "id", string(p->id));
    put(obj, "name", string(p->name));
    if (nonempty(p->country))
        put(obj, "country", string(p->country));
    return obj;
}

static cJSON *people_node(const proto_person *p, size_t n)
{
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++)
        push(arr, person_node(&p[i]));
    return arr;
}

static cJSON *strings_node(const char *const *s, size_t n)
{
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; s != NULL && i < n; i++)
        push(arr, string(s[i]));
    return arr;
}

/* Adds a member under a key that is not a literal (made UTF-8 first). */
static void put_dynamic(cJSON *obj, const char *key, cJSON *item)
{
    cJSON *k = string(key);
    if (!cJSON_AddItemToObject(obj, k->valuestring, item))
        proto__need(NULL);
    cJSON_Delete(k);
}

/* ---- profiles ---- */

static cJSON *version_node(const proto_profile_version *v)
{
    cJSON *obj = need(cJSON_CreateObject());
    put(obj, "stage", string(v->stage));
    if (nonempty(v->country))
        put(obj, "country", string(v->country));
    put(obj, "langs", strings_node(v->langs, (size_t)v->nlangs));
    cJSON *marks = need(cJSON_CreateObject());
    for (int i = 0; i < v->nmarks; i++)
        put_dynamic(marks, v->topics[i], string(v->marks[i]));
    put(obj, "marks", marks);
    put(obj, "text", string_n(v->text, v->text_len));
    put(obj, "updated_at", integer(v->updated_at));
    return obj;
}

static cJSON *profile_node(const proto_profile *p)
{
    cJSON *obj = need(cJSON_CreateObject());
    put(obj, "user", person_node(&p->user));
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < p->nversions; i++)
        push(arr, version_node(&p->versions[i]));
    put(obj, "versions", arr);
    return obj;
}

char *proto_encode_profile(const proto_profile *p, const char *ref, size_t *len)
{
    cJSON *obj = start("profile", ref);
    cJSON *body = profile_node(p);
    put(obj, "user", need(cJSON_DetachItemFromObject(body, "user")));
    put(obj, "versions", need(cJSON_DetachItemFromObject(body, "versions")));
    cJSON_Delete(body);
    return finish(obj, len);
}

char *proto_encode_profiles(const proto_profile *ps, size_t n, const char *ref,
                            size_t *len)
{
    cJSON *obj = start("profiles", ref);
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++)
        push(arr, profile_node(&ps[i]));
    put(obj, "profiles", arr);
    return finish(obj, len);
}

/* ---- plans and rounds ---- */

char *proto_encode_reasons(const proto_reason *r, size_t n, size_t *len)
{
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++) {
        cJSON *o = need(cJSON_CreateObject());
        put(o, "kind", string(r[i].kind));
        if (nonempty(r[i].topic))
            put(o, "topic", string(r[i].topic));
        if (nonempty(r[i].a))
            put(o, "a", string(r[i].a));
        if (nonempty(r[i].b))
            put(o, "b", string(r[i].b));
        if (nonempty(r[i].language))
            put(o, "language", string(r[i].language));
        if (r[i].met > 0)
            put(o, "met", integer(r[i].met));
        put(o, "text", string(r[i].text));
        push(arr, o);
    }
    return finish(arr, len);
}

char *proto_encode_plan_warnings(const proto_plan_warning *w, size_t n,
                                 size_t *len)
{
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++) {
        cJSON *o = need(cJSON_CreateObject());
        put(o, "kind", string(w[i].kind));
        if (nonempty(w[i].cause))
            put(o, "cause", string(w[i].cause));
        if (nonempty(w[i].person))
            put(o, "person", string(w[i].person));
        if (nonempty(w[i].other))
            put(o, "other", string(w[i].other));
        if (w[i].group >= 0)
            put(o, "group", integer(w[i].group));
        put(o, "text", string(w[i].text));
        push(arr, o);
    }
    return finish(arr, len);
}

static cJSON *group_node(const proto_round_group *g, size_t index)
{
    cJSON *o = need(cJSON_CreateObject());
    put(o, "index", integer((int64_t)index));
    if (nonempty(g->room))
        put(o, "room", string(g->room));
    put(o, "members", people_node(g->members, g->nmembers));
    put(o, "language", string(g->language));
    put(o, "language_ok", boolean(g->language_ok));
    put(o, "score", integer(g->score));
    put(o, "reasons", raw(&g->reasons, "[]"));
    return o;
}

static cJSON *help_node(const proto_help_request *h)
{
    cJSON *o = need(cJSON_CreateObject());
    put(o, "id", integer(h->id));
    put(o, "user", person_node(&h->user));
    put(o, "room", string(h->room));
    put(o, "text", string(h->text));
    put(o, "ts", integer(h->ts));
    return o;
}

static cJSON *help_list(const proto_help_request *r, size_t n)
{
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++)
        push(arr, help_node(&r[i]));
    return arr;
}

static cJSON *round_node(const proto_round *r)
{
    cJSON *o = need(cJSON_CreateObject());
    put(o, "id", string(r->id));
    put(o, "state", string(r->state));
    put(o, "mode", string(r->mode));
    put(o, "group_size", integer(r->group_size));
    put(o, "duration_ms", integer(r->duration_ms));
    put(o, "seed", integer(r->seed));
    if (r->opened_at)
        put(o, "opened_at", integer(r->opened_at));
    if (r->deadline)
        put(o, "deadline", integer(r->deadline));
    put(o, "warned", boolean(r->warned));
    cJSON *groups = need(cJSON_CreateArray());
    for (size_t i = 0; i < r->ngroups; i++)
        push(groups, group_node(&r->groups[i], i));
    put(o, "groups", groups);
    cJSON *un = need(cJSON_CreateArray());
    for (size_t i = 0; i < r->nunassigned; i++) {
        cJSON *u = person_node(&r->unassigned[i].person);
        if (nonempty(r->unassigned[i].cause))
            put(u, "cause", string(r->unassigned[i].cause));
        push(un, u);
    }
    put(o, "unassigned", un);
    put(o, "warnings", raw(&r->warnings, "[]"));
    cJSON *vis = need(cJSON_CreateArray());
    for (size_t i = 0; i < r->nvisitors; i++) {
        cJSON *v = need(cJSON_CreateObject());
        put(v, "user", string(r->visitors[i].user));
        put(v, "room", string(r->visitors[i].room));
        push(vis, v);
    }
    put(o, "visitors", vis);
    put(o, "help", help_list(r->help, r->nhelp));
    put(o, "notes", integer((int64_t)r->nnotes));
    return o;
}

char *proto_encode_round(const proto_round *r, const char *ref, size_t *len)
{
    cJSON *obj = start("round", ref);
    put(obj, "round", r ? round_node(r) : need(cJSON_CreateNull()));
    return finish(obj, len);
}

char *proto_encode_breakout(const char *round, const char *state,
                            int64_t deadline, int warning,
                            const proto_breakout_room *rooms, size_t n,
                            const char *ref, size_t *len)
{
    cJSON *obj = start("breakout", ref);
    put(obj, "round", string(round));
    put(obj, "state", string(state));
    if (deadline)
        put(obj, "deadline", integer(deadline));
    put(obj, "warning", boolean(warning));
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++) {
        cJSON *o = need(cJSON_CreateObject());
        put(o, "room", string(rooms[i].room));
        put(o, "members", strings_node(rooms[i].members, rooms[i].nmembers));
        push(arr, o);
    }
    put(obj, "rooms", arr);
    return finish(obj, len);
}

char *proto_encode_moved(const char *room, const char *from, const char *cause,
                         const proto_channel_state *ch, size_t *len)
{
    cJSON *obj = start("moved", NULL);
    put(obj, "room", string(room));
    put(obj, "from", string(from));
    put(obj, "cause", string(cause));
    cJSON *chans = need(cJSON_CreateObject());
    if (ch != NULL) {
        cJSON *st = need(cJSON_CreateObject());
        put(st, "offset", integer(ch->offset));
        put(st, "recovered", boolean(ch->recovered));
        cJSON *events = need(cJSON_CreateArray());
        for (size_t i = 0; i < ch->nevents; i++)
            push(events, raw(&ch->events[i], "null"));
        put(st, "events", events);
        put_dynamic(chans, ch->channel, st);
    }
    put(obj, "channels", chans);
    return finish(obj, len);
}

/* ---- kept breakout events ---- */

static cJSON *from_node(const proto_member *m)
{
    cJSON *obj = need(cJSON_CreateObject());
    put(obj, "id", string(m ? m->id : NULL));
    put(obj, "name", string(m ? m->name : NULL));
    put(obj, "role", string(m ? m->role : NULL));
    return obj;
}

static char *text_event(const char *type, const char *channel, int64_t offset,
                        const char *id, const proto_member *from,
                        const char *text, size_t text_len, int64_t ts,
                        size_t *len)
{
    cJSON *obj = start(type, NULL);
    put(obj, "channel", string(channel));
    put(obj, "offset", integer(offset));
    put(obj, "id", string(id));
    put(obj, "from", from_node(from));
    put(obj, "text", string_n(text, text_len));
    put(obj, "ts", integer(ts));
    return finish(obj, len);
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
    cJSON *obj = start("broadcast_ack", ref);
    put(obj, "id", string(id));
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++) {
        cJSON *o = need(cJSON_CreateObject());
        put(o, "channel", string(chs[i].channel));
        put(o, "offset", integer(chs[i].offset));
        push(arr, o);
    }
    put(obj, "channels", arr);
    return finish(obj, len);
}

char *proto_encode_breakout_notes(const char *channel, int64_t offset,
                                  const char *round, int64_t ts,
                                  const proto_room_notes *rooms, size_t n,
                                  size_t *len)
{
    cJSON *obj = start("breakout_notes", NULL);
    put(obj, "channel", string(channel));
    put(obj, "offset", integer(offset));
    put(obj, "round", string(round));
    put(obj, "ts", integer(ts));
    cJSON *arr = need(cJSON_CreateArray());
    for (size_t i = 0; i < n; i++) {
        cJSON *o = need(cJSON_CreateObject());
        put(o, "room", string(rooms[i].room));
        put(o, "members", people_node(rooms[i].members, rooms[i].nmembers));
        cJSON *notes = need(cJSON_CreateArray());
        for (size_t j = 0; j < rooms[i].nnotes; j++) {
            const proto_note_item *it = &rooms[i].notes[j];
            cJSON *no = need(cJSON_CreateObject());
            put(no, "id", string(it->id));
            put(no, "from", person_node(&it->from));
            put(no, "text", string_n(it->text, it->text_len));
            put(no, "ts", integer(it->ts));
            push(notes, no);
        }
        put(o, "notes", notes);
        push(arr, o);
    }
    put(obj, "rooms", arr);
    return finish(obj, len);
}

/* ---- help ---- */

char *proto_encode_help_queue(const proto_help_request *r, size_t n,
                              const char *ref, size_t *len)
{
    cJSON *obj = start("help_queue", ref);
    put(obj, "requests", help_list(r, n));
    return finish(obj, len);
}

char *proto_encode_help_asked(const proto_help_request *r, const char *ref,
                              size_t *len)
{
    cJSON *obj = start("help_asked", ref);
    put(obj, "request", help_node(r));
    return finish(obj, len);
}

char *proto_encode_help_resolved(int64_t id, const proto_person *by,
                                 const char *ref, size_t *len)
{
    cJSON *obj = start("help_resolved", ref);
    put(obj, "request", integer(id));
    put(obj, "by", person_node(by));
    return finish(obj, len);
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
    return need(cJSON_CreateRaw(buf));
}

char *proto_encode_coverage(const proto_coverage *cv, const char *ref,
                            size_t *len)
{
    cJSON *obj = start("coverage", ref);
    put(obj, "people", people_node(cv->people, cv->n));
    cJSON *rows = need(cJSON_CreateArray());
    for (size_t i = 0; i < cv->n; i++) {
        cJSON *row = need(cJSON_CreateArray());
        for (size_t j = 0; j < cv->n; j++)
            push(row, integer(cv->matrix[i * cv->n + j]));
        push(rows, row);
    }
    put(obj, "matrix", rows);
    put(obj, "rounds", integer(cv->rounds));
    put(obj, "pairs", integer((int64_t)cv->pairs));
    put(obj, "cross_pairs", integer((int64_t)cv->cross_pairs));
    put(obj, "unknown_pairs", integer((int64_t)cv->unknown_pairs));
    put(obj, "meetings", integer((int64_t)cv->meetings));
    put(obj, "cross_meetings", integer((int64_t)cv->cross_meetings));
    put(obj, "cross_share", share(cv->cross_pairs, cv->pairs));
    if (cv->csv != NULL)
        put(obj, "csv", string_n(cv->csv, cv->csv_len));
    return finish(obj, len);
}
