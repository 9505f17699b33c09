/* hands.c: the raised-hand queue and the speaking set of one room
 * (rooms/hands.h). Owns both lists and the arrival sequence. Called by the
 * app layer for hand messages and when a room is rebuilt from its log. */
#include "rooms/hands.h"

#include "rooms/rooms_int.h"

#include <stdlib.h>
#include <string.h>

const char *hands_strerror(hands_err e)
{
    switch (e) {
    case HANDS_OK:
        return "ok";
    case HANDS_ERR_USER:
        return "invalid user id";
    case HANDS_ERR_NOT_RAISED:
        return "hand is not raised";
    case HANDS_ERR_EMPTY:
        return "nobody has a hand up";
    case HANDS_ERR_FULL:
        return "too many hands or speakers";
    case HANDS_ERR_NOT_SPEAKING:
        return "not speaking";
    case HANDS_ERR_NOMEM:
        return "out of memory";
    }
    return "unknown error";
}

static bool user_ok(const char *u)
{
    return rooms__text_ok(u, 1, HANDS_USER_MAX, false);
}

static long find(const struct hands_entry *list, size_t n, const char *user)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i].user, user) == 0)
            return (long)i;
    return -1;
}

static void drop(struct hands_entry *list, size_t *n, size_t i)
{
    memmove(&list[i], &list[i + 1], (*n - i - 1) * sizeof list[0]);
    (*n)--;
}

/* Makes room for one more entry (up to max). */
static hands_err reserve(struct hands_entry **list, size_t n, size_t *cap,
                         size_t max)
{
    rooms__err e = rooms__reserve(list, sizeof **list, n, cap, max, 8);
    return e == ROOMS__OK     ? HANDS_OK
           : e == ROOMS__FULL ? HANDS_ERR_FULL
                              : HANDS_ERR_NOMEM;
}

static void fill(struct hands_entry *e, const char *user, uint64_t seq,
                 int64_t at)
{
    memset(e, 0, sizeof *e);
    memcpy(e->user, user, strlen(user));
    e->seq = seq;
    e->at_ms = at;
}

void hands_init(struct hands *h)
{
    memset(h, 0, sizeof *h);
    h->next_seq = 1;
}

void hands_free(struct hands *h)
{
    if (!h)
        return;
    free(h->queue);
    free(h->speaking);
    hands_init(h);
}

static hands_err dup_list(struct hands_entry **dst, size_t *cap,
                          const struct hands_entry *src, size_t n)
{
    if (rooms__dup(dst, src, n, sizeof *src) != ROOMS__OK)
        return HANDS_ERR_NOMEM;
    *cap = n;
    return HANDS_OK;
}

hands_err hands_copy(struct hands *dst, const struct hands *src)
{
    hands_init(dst);
    if (dup_list(&dst->queue, &dst->cap_queue, src->queue, src->n_queue) ||
        dup_list(&dst->speaking, &dst->cap_speaking, src->speaking,
                 src->n_speaking))
        goto fail;
    dst->n_queue = src->n_queue;
    dst->n_speaking = src->n_speaking;
    dst->next_seq = src->next_seq;
    return HANDS_OK;
fail:
    hands_free(dst);
    return HANDS_ERR_NOMEM;
}

hands_err hands_raise(struct hands *h, const char *user, int64_t now_ms,
                      bool *changed)
{
    if (changed)
        *changed = false;
    if (!user_ok(user))
        return HANDS_ERR_USER;
    if (find(h->queue, h->n_queue, user) >= 0)
        return HANDS_OK;
    hands_err e =
        reserve(&h->queue, h->n_queue, &h->cap_queue, HANDS_QUEUE_MAX);
    if (e != HANDS_OK)
        return e;
    fill(&h->queue[h->n_queue++], user, h->next_seq++, now_ms);
    if (changed)
        *changed = true;
    return HANDS_OK;
}

hands_err hands_lower(struct hands *h, const char *user)
{
    if (!user_ok(user))
        return HANDS_ERR_USER;
    long i = find(h->queue, h->n_queue, user);
    if (i < 0)
        return HANDS_ERR_NOT_RAISED;
    drop(h->queue, &h->n_queue, (size_t)i);
    return HANDS_OK;
}

/* Marks user speaking (no-op if already). */
static hands_err add_speaker(struct hands *h, const char *user, int64_t now)
{
    if (find(h->speaking, h->n_speaking, user) >= 0)
        return HANDS_OK;
    hands_err e = reserve(&h->speaking, h->n_speaking, &h->cap_speaking,
                          HANDS_SPEAKING_MAX);
    if (e != HANDS_OK)
        return e;
    fill(&h->speaking[h->n_speaking++], user, h->next_seq++, now);
    return HANDS_OK;
}

hands_err hands_call_next(struct hands *h, int64_t now_ms,
                          struct hands_entry *out)
{
    if (h->n_queue == 0)
        return HANDS_ERR_EMPTY;
    struct hands_entry first = h->queue[0];
    hands_err e = add_speaker(h, first.user, now_ms);
    if (e != HANDS_OK)
        return e;
    drop(h->queue, &h->n_queue, 0);
    if (out)
        *out = first;
    return HANDS_OK;
}

hands_err hands_call(struct hands *h, const char *user, int64_t now_ms)
{
    if (!user_ok(user))
        return HANDS_ERR_USER;
    hands_err e = add_speaker(h, user, now_ms);
    if (e != HANDS_OK)
        return e;
    long i = find(h->queue, h->n_queue, user);
    if (i >= 0)
        drop(h->queue, &h->n_queue, (size_t)i);
    return HANDS_OK;
}

void hands_clear(struct hands *h)
{
    h->n_queue = 0;
}

hands_err hands_stop_speaking(struct hands *h, const char *user)
{
    if (!user_ok(user))
        return HANDS_ERR_USER;
    long i = find(h->speaking, h->n_speaking, user);
    if (i < 0)
        return HANDS_ERR_NOT_SPEAKING;
    drop(h->speaking, &h->n_speaking, (size_t)i);
    return HANDS_OK;
}

void hands_stop_all(struct hands *h)
{
    h->n_speaking = 0;
}

void hands_forget(struct hands *h, const char *user)
{
    if (!user_ok(user))
        return;
    long i = find(h->queue, h->n_queue, user);
    if (i >= 0)
        drop(h->queue, &h->n_queue, (size_t)i);
    i = find(h->speaking, h->n_speaking, user);
    if (i >= 0)
        drop(h->speaking, &h->n_speaking, (size_t)i);
}

size_t hands_position(const struct hands *h, const char *user)
{
    if (!user_ok(user))
        return 0;
    return (size_t)(find(h->queue, h->n_queue, user) + 1);
}

bool hands_is_speaking(const struct hands *h, const char *user)
{
    return user_ok(user) && find(h->speaking, h->n_speaking, user) >= 0;
}
