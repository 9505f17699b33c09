/* encode_session.c: the JSON of section 10's events and replies (agenda,
 * hands, topics, stage, questions, notes, pulses; the programme is in
 * encode_programme.c), called by the app's session handlers with typed
 * views it fills from the domain. Built with cJSON in a fixed field order;
 * integers exact, strings made well-formed UTF-8, as encode.c does. */
#include "server/proto/session_int.h"
#include "server/proto/session_proto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- builders ---- */

/* A number with three decimals (shares and means). */
static cJSON *jdec(double v)
{
    char buf[48];

    snprintf(buf, sizeof(buf), "%.3f", v);
    return proto__need(cJSON_CreateRaw(buf));
}

/* [{"user":..,"<key>":at}, ...] */
static cJSON *people(const proto_person_view *p, size_t n, const char *key)
{
    cJSON *arr = proto__jarray();

    for (size_t i = 0; i < n; i++) {
        cJSON *o = proto__jobject();
        proto__jput(o, "user", proto__jstr(p[i].user));
        proto__jput(o, key, proto__jint(p[i].at));
        proto__jpush(arr, o);
    }
    return arr;
}

/* ---- pieces ---- */

static cJSON *agenda_item(const proto_agenda_item_view *it)
{
    cJSON *o = proto__jobject();

    proto__jput(o, "id", proto__jint(it->id));
    proto__jput(o, "title", proto__jstr(it->title));
    proto__jput_str(o, "lead", it->lead);
    proto__jput(o, "kind", proto__jstr(it->kind));
    proto__jput(o, "state", proto__jstr(it->state));
    proto__jput(o, "timebox_ms", proto__jint(it->timebox_ms));
    proto__jput(o, "extended_ms", proto__jint(it->extended_ms));
    proto__jput(o, "elapsed_ms", proto__jint(it->elapsed_ms));
    if (it->started_at != 0)
        proto__jput(o, "started_at", proto__jint(it->started_at));
    if (it->breakout_mode != NULL || it->breakout_size != 0) {
        cJSON *b = proto__jobject();
        proto__jput_str(b, "mode", it->breakout_mode);
        if (it->breakout_size != 0)
            proto__jput(b, "size", proto__jint(it->breakout_size));
        proto__jput(o, "breakout", b);
    }
    if (it->round != 0) {
        char id[24];
        snprintf(id, sizeof(id), "r%lld", (long long)it->round);
        proto__jput(o, "round", proto__jstr(id));
    }
    return o;
}

char *proto_encode_agenda_view(const proto_agenda_view *v, size_t *len)
{
    cJSON *o = proto__jobject(), *items = proto__jarray();

    for (size_t i = 0; i < v->nitems; i++)
        proto__jpush(items, agenda_item(&v->items[i]));
    proto__jput(o, "items", items);
    proto__jput(o, "current",
                v->current ? proto__jint(v->current)
                           : proto__need(cJSON_CreateNull()));
    proto__jput(o, "state", proto__jstr(v->state));
    if (v->current) {
        proto__jput(o, "started_at", proto__jint(v->started_at));
        proto__jput(o, "total_ms", proto__jint(v->total_ms));
        proto__jput(o, "elapsed_ms", proto__jint(v->elapsed_ms));
        proto__jput(o, "time_left_ms", proto__jint(v->time_left_ms));
        if (v->ends_at != 0)
            proto__jput(o, "ends_at", proto__jint(v->ends_at));
    }
    proto__jput(o, "auto_advance", proto__jbool(v->auto_advance));
    proto__jput(o, "server_time", proto__jint(v->server_time));
    return proto__jfinish(o, len);
}

char *proto_encode_hands_view(const proto_hands_view *v, size_t *len)
{
    cJSON *o = proto__jobject();

    proto__jput(o, "queue", people(v->queue, v->nqueue, "raised_at"));
    proto__jput(o, "speaking", people(v->speaking, v->nspeaking, "since"));
    return proto__jfinish(o, len);
}

char *proto_encode_topics_view(const proto_topic_view *t, size_t n, size_t *len)
{
    cJSON *arr = proto__jarray();

    for (size_t i = 0; i < n; i++) {
        cJSON *o = proto__jobject();
        proto__jput(o, "id", proto__jint(t[i].id));
        proto__jput(o, "title", proto__jstr(t[i].title));
        proto__jput(o, "author", proto__jstr(t[i].author));
        proto__jput(o, "votes", proto__jint((int64_t)t[i].nvoters));
        proto__jput(o, "voters", proto__jstrings(t[i].voters, t[i].nvoters));
        proto__jput(o, "created_at", proto__jint(t[i].created_at));
        proto__jpush(arr, o);
    }
    return proto__jfinish(arr, len);
}

char *proto_encode_stage_view(const proto_stage_view *v, size_t *len)
{
    cJSON *o = proto__jobject();

    proto__jput(o, "max", proto__jint((int64_t)v->max));
    proto__jput(o, "speakers", people(v->speakers, v->nspeakers, "since"));
    return proto__jfinish(o, len);
}

char *proto_encode_questions_view(const proto_question_view *q, size_t n,
                                  size_t *len)
{
    cJSON *arr = proto__jarray();

    for (size_t i = 0; i < n; i++) {
        cJSON *o = proto__jobject();
        proto__jput(o, "id", proto__jint(q[i].id));
        if (!q[i].hidden) {
            proto__jput(o, "text", proto__jstr(q[i].text));
            proto__jput(o, "author", proto__jstr(q[i].author));
        }
        proto__jput(o, "votes", proto__jint(q[i].votes));
        if (!q[i].hidden)
            proto__jput(o, "voters",
                        proto__jstrings(q[i].voters, q[i].nvoters));
        proto__jput(o, "asked_at", proto__jint(q[i].asked_at));
        proto__jput(o, "answered", proto__jbool(q[i].answered));
        if (q[i].answered)
            proto__jput(o, "answered_at", proto__jint(q[i].answered_at));
        proto__jput(o, "hidden", proto__jbool(q[i].hidden));
        proto__jput(o, "pinned", proto__jbool(q[i].pinned));
        proto__jpush(arr, o);
    }
    return proto__jfinish(arr, len);
}

cJSON *proto__jnote(const proto_note_view *n)
{
    cJSON *o = proto__jobject();

    proto__jput(o, "id", proto__jint(n->id));
    proto__jput(o, "entry", proto__jint(n->entry));
    if (n->item != 0)
        proto__jput(o, "item", proto__jint(n->item));
    proto__jput_str(o, "item_title", n->item_title);
    proto__jput(o, "kind", proto__jstr(n->kind));
    proto__jput(o, "author", proto__jstr(n->author));
    proto__jput_str(o, "owner", n->owner);
    proto__jput(o, "text", proto__jstr(n->text));
    proto__jput(o, "done", proto__jbool(n->done));
    proto__jput(o, "created_at", proto__jint(n->created_at));
    return o;
}

char *proto_encode_note_view(const proto_note_view *n, size_t *len)
{
    return proto__jfinish(proto__jnote(n), len);
}

char *proto_encode_notes_view(const proto_note_view *n, size_t count,
                              size_t *len)
{
    cJSON *arr = proto__jarray();

    for (size_t i = 0; i < count; i++)
        proto__jpush(arr, proto__jnote(&n[i]));
    return proto__jfinish(arr, len);
}

static cJSON *pulse_node(const proto_pulse_view *p, cJSON *o)
{
    proto__jput(o, "scope", proto__jstr(p->scope));
    proto__jput(o, "user", proto__jstr(p->user));
    proto__jput(o, "usefulness", proto__jint(p->usefulness));
    proto__jput(o, "will_apply", proto__jbool(p->will_apply));
    proto__jput_str(o, "text", p->text);
    proto__jput(o, "submitted_at", proto__jint(p->submitted_at));
    return o;
}

char *proto_encode_pulse_view(const proto_pulse_view *p, size_t *len)
{
    return proto__jfinish(pulse_node(p, proto__jobject()), len);
}

char *proto_encode_pulses_view(const proto_pulse_view *p, size_t n, size_t *len)
{
    cJSON *arr = proto__jarray();

    for (size_t i = 0; i < n; i++)
        proto__jpush(arr, pulse_node(&p[i], proto__jobject()));
    return proto__jfinish(arr, len);
}

char *proto_encode_string(const char *s, size_t *len)
{
    return proto__jfinish(proto__jstr(s), len);
}

char *proto_encode_object(const char *const *keys, const proto_raw *vals,
                          size_t n, size_t *len)
{
    cJSON *o = proto__jobject();

    for (size_t i = 0; i < n; i++)
        if (vals[i].len > 0)
            proto__jput(o, keys[i], proto__jraw(&vals[i]));
    return proto__jfinish(o, len);
}

/* ---- events and replies ---- */

char *proto_encode_live_event(const proto_live_event *ev, size_t *len)
{
    cJSON *o = proto__jreply(ev->type, NULL);

    proto__jput(o, "channel", proto__jstr(ev->channel));
    proto__jput(o, "offset", proto__jint(ev->offset));
    proto__jput(o, "ts", proto__jint(ev->ts));
    proto__jput_str(o, "op", ev->op);
    if (ev->by != NULL)
        proto__jput(o, "by", proto__jfrom(ev->by));
    proto__jput_str(o, "event", ev->event);
    proto__jput_str(o, "user", ev->user);
    if (ev->id_key != NULL && ev->id != 0)
        proto__jput(o, ev->id_key, proto__jint(ev->id));
    proto__jput(o, ev->type, proto__jraw(&ev->state));
    return proto__jfinish(o, len);
}

char *proto_encode_joined_state(const char *joined, size_t jlen,
                                const proto_raw *state, size_t *len)
{
    static const char key[] = ",\"state\":";
    size_t at = jlen;
    char *out;

    while (at > 0 && joined[at - 1] != '}')
        at--;
    if (at == 0) /* not an object: nothing to add to */
        at = jlen + 1;
    at--;
    out = proto__need(malloc(at + sizeof(key) - 1 + state->len + 2));
    memcpy(out, joined, at);
    memcpy(out + at, key, sizeof(key) - 1);
    memcpy(out + at + sizeof(key) - 1, state->json, state->len);
    *len = at + sizeof(key) - 1 + state->len;
    out[(*len)++] = '}';
    out[*len] = '\0';
    return out;
}

char *proto_encode_pulse_reply(const char *ref, const proto_pulse_view *p,
                               size_t *len)
{
    return proto__jfinish(pulse_node(p, proto__jreply("pulse", ref)), len);
}

static cJSON *stats_node(const proto_pulse_stats_view *s)
{
    cJSON *o = proto__jobject(), *h = proto__jarray();

    proto__jput_str(o, "scope", s->scope);
    proto__jput(o, "count", proto__jint((int64_t)s->count));
    for (int i = 0; i < 5; i++)
        proto__jpush(h, proto__jint((int64_t)s->histogram[i]));
    proto__jput(o, "histogram", h);
    proto__jput(o, "mean_usefulness", jdec(s->mean_usefulness));
    proto__jput(o, "will_apply", proto__jint((int64_t)s->will_apply));
    proto__jput(o, "will_apply_share", jdec(s->will_apply_share));
    proto__jput(o, "comments", proto__jint((int64_t)s->comments));
    return o;
}

char *proto_encode_pulse_results(const char *ref, const char *session,
                                 const proto_pulse_stats_view *total,
                                 const proto_pulse_stats_view *scopes,
                                 size_t nscopes, const proto_pulse_view *p,
                                 size_t np, const char *csv, size_t csv_len,
                                 size_t *len)
{
    cJSON *o = proto__jreply("pulse_results", ref);
    cJSON *sc = proto__jarray(), *all = proto__jarray();

    proto__jput(o, "session", proto__jstr(session));
    proto__jput(o, "total", stats_node(total));
    for (size_t i = 0; i < nscopes; i++)
        proto__jpush(sc, stats_node(&scopes[i]));
    proto__jput(o, "scopes", sc);
    for (size_t i = 0; i < np; i++)
        proto__jpush(all, pulse_node(&p[i], proto__jobject()));
    proto__jput(o, "pulses", all);
    proto__jput(o, "csv", proto__jstr_n(csv ? csv : "", csv ? csv_len : 0));
    return proto__jfinish(o, len);
}
