/* stage.c: a workshop's stage list and audience questions (rooms/stage.h).
 * Owns who is on stage, the questions, their votes and their display
 * order. Called by the app layer for stage and question messages and on
 * replay. */
#include "rooms/stage.h"

#include "rooms/rooms_int.h"

#include <stdlib.h>
#include <string.h>

const char *stage_strerror(stage_err e)
{
    switch (e) {
    case STAGE_OK:
        return "ok";
    case STAGE_ERR_INVALID:
        return "invalid argument";
    case STAGE_ERR_USER:
        return "invalid user id";
    case STAGE_ERR_TEXT:
        return "question is empty, too long or malformed";
    case STAGE_ERR_STAGE_FULL:
        return "the stage is full";
    case STAGE_ERR_NOT_ON_STAGE:
        return "not on the stage";
    case STAGE_ERR_NO_SUCH_QUESTION:
        return "no such question";
    case STAGE_ERR_HIDDEN:
        return "the question is hidden";
    case STAGE_ERR_FULL:
        return "too many questions or votes";
    case STAGE_ERR_NOMEM:
        return "out of memory";
    }
    return "unknown error";
}

/* The voter records hold nothing but the id, so that rooms__vote_*() can
 * treat them as NUL-padded strings of their size. */
_Static_assert(sizeof(struct stage_voter) == STAGE_USER_MAX + 1,
               "a stage_voter is its user id");

static bool user_ok(const char *u)
{
    return rooms__text_ok(u, 1, STAGE_USER_MAX, false);
}

static stage_err reserve_questions(struct stage *s)
{
    rooms__err e =
        rooms__reserve(&s->questions, sizeof *s->questions, s->n_questions,
                       &s->cap_questions, STAGE_QUESTIONS_MAX, 8);
    return e == ROOMS__OK     ? STAGE_OK
           : e == ROOMS__FULL ? STAGE_ERR_FULL
                              : STAGE_ERR_NOMEM;
}

static long speaker_index(const struct stage *s, const char *user)
{
    for (size_t i = 0; i < s->n_speakers; i++)
        if (strcmp(s->speakers[i].user, user) == 0)
            return (long)i;
    return -1;
}

static struct stage_question *find_q(const struct stage *s, uint32_t id)
{
    for (size_t i = 0; i < s->n_questions; i++)
        if (s->questions[i].id == id)
            return &s->questions[i];
    return NULL;
}

static long voter_index(const struct stage_question *q, const char *user)
{
    return rooms__vote_index(q->voters, q->votes, sizeof *q->voters, user);
}

void stage_init(struct stage *s)
{
    memset(s, 0, sizeof *s);
    s->max_speakers = STAGE_SPEAKERS_DEFAULT;
    s->next_id = 1;
    s->next_seq = 1;
}

void stage_free(struct stage *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_questions; i++)
        free(s->questions[i].voters);
    free(s->questions);
    stage_init(s);
}

stage_err stage_copy(struct stage *dst, const struct stage *src)
{
    *dst = *src;
    dst->questions = NULL;
    dst->n_questions = dst->cap_questions = 0;
    if (src->n_questions) {
        dst->questions = malloc(src->n_questions * sizeof *src->questions);
        if (!dst->questions)
            goto fail;
        dst->cap_questions = src->n_questions;
    }
    for (size_t i = 0; i < src->n_questions; i++) {
        struct stage_question *q = &dst->questions[i];
        *q = src->questions[i];
        q->voters = NULL;
        q->cap_voters = q->votes;
        dst->n_questions = i + 1; /* from here on stage_free() frees it */
        if (rooms__dup(&q->voters, src->questions[i].voters, q->votes,
                       sizeof *q->voters) != ROOMS__OK)
            goto fail;
    }
    return STAGE_OK;
fail:
    stage_free(dst);
    return STAGE_ERR_NOMEM;
}

/* ---- the stage --------------------------------------------------------- */

stage_err stage_set_max(struct stage *s, size_t max_speakers)
{
    if (max_speakers == 0 || max_speakers > STAGE_SPEAKERS_LIMIT ||
        max_speakers < s->n_speakers)
        return STAGE_ERR_INVALID;
    s->max_speakers = max_speakers;
    return STAGE_OK;
}

stage_err stage_add(struct stage *s, const char *user, int64_t now_ms,
                    bool *changed)
{
    if (changed)
        *changed = false;
    if (!user_ok(user))
        return STAGE_ERR_USER;
    if (speaker_index(s, user) >= 0)
        return STAGE_OK;
    if (s->n_speakers >= s->max_speakers)
        return STAGE_ERR_STAGE_FULL;
    struct stage_speaker *sp = &s->speakers[s->n_speakers++];
    rooms__set_text(sp->user, sizeof sp->user, user);
    sp->since_ms = now_ms;
    if (changed)
        *changed = true;
    return STAGE_OK;
}

stage_err stage_remove(struct stage *s, const char *user)
{
    if (!user_ok(user))
        return STAGE_ERR_USER;
    long i = speaker_index(s, user);
    if (i < 0)
        return STAGE_ERR_NOT_ON_STAGE;
    memmove(&s->speakers[i], &s->speakers[i + 1],
            (s->n_speakers - (size_t)i - 1) * sizeof s->speakers[0]);
    s->n_speakers--;
    memset(&s->speakers[s->n_speakers], 0, sizeof s->speakers[0]);
    return STAGE_OK;
}

bool stage_is_on(const struct stage *s, const char *user)
{
    return user_ok(user) && speaker_index(s, user) >= 0;
}

/* ---- questions --------------------------------------------------------- */

stage_err stage_ask(struct stage *s, const char *author, const char *text,
                    int64_t now_ms, uint32_t *id_out)
{
    if (!user_ok(author))
        return STAGE_ERR_USER;
    if (!rooms__text_ok(text, 1, STAGE_QUESTION_MAX, true))
        return STAGE_ERR_TEXT;
    size_t mine = 0;
    for (size_t i = 0; i < s->n_questions; i++)
        mine += strcmp(s->questions[i].author, author) == 0;
    if (mine >= STAGE_PER_AUTHOR_MAX)
        return STAGE_ERR_FULL;
    stage_err e = reserve_questions(s);
    if (e != STAGE_OK)
        return e;
    struct stage_question *q = &s->questions[s->n_questions++];
    memset(q, 0, sizeof *q);
    q->id = s->next_id++;
    q->seq = s->next_seq++;
    q->asked_ms = now_ms;
    rooms__set_text(q->author, sizeof q->author, author);
    rooms__set_text(q->text, sizeof q->text, text);
    if (id_out)
        *id_out = q->id;
    return STAGE_OK;
}

stage_err stage_withdraw(struct stage *s, uint32_t id)
{
    struct stage_question *q = find_q(s, id);
    if (!q)
        return STAGE_ERR_NO_SUCH_QUESTION;
    s->n_votes -= q->votes;
    free(q->voters);
    size_t i = (size_t)(q - s->questions);
    memmove(q, q + 1, (s->n_questions - i - 1) * sizeof *q);
    s->n_questions--;
    return STAGE_OK;
}

stage_err stage_vote(struct stage *s, uint32_t id, const char *user,
                     bool *changed)
{
    if (changed)
        *changed = false;
    if (!user_ok(user))
        return STAGE_ERR_USER;
    struct stage_question *q = find_q(s, id);
    if (!q)
        return STAGE_ERR_NO_SUCH_QUESTION;
    if (q->hidden)
        return STAGE_ERR_HIDDEN;
    if (voter_index(q, user) >= 0)
        return STAGE_OK;
    if (s->n_votes >= STAGE_VOTES_MAX)
        return STAGE_ERR_FULL;
    if (rooms__vote_add(&q->voters, &q->votes, &q->cap_voters,
                        sizeof *q->voters, user) != ROOMS__OK)
        return STAGE_ERR_NOMEM;
    s->n_votes++;
    if (changed)
        *changed = true;
    return STAGE_OK;
}

stage_err stage_unvote(struct stage *s, uint32_t id, const char *user,
                       bool *changed)
{
    if (changed)
        *changed = false;
    if (!user_ok(user))
        return STAGE_ERR_USER;
    struct stage_question *q = find_q(s, id);
    if (!q)
        return STAGE_ERR_NO_SUCH_QUESTION;
    long v = voter_index(q, user);
    if (v < 0)
        return STAGE_OK;
    rooms__vote_drop(q->voters, &q->votes, sizeof *q->voters, (uint32_t)v);
    s->n_votes--;
    if (changed)
        *changed = true;
    return STAGE_OK;
}

stage_err stage_answer(struct stage *s, uint32_t id, bool answered,
                       int64_t now_ms)
{
    struct stage_question *q = find_q(s, id);
    if (!q)
        return STAGE_ERR_NO_SUCH_QUESTION;
    if (q->answered != answered)
        q->answered_ms = answered ? now_ms : 0;
    q->answered = answered;
    return STAGE_OK;
}

stage_err stage_hide(struct stage *s, uint32_t id, bool hidden)
{
    struct stage_question *q = find_q(s, id);
    if (!q)
        return STAGE_ERR_NO_SUCH_QUESTION;
    q->hidden = hidden;
    return STAGE_OK;
}

stage_err stage_pin(struct stage *s, uint32_t id, bool pinned)
{
    struct stage_question *q = find_q(s, id);
    if (!q)
        return STAGE_ERR_NO_SUCH_QUESTION;
    q->pinned = pinned;
    return STAGE_OK;
}

bool stage_has_voted(const struct stage *s, uint32_t id, const char *user)
{
    const struct stage_question *q = find_q(s, id);
    return q && user_ok(user) && voter_index(q, user) >= 0;
}

const struct stage_question *stage_question(const struct stage *s, uint32_t id)
{
    return find_q(s, id);
}

/* Pinned first, then votes (desc), then time asked, then arrival. A strict
 * total order: seq is unique. */
static int rank(const void *x, const void *y)
{
    const struct stage_question *a = x, *b = y;
    if (a->pinned != b->pinned)
        return a->pinned ? -1 : 1;
    if (a->votes != b->votes)
        return a->votes > b->votes ? -1 : 1;
    if (a->asked_ms != b->asked_ms)
        return a->asked_ms < b->asked_ms ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int by_rank(const void *x, const void *y)
{
    return rank(*(const struct stage_question *const *)x,
                *(const struct stage_question *const *)y);
}

/* data points at include_hidden. */
static bool listed(const void *item, const void *data)
{
    const struct stage_question *q = item;
    return *(const bool *)data || !q->hidden;
}

size_t stage_questions_sorted(const struct stage *s, bool include_hidden,
                              const struct stage_question **out, size_t max)
{
    size_t total = 0;
    for (size_t i = 0; i < s->n_questions; i++)
        total += listed(&s->questions[i], &include_hidden);
    if (!out || max == 0)
        return total;
    if (max >= total) {
        size_t k = 0;
        for (size_t i = 0; i < s->n_questions; i++)
            if (listed(&s->questions[i], &include_hidden))
                out[k++] = &s->questions[i];
        qsort(out, k, sizeof *out, by_rank);
        return total;
    }
    const struct stage_question *prev = NULL; /* the top max, no allocation */
    for (size_t j = 0; j < max; j++)
        out[j] = prev = rooms__next_ranked(s->questions, s->n_questions,
                                           sizeof *s->questions, prev, rank,
                                           listed, &include_hidden);
    return total;
}
