/* topics.c: topic proposals and their votes for one session
 * (rooms/topics.h). Owns the proposals, the vote set and the ordering.
 * Called by the app layer for topic messages and on replay. */
#include "rooms/topics.h"

#include "rooms/rooms_int.h"

#include <stdlib.h>
#include <string.h>

const char *topics_strerror(topics_err e)
{
    switch (e) {
    case TOPICS_OK:
        return "ok";
    case TOPICS_ERR_USER:
        return "invalid user id";
    case TOPICS_ERR_TITLE:
        return "title is empty, too long or malformed";
    case TOPICS_ERR_NO_SUCH_TOPIC:
        return "no such topic";
    case TOPICS_ERR_FULL:
        return "too many topics or votes";
    case TOPICS_ERR_NOMEM:
        return "out of memory";
    }
    return "unknown error";
}

/* The voter records hold nothing but the id, so that rooms__vote_*() can
 * treat them as NUL-padded strings of their size. */
_Static_assert(sizeof(struct topics_voter) == TOPICS_USER_MAX + 1,
               "a topics_voter is its user id");

/* 1..max bytes without control characters. */
static bool line_ok(const char *s, size_t max)
{
    return rooms__text_ok(s, 1, max, false);
}

static topics_err reserve_items(struct topics *t)
{
    rooms__err e = rooms__reserve(&t->items, sizeof *t->items, t->n, &t->cap,
                                  TOPICS_MAX, 8);
    return e == ROOMS__OK     ? TOPICS_OK
           : e == ROOMS__FULL ? TOPICS_ERR_FULL
                              : TOPICS_ERR_NOMEM;
}

static long topic_index(const struct topics *t, uint32_t id)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->items[i].id == id)
            return (long)i;
    return -1;
}

static long voter_index(const struct topics_topic *tp, const char *user)
{
    return rooms__vote_index(tp->voters, tp->votes, sizeof *tp->voters, user);
}

void topics_init(struct topics *t)
{
    memset(t, 0, sizeof *t);
    t->next_id = 1;
    t->next_seq = 1;
}

void topics_free(struct topics *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->items[i].voters);
    free(t->items);
    topics_init(t);
}

topics_err topics_copy(struct topics *dst, const struct topics *src)
{
    topics_init(dst);
    if (src->n) {
        dst->items = malloc(src->n * sizeof *src->items);
        if (!dst->items)
            goto fail;
        dst->cap = src->n;
    }
    for (size_t i = 0; i < src->n; i++) {
        struct topics_topic *tp = &dst->items[i];
        *tp = src->items[i];
        tp->voters = NULL;
        tp->cap_voters = tp->votes;
        dst->n = i + 1; /* from here on, topics_free() frees tp->voters */
        if (rooms__dup(&tp->voters, src->items[i].voters, tp->votes,
                       sizeof *tp->voters) != ROOMS__OK)
            goto fail;
    }
    dst->n_votes = src->n_votes;
    dst->next_id = src->next_id;
    dst->next_seq = src->next_seq;
    return TOPICS_OK;
fail:
    topics_free(dst);
    return TOPICS_ERR_NOMEM;
}

topics_err topics_propose(struct topics *t, const char *author,
                          const char *title, int64_t now_ms, uint32_t *id_out)
{
    if (!line_ok(author, TOPICS_USER_MAX))
        return TOPICS_ERR_USER;
    if (!line_ok(title, TOPICS_TITLE_MAX))
        return TOPICS_ERR_TITLE;
    size_t mine = 0;
    for (size_t i = 0; i < t->n; i++)
        mine += strcmp(t->items[i].author, author) == 0;
    if (mine >= TOPICS_PER_AUTHOR_MAX)
        return TOPICS_ERR_FULL;
    topics_err e = reserve_items(t);
    if (e != TOPICS_OK)
        return e;
    struct topics_topic *tp = &t->items[t->n++];
    memset(tp, 0, sizeof *tp);
    tp->id = t->next_id++;
    tp->seq = t->next_seq++;
    tp->created_ms = now_ms;
    rooms__set_text(tp->author, sizeof tp->author, author);
    rooms__set_text(tp->title, sizeof tp->title, title);
    if (id_out)
        *id_out = tp->id;
    return TOPICS_OK;
}

topics_err topics_edit(struct topics *t, uint32_t id, const char *title)
{
    long i = topic_index(t, id);
    if (i < 0)
        return TOPICS_ERR_NO_SUCH_TOPIC;
    if (!line_ok(title, TOPICS_TITLE_MAX))
        return TOPICS_ERR_TITLE;
    rooms__set_text(t->items[i].title, sizeof t->items[i].title, title);
    return TOPICS_OK;
}

topics_err topics_remove(struct topics *t, uint32_t id)
{
    long i = topic_index(t, id);
    if (i < 0)
        return TOPICS_ERR_NO_SUCH_TOPIC;
    t->n_votes -= t->items[i].votes;
    free(t->items[i].voters);
    memmove(&t->items[i], &t->items[i + 1],
            (t->n - (size_t)i - 1) * sizeof *t->items);
    t->n--;
    return TOPICS_OK;
}

topics_err topics_vote(struct topics *t, uint32_t id, const char *user,
                       bool *changed)
{
    if (changed)
        *changed = false;
    if (!line_ok(user, TOPICS_USER_MAX))
        return TOPICS_ERR_USER;
    long i = topic_index(t, id);
    if (i < 0)
        return TOPICS_ERR_NO_SUCH_TOPIC;
    struct topics_topic *tp = &t->items[i];
    if (voter_index(tp, user) >= 0)
        return TOPICS_OK;
    if (t->n_votes >= TOPICS_VOTES_MAX)
        return TOPICS_ERR_FULL;
    if (rooms__vote_add(&tp->voters, &tp->votes, &tp->cap_voters,
                        sizeof *tp->voters, user) != ROOMS__OK)
        return TOPICS_ERR_NOMEM;
    t->n_votes++;
    if (changed)
        *changed = true;
    return TOPICS_OK;
}

topics_err topics_unvote(struct topics *t, uint32_t id, const char *user,
                         bool *changed)
{
    if (changed)
        *changed = false;
    if (!line_ok(user, TOPICS_USER_MAX))
        return TOPICS_ERR_USER;
    long i = topic_index(t, id);
    if (i < 0)
        return TOPICS_ERR_NO_SUCH_TOPIC;
    struct topics_topic *tp = &t->items[i];
    long v = voter_index(tp, user);
    if (v < 0)
        return TOPICS_OK;
    rooms__vote_drop(tp->voters, &tp->votes, sizeof *tp->voters, (uint32_t)v);
    t->n_votes--;
    if (changed)
        *changed = true;
    return TOPICS_OK;
}

bool topics_has_voted(const struct topics *t, uint32_t id, const char *user)
{
    long i = topic_index(t, id);
    return i >= 0 && line_ok(user, TOPICS_USER_MAX) &&
           voter_index(&t->items[i], user) >= 0;
}

const struct topics_topic *topics_find(const struct topics *t, uint32_t id)
{
    long i = topic_index(t, id);
    return i < 0 ? NULL : &t->items[i];
}

/* Votes (desc), then proposal time, then arrival: a strict total order. */
static int rank(const void *x, const void *y)
{
    const struct topics_topic *a = x, *b = y;
    if (a->votes != b->votes)
        return a->votes > b->votes ? -1 : 1;
    if (a->created_ms != b->created_ms)
        return a->created_ms < b->created_ms ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int by_rank(const void *x, const void *y)
{
    return rank(*(const struct topics_topic *const *)x,
                *(const struct topics_topic *const *)y);
}

size_t topics_sorted(const struct topics *t, const struct topics_topic **out,
                     size_t max)
{
    if (!out || max == 0)
        return t->n;
    if (max >= t->n) {
        for (size_t i = 0; i < t->n; i++)
            out[i] = &t->items[i];
        qsort(out, t->n, sizeof *out, by_rank);
        return t->n;
    }
    const struct topics_topic *prev = NULL; /* the top max, no allocation */
    for (size_t j = 0; j < max; j++)
        out[j] = prev = rooms__next_ranked(t->items, t->n, sizeof *t->items,
                                           prev, rank, NULL, NULL);
    return t->n;
}
