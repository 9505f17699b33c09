/* hands: the raised-hand queue of one room and who is speaking. Pure.
 *
 * The queue keeps the server's arrival order: each raise gets the next
 * value of a sequence kept inside (never reused), so replaying the same
 * calls in the same order rebuilds the same queue. Members are named by a
 * user id string (1..HANDS_USER_MAX bytes, no control characters). No
 * permission checks here: who may call or clear is decided by rooms/perm. */
#ifndef KOPA_ROOMS_HANDS_H
#define KOPA_ROOMS_HANDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HANDS_USER_MAX 64     /* bytes, without the NUL */
#define HANDS_QUEUE_MAX 1024  /* raised hands at once */
#define HANDS_SPEAKING_MAX 64 /* people marked speaking at once */

typedef enum hands_err {
    HANDS_OK = 0,
    HANDS_ERR_USER,         /* empty, too long or malformed user id */
    HANDS_ERR_NOT_RAISED,   /* the user's hand is not up */
    HANDS_ERR_EMPTY,        /* nobody in the queue */
    HANDS_ERR_FULL,         /* a limit above is reached */
    HANDS_ERR_NOT_SPEAKING, /* the user is not marked speaking */
    HANDS_ERR_NOMEM
} hands_err;

/* A raised hand, or a speaker. Read-only for callers. */
struct hands_entry {
    char user[HANDS_USER_MAX + 1];
    uint64_t seq;  /* arrival (queue) or call (speaking) order */
    int64_t at_ms; /* when raised / when called */
};

/* Caller-allocated. Initialise with hands_init(), release with
 * hands_free(). Fields are read-only for callers. */
struct hands {
    struct hands_entry *queue; /* arrival order, oldest first */
    size_t n_queue, cap_queue;
    struct hands_entry *speaking; /* call order */
    size_t n_speaking, cap_speaking;
    uint64_t next_seq;
};

/* Returns a static English description of e. */
const char *hands_strerror(hands_err e);

/* Makes *h empty. */
void hands_init(struct hands *h);
/* Frees what *h holds and leaves it empty (usable again). NULL is a no-op. */
void hands_free(struct hands *h);
/* Makes *dst a deep copy of *src (dst is initialised here; free it with
 * hands_free()). Returns HANDS_OK or HANDS_ERR_NOMEM (dst then empty). */
hands_err hands_copy(struct hands *dst, const struct hands *src);

/* Raises user's hand at the end of the queue. Raising again is a no-op that
 * keeps the place; *changed (if not NULL) tells whether the queue changed.
 * Fails with USER, FULL or NOMEM. */
hands_err hands_raise(struct hands *h, const char *user, int64_t now_ms,
                      bool *changed);
/* Lowers user's hand. Fails with USER or NOT_RAISED. */
hands_err hands_lower(struct hands *h, const char *user);
/* Calls the first person in the queue: removes them from it and marks them
 * speaking. Copies their queue entry to *out when not NULL. Fails with
 * EMPTY or FULL (too many speaking; nothing changes). */
hands_err hands_call_next(struct hands *h, int64_t now_ms,
                          struct hands_entry *out);
/* Calls a specific user, whether or not their hand is up: removes them from
 * the queue if there and marks them speaking (calling a speaker again is a
 * no-op). Fails with USER, FULL or NOMEM. */
hands_err hands_call(struct hands *h, const char *user, int64_t now_ms);
/* Lowers every hand; speakers stay speaking. */
void hands_clear(struct hands *h);
/* Ends user's turn. Fails with USER or NOT_SPEAKING. */
hands_err hands_stop_speaking(struct hands *h, const char *user);
/* Ends every turn. */
void hands_stop_all(struct hands *h);
/* Drops user from the queue and the speakers (e.g. when they leave). */
void hands_forget(struct hands *h, const char *user);

/* 1-based place of user in the queue, or 0 when their hand is down. */
size_t hands_position(const struct hands *h, const char *user);
bool hands_is_speaking(const struct hands *h, const char *user);

#endif
