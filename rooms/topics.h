/* topics: topic proposals for a session, with one vote per member per
 * topic. Pure.
 *
 * Members propose topics before or during a session and upvote them; the
 * list is ordered by votes (most first), then by proposal time, then by
 * arrival. Proposals get stable ids (1, 2, ...; never reused) and an
 * arrival sequence kept inside, so replaying the same calls in the same
 * order rebuilds the same state. Users are named by a user id string
 * (1..TOPICS_USER_MAX bytes, no control characters). No permission checks
 * here (who may remove a topic is decided by rooms/perm and the app). */
#ifndef KOPA_ROOMS_TOPICS_H
#define KOPA_ROOMS_TOPICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TOPICS_TITLE_MAX 160     /* bytes, without the NUL */
#define TOPICS_USER_MAX 64       /* bytes, without the NUL */
#define TOPICS_MAX 256           /* topics per session */
#define TOPICS_PER_AUTHOR_MAX 16 /* topics one member may have open */
#define TOPICS_VOTES_MAX 32768   /* votes over all topics */

typedef enum topics_err {
    TOPICS_OK = 0,
    TOPICS_ERR_USER,  /* empty, too long or malformed user id */
    TOPICS_ERR_TITLE, /* empty, too long or control characters */
    TOPICS_ERR_NO_SUCH_TOPIC,
    TOPICS_ERR_FULL, /* one of the limits above is reached */
    TOPICS_ERR_NOMEM
} topics_err;

struct topics_voter {
    char user[TOPICS_USER_MAX + 1];
};

/* A proposal. Read-only for callers. */
struct topics_topic {
    uint32_t id;
    uint32_t votes; /* == number of voters */
    int64_t created_ms;
    uint64_t seq;
    char author[TOPICS_USER_MAX + 1];
    char title[TOPICS_TITLE_MAX + 1];
    struct topics_voter *voters; /* owned; vote order not kept */
    uint32_t cap_voters;
};

/* Caller-allocated; topics_init() / topics_free(). Read-only fields. */
struct topics {
    struct topics_topic *items; /* proposal order */
    size_t n, cap;
    size_t n_votes; /* over all topics */
    uint32_t next_id;
    uint64_t next_seq;
};

/* Returns a static English description of e. */
const char *topics_strerror(topics_err e);

void topics_init(struct topics *t);
/* Frees what *t holds and leaves it empty. NULL is a no-op. */
void topics_free(struct topics *t);
/* Makes *dst (uninitialised) a deep copy of *src. Returns TOPICS_OK or
 * TOPICS_ERR_NOMEM (dst then empty). */
topics_err topics_copy(struct topics *dst, const struct topics *src);

/* Adds a proposal by author. Writes its id to *id_out when not NULL.
 * Fails with USER, TITLE, FULL or NOMEM. */
topics_err topics_propose(struct topics *t, const char *author,
                          const char *title, int64_t now_ms, uint32_t *id_out);
/* Replaces the title of topic id (votes stay). */
topics_err topics_edit(struct topics *t, uint32_t id, const char *title);
/* Removes topic id and its votes. */
topics_err topics_remove(struct topics *t, uint32_t id);
/* Adds user's vote to topic id. Voting again changes nothing;
 * *changed (if not NULL) tells whether a vote was added.
 * Fails with USER, NO_SUCH_TOPIC, FULL or NOMEM. */
topics_err topics_vote(struct topics *t, uint32_t id, const char *user,
                       bool *changed);
/* Takes user's vote back from topic id (no vote: no change, TOPICS_OK). */
topics_err topics_unvote(struct topics *t, uint32_t id, const char *user,
                         bool *changed);

bool topics_has_voted(const struct topics *t, uint32_t id, const char *user);
/* Returns topic id, or NULL. The pointer is valid until the next change. */
const struct topics_topic *topics_find(const struct topics *t, uint32_t id);
/* Writes up to max topic pointers to out, ordered by votes (desc), then
 * created_ms, then arrival. Returns how many topics exist (may exceed max).
 * The pointers are valid until the next change. */
size_t topics_sorted(const struct topics *t, const struct topics_topic **out,
                     size_t max);

#endif
