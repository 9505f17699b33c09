/* live_view: a session's live state as the JSON its events and joined
 * carry (docs/protocol.md section 10.1): typed views filled from the
 * domain (rooms/) and handed to the encoders of server/proto. Called by
 * live.c (events) and handle_join.c (joined.state). */
#include "server/app/live.h"
#include "server/proto/proto_breakout.h"

#include <stdlib.h>
#include <string.h>

const char *app__live_type(live_feature f)
{
    static const char *const names[] = {"",      "agenda",    "hands", "topics",
                                        "stage", "questions", "notes"};
    return (unsigned)f < sizeof(names) / sizeof(names[0]) ? names[f] : "";
}

static char *agenda_piece(const struct agenda *a, int64_t now, size_t *len)
{
    struct agenda_live lv;
    proto_agenda_item_view items[AGENDA_MAX_ITEMS];
    agenda_live_view(a, now, &lv);
    for (uint32_t i = 0; i < a->count; i++) {
        const struct agenda_item *it = agenda_at(a, i);
        items[i] = (proto_agenda_item_view){
            .id = it->id,
            .title = it->title,
            .lead = it->lead,
            .kind = agenda_kind_name(it->kind),
            .state = agenda_state_name(it->state),
            .timebox_ms = it->timebox_ms,
            .extended_ms = it->extended_ms,
            .elapsed_ms = it->id == lv.item_id ? lv.elapsed_ms : it->elapsed_ms,
            .started_at =
                it->first_started_ms == AGENDA_NEVER ? 0 : it->first_started_ms,
            .breakout_mode = it->breakout_mode > 0
                                 ? proto_round_mode_name((
                                       proto_round_mode)(it->breakout_mode - 1))
                                 : NULL,
            .breakout_size = it->breakout_size,
            .round = it->round};
    }
    const char *state = "idle";
    if (lv.item_id != 0)
        state = lv.state == AGENDA_ITEM_RUNNING ? "running" : "paused";
    else if (lv.finished)
        state = "finished";
    proto_agenda_view v = {.items = items,
                           .nitems = a->count,
                           .current = lv.item_id,
                           .state = state,
                           .started_at = lv.started_at_ms,
                           .total_ms = lv.total_ms,
                           .elapsed_ms = lv.elapsed_ms,
                           .time_left_ms = lv.time_left_ms,
                           .ends_at = lv.ends_at_ms,
                           .auto_advance = a->auto_advance,
                           .server_time = now};
    return proto_encode_agenda_view(&v, len);
}

static proto_person_view *people(const struct hands_entry *e, size_t n)
{
    proto_person_view *v = calloc(n + 1, sizeof(*v));
    if (v == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        v[i] = (proto_person_view){e[i].user, e[i].at_ms};
    return v;
}

static char *hands_piece(const struct hands *h, size_t *len)
{
    proto_person_view *q = people(h->queue, h->n_queue);
    proto_person_view *s = people(h->speaking, h->n_speaking);
    proto_hands_view v = {q, h->n_queue, s, h->n_speaking};
    char *out = proto_encode_hands_view(&v, len);
    free(q);
    free(s);
    return out;
}

static char *topics_piece(const struct topics *t, size_t *len)
{
    const struct topics_topic **sorted = calloc(t->n + 1, sizeof(*sorted));
    proto_topic_view *v = calloc(t->n + 1, sizeof(*v));
    const char **voters = calloc(t->n_votes + 1, sizeof(*voters));
    if (sorted == NULL || v == NULL || voters == NULL)
        abort();
    size_t n = topics_sorted(t, sorted, t->n), at = 0;
    for (size_t i = 0; i < n; i++) {
        const struct topics_topic *x = sorted[i];
        v[i] = (proto_topic_view){x->id,         x->title,    x->author,
                                  x->created_ms, voters + at, x->votes};
        for (uint32_t k = 0; k < x->votes; k++)
            voters[at++] = x->voters[k].user;
    }
    char *out = proto_encode_topics_view(v, n, len);
    free(sorted);
    free(v);
    free(voters);
    return out;
}

static char *stage_piece(const struct stage *s, size_t *len)
{
    proto_person_view sp[STAGE_SPEAKERS_LIMIT];
    for (size_t i = 0; i < s->n_speakers; i++)
        sp[i] =
            (proto_person_view){s->speakers[i].user, s->speakers[i].since_ms};
    proto_stage_view v = {s->max_speakers, sp, s->n_speakers};
    return proto_encode_stage_view(&v, len);
}

static char *questions_piece(const struct stage *s, size_t *len)
{
    size_t cap = s->n_questions;
    const struct stage_question **sorted = calloc(cap + 1, sizeof(*sorted));
    proto_question_view *v = calloc(cap + 1, sizeof(*v));
    const char **voters = calloc(s->n_votes + 1, sizeof(*voters));
    if (sorted == NULL || v == NULL || voters == NULL)
        abort();
    size_t n = stage_questions_sorted(s, true, sorted, cap), at = 0;
    for (size_t i = 0; i < n && i < cap; i++) {
        const struct stage_question *q = sorted[i];
        v[i] = (proto_question_view){.id = q->id,
                                     .text = q->text,
                                     .author = q->author,
                                     .asked_at = q->asked_ms,
                                     .answered_at = q->answered_ms,
                                     .answered = q->answered,
                                     .hidden = q->hidden,
                                     .pinned = q->pinned,
                                     .votes = q->votes,
                                     .voters = voters + at,
                                     .nvoters = q->votes};
        for (uint32_t k = 0; k < q->votes; k++)
            voters[at++] = q->voters[k].user;
    }
    char *out = proto_encode_questions_view(v, n < cap ? n : cap, len);
    free(sorted);
    free(v);
    free(voters);
    return out;
}

char *app__live_piece(sess *ss, live_feature f, int64_t now, size_t *len)
{
    struct live *lv = ss->live;
    switch (f) {
    case LIVE_AGENDA:
        return agenda_piece(&lv->agenda, now, len);
    case LIVE_HANDS:
        return hands_piece(&lv->hands, len);
    case LIVE_TOPICS:
        return topics_piece(&lv->topics, len);
    case LIVE_STAGE:
        return stage_piece(&lv->stage, len);
    case LIVE_QUESTIONS:
        return questions_piece(&lv->stage, len);
    case LIVE_NOTES:
        return app__prog_notes_piece(ss->app, ss->id, len);
    default:
        return proto_encode_object(NULL, NULL, 0, len);
    }
}

/* c's own pulses, as an array. */
static char *my_pulses(const struct pulse *p, const char *user, size_t *len)
{
    proto_pulse_view *v = calloc(p->n + 1, sizeof(*v));
    size_t n = 0;
    if (v == NULL)
        abort();
    for (size_t i = 0; i < p->n; i++) {
        const struct pulse_entry *e = &p->entries[i];
        if (strcmp(e->user, user) == 0)
            v[n++] =
                (proto_pulse_view){e->scope,      e->user, e->usefulness,
                                   e->will_apply, e->text, e->submitted_ms};
    }
    char *out = proto_encode_pulses_view(v, n, len);
    free(v);
    return out;
}

char *app__live_state(conn *c, size_t *len)
{
    enum {
        HOST,
        ENTRY,
        AGENDA,
        HANDS,
        TOPICS,
        STAGE,
        QUESTIONS,
        NOTES,
        PREVIOUS,
        PULSES,
        NKEYS
    };
    static const char *const keys[NKEYS] = {
        "host",  "entry",     "agenda", "hands",    "topics",
        "stage", "questions", "notes",  "previous", "pulses"};
    sess *ss = c->sess;
    int64_t now = app__wall_ms();
    proto_raw vals[NKEYS];
    char *bufs[NKEYS] = {0};
    const char *host = app__prog_host(c->app, ss->id);
    size_t n;

    bufs[HOST] = host ? proto_encode_string(host, &n) : NULL;
    vals[HOST].len = host ? n : 0;
    bufs[ENTRY] = app__prog_entry_piece(c->app, ss->id, &vals[ENTRY].len);
    for (int f = LIVE_AGENDA; f <= LIVE_NOTES; f++)
        bufs[AGENDA + f - LIVE_AGENDA] = app__live_piece(
            ss, (live_feature)f, now, &vals[AGENDA + f - LIVE_AGENDA].len);
    bufs[PREVIOUS] =
        app__prog_previous_piece(c->app, ss->id, &vals[PREVIOUS].len);
    bufs[PULSES] = my_pulses(&ss->live->pulse, c->info.id, &vals[PULSES].len);
    for (int i = 0; i < NKEYS; i++) {
        vals[i].json = bufs[i];
        if (bufs[i] == NULL)
            vals[i].len = 0;
    }
    char *out = proto_encode_object(keys, vals, NKEYS, len);
    for (int i = 0; i < NKEYS; i++)
        free(bufs[i]);
    return out;
}

char *app__live_joined(conn *c, char *joined, size_t *len)
{
    size_t slen;
    app__prog_attend(c->app, c->sess->id, c->info.id);
    char *state = app__live_state(c, &slen);
    proto_raw r = {state, slen};
    char *out = proto_encode_joined_state(joined, *len, &r, len);
    free(joined);
    free(state);
    return out;
}
