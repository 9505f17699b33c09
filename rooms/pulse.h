/* pulse: the short feedback form after a session or a breakout. Pure.
 *
 * One store per session. Each member submits at most one pulse per scope
 * (the session itself or one of its breakout rooms, named by an id string);
 * submitting again replaces the earlier answer and keeps its place. A pulse
 * is usefulness 1..5, "I will apply something from this" yes/no, and an
 * optional comment. Coordinators read aggregates per scope or for the whole
 * session, and export every pulse as CSV. Ids (session, scope, user) are
 * 1..PULSE_ID_MAX bytes without control characters. No permission checks
 * here (only coordinators may read results: see rooms/perm). */
#ifndef KOPA_ROOMS_PULSE_H
#define KOPA_ROOMS_PULSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PULSE_ID_MAX 64         /* bytes of a session, scope or user id */
#define PULSE_TEXT_MAX 1000     /* bytes of a comment */
#define PULSE_ENTRIES_MAX 10000 /* pulses per session store */

typedef enum pulse_err {
    PULSE_OK = 0,
    PULSE_ERR_ID,         /* session, scope or user id malformed */
    PULSE_ERR_USEFULNESS, /* not in 1..5 */
    PULSE_ERR_TEXT,       /* comment too long or control characters */
    PULSE_ERR_NOT_FOUND,
    PULSE_ERR_FULL, /* PULSE_ENTRIES_MAX reached */
    PULSE_ERR_NOMEM,
    PULSE_ERR_NOSPACE /* output buffer too small */
} pulse_err;

/* One answer. Read-only for callers. */
struct pulse_entry {
    char scope[PULSE_ID_MAX + 1];
    char user[PULSE_ID_MAX + 1];
    int usefulness; /* 1..5 */
    bool will_apply;
    char *text;           /* owned by the store; NULL when no comment */
    int64_t submitted_ms; /* latest submission */
    uint64_t seq;         /* first submission order */
    uint32_t key;         /* hash of scope and user, to find it quickly */
};

/* Caller-allocated; pulse_init() / pulse_free(). Read-only fields. */
struct pulse {
    char session[PULSE_ID_MAX + 1];
    struct pulse_entry *entries; /* first submission order */
    size_t n, cap;
    uint64_t next_seq;
};

struct pulse_stats {
    size_t count;
    size_t histogram[5];     /* histogram[k]: answers with usefulness k+1 */
    double mean_usefulness;  /* 0 when count is 0 */
    size_t will_apply;       /* "yes" answers */
    double will_apply_share; /* will_apply / count; 0 when count is 0 */
    size_t comments;         /* answers with a comment */
};

/* CSV flags. */
#define PULSE_CSV_HEADER 1u    /* start with the header row */
#define PULSE_CSV_ANONYMOUS 2u /* leave the user column empty */
#define PULSE_CSV_NEUTRALISE                                                   \
    4u /* prefix ' to text cells starting with                                 \
          = + - @ tab or CR (spreadsheet formulas) */

/* Returns a static English description of e. */
const char *pulse_strerror(pulse_err e);

/* Makes *p an empty store for session_id. Fails with PULSE_ERR_ID (then *p
 * is empty with an empty session id; pulse_free() is still safe). */
pulse_err pulse_init(struct pulse *p, const char *session_id);
/* Frees what *p holds, leaving it empty. NULL is a no-op. */
void pulse_free(struct pulse *p);

/* Records user's pulse for scope (text may be NULL or ""). Replaces an
 * earlier one by the same user for the same scope; *replaced (if not NULL)
 * tells which happened. Fails with ID, USEFULNESS, TEXT, FULL or NOMEM,
 * leaving the store unchanged. */
pulse_err pulse_submit(struct pulse *p, const char *scope, const char *user,
                       int usefulness, bool will_apply, const char *text,
                       int64_t now_ms, bool *replaced);
/* Deletes every pulse of user (erasure on request). Returns how many. */
size_t pulse_forget_user(struct pulse *p, const char *user);
/* Returns user's pulse for scope, or NULL. Valid until the next change. */
const struct pulse_entry *pulse_find(const struct pulse *p, const char *scope,
                                     const char *user);

/* Aggregates the pulses of scope, or of every scope when scope is NULL. */
void pulse_stats(const struct pulse *p, const char *scope,
                 struct pulse_stats *out);
/* Writes up to max distinct scopes (borrowed from the store) to out, in
 * order of first pulse. Returns how many there are. */
size_t pulse_scopes(const struct pulse *p, const char **out, size_t max);

/* Writes every pulse as CSV (RFC 4180: CRLF line ends; cells holding a
 * comma, quote, CR or LF are quoted, quotes doubled) into buf, cap bytes,
 * without a NUL. Columns:
 *   session, scope, user, submitted_at (UTC, YYYY-MM-DDTHH:MM:SSZ),
 *   usefulness (1-5), will_apply (yes/no), comment
 * one row per pulse in first-submission order. Sets *len to the bytes
 * written, or needed. Returns PULSE_OK, or PULSE_ERR_NOSPACE when cap is
 * too small (buf then holds a truncated prefix). buf may be NULL to ask
 * for the size. */
pulse_err pulse_csv(const struct pulse *p, unsigned flags, char *buf,
                    size_t cap, size_t *len);

#endif
