/* stage: a workshop's stage (who may speak) and its audience questions.
 * Pure.
 *
 * The expert hosts; they put people on the stage (up to a maximum) and take
 * questions from the audience. Members vote for questions (one vote per
 * member per question); the host or a coordinator answers, hides or pins
 * them. Questions are listed pinned first, then by votes (most first), then
 * by the time asked, then by arrival. Question ids are stable (1, 2, ...;
 * never reused) and arrival order is a sequence kept inside, so replaying
 * the same calls in the same order rebuilds the same state. Users are named
 * by a user id string (1..STAGE_USER_MAX bytes, no control characters).
 * No permission checks here (see rooms/perm). */
#ifndef KOPA_ROOMS_STAGE_H
#define KOPA_ROOMS_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define STAGE_USER_MAX 64       /* bytes, without the NUL */
#define STAGE_SPEAKERS_LIMIT 32 /* the largest stage allowed */
#define STAGE_SPEAKERS_DEFAULT 8
#define STAGE_QUESTION_MAX 500   /* bytes of question text */
#define STAGE_QUESTIONS_MAX 1000 /* questions per workshop */
#define STAGE_PER_AUTHOR_MAX 20  /* questions one member may ask */
#define STAGE_VOTES_MAX 65536    /* votes over all questions */

typedef enum stage_err {
    STAGE_OK = 0,
    STAGE_ERR_INVALID,    /* a bad argument (e.g. stage size) */
    STAGE_ERR_USER,       /* empty, too long or malformed user id */
    STAGE_ERR_TEXT,       /* empty, too long or control characters */
    STAGE_ERR_STAGE_FULL, /* the stage has max_speakers people */
    STAGE_ERR_NOT_ON_STAGE,
    STAGE_ERR_NO_SUCH_QUESTION,
    STAGE_ERR_HIDDEN, /* the question is hidden: no votes */
    STAGE_ERR_FULL,   /* question or vote limits reached */
    STAGE_ERR_NOMEM
} stage_err;

struct stage_speaker {
    char user[STAGE_USER_MAX + 1];
    int64_t since_ms;
};

struct stage_voter {
    char user[STAGE_USER_MAX + 1];
};

/* An audience question. Read-only for callers. */
struct stage_question {
    uint32_t id;
    uint32_t votes; /* == number of voters */
    uint64_t seq;
    int64_t asked_ms;
    int64_t answered_ms; /* 0 unless answered */
    bool answered, hidden, pinned;
    char author[STAGE_USER_MAX + 1];
    char text[STAGE_QUESTION_MAX + 1];
    struct stage_voter *voters; /* owned */
    uint32_t cap_voters;
};

/* Caller-allocated; stage_init() / stage_free(). Read-only fields. */
struct stage {
    size_t max_speakers;
    size_t n_speakers;
    struct stage_speaker speakers[STAGE_SPEAKERS_LIMIT]; /* order added */
    struct stage_question *questions;                    /* order asked */
    size_t n_questions, cap_questions;
    size_t n_votes; /* all questions */
    uint32_t next_id;
    uint64_t next_seq;
};

/* Returns a static English description of e. */
const char *stage_strerror(stage_err e);

/* Makes *s empty with a stage of STAGE_SPEAKERS_DEFAULT places. */
void stage_init(struct stage *s);
/* Frees what *s holds and leaves it empty. NULL is a no-op. */
void stage_free(struct stage *s);
/* Makes *dst (uninitialised) a deep copy of *src. Returns STAGE_OK or
 * STAGE_ERR_NOMEM (dst then empty). */
stage_err stage_copy(struct stage *dst, const struct stage *src);

/* Sets the stage size: 1..STAGE_SPEAKERS_LIMIT and not below the number
 * on stage now, else STAGE_ERR_INVALID. */
stage_err stage_set_max(struct stage *s, size_t max_speakers);
/* Puts user on the stage (already there: no change, *changed false).
 * Fails with USER or STAGE_FULL. */
stage_err stage_add(struct stage *s, const char *user, int64_t now_ms,
                    bool *changed);
/* Takes user off the stage. Fails with USER or NOT_ON_STAGE. */
stage_err stage_remove(struct stage *s, const char *user);
bool stage_is_on(const struct stage *s, const char *user);

/* Adds a question (1..STAGE_QUESTION_MAX bytes; newlines and tabs allowed,
 * other control characters not). Writes its id to *id_out when not NULL.
 * Fails with USER, TEXT, FULL or NOMEM. */
stage_err stage_ask(struct stage *s, const char *author, const char *text,
                    int64_t now_ms, uint32_t *id_out);
/* Removes question id and its votes (the author withdraws it). */
stage_err stage_withdraw(struct stage *s, uint32_t id);
/* Adds user's vote (again: no change). Fails with USER, NO_SUCH_QUESTION,
 * HIDDEN, FULL or NOMEM. *changed (if not NULL) tells if a vote was added. */
stage_err stage_vote(struct stage *s, uint32_t id, const char *user,
                     bool *changed);
/* Takes user's vote back (none: no change). */
stage_err stage_unvote(struct stage *s, uint32_t id, const char *user,
                       bool *changed);
/* Marks question id answered (at now_ms) or not. */
stage_err stage_answer(struct stage *s, uint32_t id, bool answered,
                       int64_t now_ms);
/* Hides or shows question id; a hidden question keeps its votes. */
stage_err stage_hide(struct stage *s, uint32_t id, bool hidden);
/* Pins or unpins question id (several may be pinned). */
stage_err stage_pin(struct stage *s, uint32_t id, bool pinned);

bool stage_has_voted(const struct stage *s, uint32_t id, const char *user);
/* Returns question id, or NULL; valid until the next change. */
const struct stage_question *stage_question(const struct stage *s, uint32_t id);
/* Writes up to max question pointers to out in display order, leaving out
 * hidden questions unless include_hidden. Returns how many questions
 * qualify (may exceed max). Pointers are valid until the next change. */
size_t stage_questions_sorted(const struct stage *s, bool include_hidden,
                              const struct stage_question **out, size_t max);

#endif
