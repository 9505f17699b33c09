/* topics.c: topic proposals and their votes for one session
 * (rooms/topics.h). Owns the proposals, the vote set and the ordering.
 * Called by the app layer for topic messages and on replay. */
#include "rooms/topics.h"

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

/* 1..max bytes without control characters. */
static bool line_ok(const char *s, size_t max)
{
    size_t n = s ? strnlen(s, max + 1) : 0;
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

static void set_text(char *dst, size_t cap, const char *src)
{
    memset(dst, 0, cap);
    memcpy(dst, src, strlen(src));
}

/* The capacity needed for one more element (up to max), or 0 when full. */
static size_t next_cap(size_t n, size_t cap, size_t max)
{
    if (n >= max)
        return 0;
    if (n < cap)
        return cap;
    size_t c = cap ? cap * 2 : 8;
    return c > max ? max : c;
}

static topics_err reserve_items(struct topics *t)
{
    size_t c = next_cap(t->n, t->cap, TOPICS_MAX);
    if (c == 0)
        return TOPICS_ERR_FULL;
    if (c != t->cap) {
        struct topics_topic *p = realloc(t->items, c * sizeof *p);
        if (!p)
            return TOPICS_ERR_NOMEM;
        t->items = p;
        t->cap = c;
    }
    return TOPICS_OK;
}

/* Room for one more voter on topic tp. */
static topics_err reserve_voter(struct topics *t, struct topics_topic *tp)
{
    if (t->n_votes >= TOPICS_VOTES_MAX)
        return TOPICS_ERR_FULL;
    if (tp->votes < tp->cap_voters)
        return TOPICS_OK;
    uint32_t c = tp->cap_voters ? tp->cap_voters * 2 : 4;
    struct topics_voter *v = realloc(tp->voters, c * sizeof *v);
    if (!v)
        return TOPICS_ERR_NOMEM;
    tp->voters = v;
    tp->cap_voters = c;
    return TOPICS_OK;
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
    for (uint32_t i = 0; i < tp->votes; i++)
        if (strcmp(tp->voters[i].user, user) == 0)
            return (long)i;
    return -1;
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
        if (tp->votes) {
            tp->voters = malloc(tp->votes * sizeof *tp->voters);
            if (!tp->voters)
                goto fail;
            memcpy(tp->voters, src->items[i].voters,
                   tp->votes * sizeof *tp->voters);
        }
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
    set_text(tp->author, sizeof tp->author, author);
    set_text(tp->title, sizeof tp->title, title);
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
    set_text(t->items[i].title, sizeof t->items[i].title, title);
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
    topics_err e = reserve_voter(t, tp);
    if (e != TOPICS_OK)
        return e;
    set_text(tp->voters[tp->votes].user, sizeof tp->voters[0].user, user);
    tp->votes++;
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
    tp->voters[v] = tp->voters[tp->votes - 1];
    tp->votes--;
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

static int by_rank(const void *x, const void *y)
{
    const struct topics_topic *a = *(const struct topics_topic *const *)x;
    const struct topics_topic *b = *(const struct topics_topic *const *)y;
    if (a->votes != b->votes)
        return a->votes > b->votes ? -1 : 1;
    if (a->created_ms != b->created_ms)
        return a->created_ms < b->created_ms ? -1 : 1;
    return a->seq < b->seq ? -1 : a->seq > b->seq;
}

size_t topics_sorted(const struct topics *t, const struct topics_topic **out,
                     size_t max)
{
    if (!out || max == 0)
        return t->n;
    /* Partial output: rank everything, then keep the first max. Selection
     * by repeated minimum keeps this allocation-free for any max. */
    size_t k = max < t->n ? max : t->n;
    if (k == t->n) {
        for (size_t i = 0; i < t->n; i++)
            out[i] = &t->items[i];
        qsort(out, t->n, sizeof *out, by_rank);
        return t->n;
    }
    for (size_t j = 0; j < k; j++) {
        const struct topics_topic *best = NULL;
        for (size_t i = 0; i < t->n; i++) {
            const struct topics_topic *c = &t->items[i];
            if (j && by_rank(&c, &out[j - 1]) <= 0)
                continue; /* already taken */
            if (!best || by_rank(&c, &best) < 0)
                best = c;
        }
        out[j] = best;
    }
    return t->n;
}
