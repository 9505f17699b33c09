/* programme: a network's plan of sessions, their notes and commitments,
 * and who attended. Pure.
 *
 * A session entry has a kind (peer-learning or workshop), a title, a start
 * (UTC milliseconds plus the IANA zone name it was planned in; browsers
 * display it), a duration, a host (user id) and an agenda template that
 * becomes the live agenda (rooms/agenda) when the session opens. Notes and
 * commitments are attached to a session's agenda items; after a session
 * the app records who attended, and at the start of a later session
 * programme_carry_over() finds the notes of the latest earlier session
 * that shared people with it. Ids are stable (1, 2, ...; never reused).
 * No permission checks here (see rooms/perm). */
#ifndef KOPA_ROOMS_PROGRAMME_H
#define KOPA_ROOMS_PROGRAMME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "rooms/agenda.h"
#include "rooms/tz.h"

#define PROGRAMME_TITLE_MAX 120   /* bytes */
#define PROGRAMME_USER_MAX 64     /* bytes of a user id */
#define PROGRAMME_TEMPLATE_MAX 32 /* agenda items in a template */
#define PROGRAMME_SESSIONS_MAX 512
#define PROGRAMME_DURATION_MIN_MS (5 * 60 * 1000LL)
#define PROGRAMME_DURATION_MAX_MS (12 * 3600 * 1000LL)
#define PROGRAMME_START_MIN_MS 946684800000LL  /* 2000-01-01T00:00Z */
#define PROGRAMME_START_MAX_MS 4102444800000LL /* 2100-01-01T00:00Z */
#define PROGRAMME_NOTE_MAX 1000                /* bytes of note text */
#define PROGRAMME_NOTES_MAX 4096      /* notes over the whole programme */
#define PROGRAMME_ATTENDANCE_MAX 1024 /* people per session */
#define PROGRAMME_NAME_MAX 128        /* bytes of an attendee's display name */

typedef enum programme_err {
    PROGRAMME_OK = 0,
    PROGRAMME_ERR_INVALID, /* a bad argument (NULL, ...) */
    PROGRAMME_ERR_KIND,
    PROGRAMME_ERR_TITLE, /* empty, too long or control characters */
    PROGRAMME_ERR_START, /* outside 2000..2100 */
    PROGRAMME_ERR_TZ,    /* not shaped like an IANA zone name */
    PROGRAMME_ERR_DURATION,
    PROGRAMME_ERR_USER,              /* host, author, owner or attendee id */
    PROGRAMME_ERR_TEMPLATE,          /* an item is invalid, or too many items */
    PROGRAMME_ERR_TEMPLATE_TOO_LONG, /* timeboxes exceed the duration */
    PROGRAMME_ERR_TEXT, /* note text empty, too long or malformed */
    PROGRAMME_ERR_NO_SUCH_SESSION,
    PROGRAMME_ERR_NO_SUCH_NOTE,
    PROGRAMME_ERR_NOT_COMMITMENT,
    PROGRAMME_ERR_FULL, /* a limit above is reached */
    PROGRAMME_ERR_NOMEM,
    PROGRAMME_ERR_BREAKOUT /* a template item's breakout settings */
} programme_err;

typedef enum programme_kind {
    PROGRAMME_PEER_LEARNING = 0,
    PROGRAMME_WORKSHOP,
    PROGRAMME_KIND_COUNT
} programme_kind;

typedef enum programme_note_kind {
    PROGRAMME_NOTE = 0,
    PROGRAMME_COMMITMENT,
    PROGRAMME_NOTE_KIND_COUNT
} programme_note_kind;

/* A template item's settings for the breakout round it proposes, as
 * agenda_set_breakout() takes them: mode 0..AGENDA_BREAKOUT_MODES and size
 * 0 or AGENDA_BREAKOUT_SIZE_MIN..MAX (0: the default). */
struct programme_breakout {
    int mode, size;
};

/* What the caller supplies for a session (borrowed). */
struct programme_session_spec {
    programme_kind kind;
    const char *title;
    int64_t start_ms; /* UTC */
    const char *tz;   /* IANA zone name, e.g. "Europe/Riga" */
    int64_t duration_ms;
    const char *host; /* user id of the coordinator or expert */
    const struct agenda_item_spec *items; /* template; NULL when n_items 0 */
    size_t n_items;
    /* breakouts[i] goes with items[i]; all zero: no settings. */
    struct programme_breakout breakouts[PROGRAMME_TEMPLATE_MAX];
};

struct programme_item {
    agenda_item_kind kind;
    int64_t timebox_ms;
    char title[AGENDA_TITLE_MAX + 1];
    char lead[AGENDA_USER_MAX + 1];
    struct programme_breakout breakout; /* zero: none */
};

struct programme_user {
    char id[PROGRAMME_USER_MAX + 1];
    char name[PROGRAMME_NAME_MAX + 1]; /* display name; "" when unknown */
};

/* A session entry. Read-only for callers. */
struct programme_session {
    uint32_t id;
    programme_kind kind;
    int64_t start_ms, duration_ms;
    char title[PROGRAMME_TITLE_MAX + 1];
    char tz[TZ_NAME_MAX + 1];
    char host[PROGRAMME_USER_MAX + 1];
    size_t n_items;
    struct programme_item items[PROGRAMME_TEMPLATE_MAX];
    struct programme_user *attendees; /* owned; sorted, unique */
    size_t n_attendees;
};

/* What the caller supplies for a note (borrowed). */
struct programme_note_spec {
    uint32_t session_id;
    uint32_t item_id;       /* live agenda item id; 0: the session */
    const char *item_title; /* shown later; NULL or "" allowed */
    programme_note_kind kind;
    const char *author;
    const char *owner; /* who committed; NULL or "" for none */
    const char *text;  /* 1..PROGRAMME_NOTE_MAX, newlines ok */
};

/* A note or commitment. Read-only for callers. */
struct programme_note {
    uint32_t id, session_id, item_id;
    programme_note_kind kind;
    bool done; /* commitments: fulfilled */
    int64_t created_ms;
    char item_title[AGENDA_TITLE_MAX + 1];
    char author[PROGRAMME_USER_MAX + 1];
    char owner[PROGRAMME_USER_MAX + 1];
    char *text; /* owned */
};

/* Caller-allocated; programme_init() / programme_free(). */
struct programme {
    struct programme_session *sessions; /* order added */
    size_t n_sessions, cap_sessions;
    struct programme_note *notes; /* order added */
    size_t n_notes, cap_notes;
    uint32_t next_session_id, next_note_id;
};

/* Returns a static English description of e. */
const char *programme_strerror(programme_err e);
/* "peer-learning" / "workshop" / "unknown", and the reverse. */
const char *programme_kind_name(programme_kind k);
programme_err programme_kind_parse(const char *s, size_t len,
                                   programme_kind *out);

void programme_init(struct programme *p);
/* Frees what *p holds, leaving it empty. NULL is a no-op. */
void programme_free(struct programme *p);

/* Checks a session spec without changing anything: TEMPLATE for an
 * invalid item, BREAKOUT for settings out of range. */
programme_err programme_check(const struct programme_session_spec *spec);
/* Adds a session; writes its id to *id_out when not NULL. Fails with the
 * errors of programme_check(), FULL or NOMEM. */
programme_err programme_add(struct programme *p,
                            const struct programme_session_spec *spec,
                            uint32_t *id_out);
/* Replaces session id's fields; its attendance and notes stay. */
programme_err programme_edit(struct programme *p, uint32_t id,
                             const struct programme_session_spec *spec);
/* Removes session id with its attendance and its notes. */
programme_err programme_remove(struct programme *p, uint32_t id);
/* Returns session id, or NULL; valid until the next change. */
const struct programme_session *programme_find(const struct programme *p,
                                               uint32_t id);
/* Writes up to max sessions to out ordered by start, then id. Returns how
 * many sessions there are. Pointers are valid until the next change. */
size_t programme_sorted(const struct programme *p,
                        const struct programme_session **out, size_t max);
/* Makes *a the live agenda of session s (its template with each item's
 * breakout settings, every item pending). Returns PROGRAMME_OK, or
 * PROGRAMME_ERR_TEMPLATE if an item is refused (cannot happen for a stored
 * session). */
programme_err programme_to_agenda(const struct programme_session *s,
                                  bool auto_advance, int64_t now_ms,
                                  struct agenda *a);

/* Sets who attended session id (replacing any earlier list, names
 * included: every name is unknown afterwards; duplicates count once).
 * Fails with NO_SUCH_SESSION, USER, FULL (n above
 * PROGRAMME_ATTENDANCE_MAX) or NOMEM, leaving the old list. */
programme_err programme_set_attendance(struct programme *p, uint32_t id,
                                       const char *const *users, size_t n);
/* Records that user attended session id, with display name `name` (NULL
 * or "" when unknown). An attendee already listed stays where it is; a
 * non-empty name replaces the one known. Sets *changed (when not NULL) to
 * whether the list or a name changed. Fails with NO_SUCH_SESSION, USER (a
 * bad id, or a name too long or with control characters), FULL or NOMEM,
 * changing nothing. */
programme_err programme_attend(struct programme *p, uint32_t id,
                               const char *user, const char *name,
                               bool *changed);

/* Attaches a note to an agenda item of a session. Fails with
 * NO_SUCH_SESSION, KIND, TITLE (item title), USER, TEXT, FULL or NOMEM. */
programme_err programme_note_add(struct programme *p,
                                 const struct programme_note_spec *spec,
                                 int64_t now_ms, uint32_t *id_out);
programme_err programme_note_remove(struct programme *p, uint32_t id);
/* Marks commitment id fulfilled or not (NOT_COMMITMENT for plain notes). */
programme_err programme_commitment_done(struct programme *p, uint32_t id,
                                        bool done);
/* Writes up to max notes of session id (in order added) to out; returns
 * how many it has. */
size_t programme_notes_of(const struct programme *p, uint32_t session_id,
                          const struct programme_note **out, size_t max);

/* Finds the notes to show again at the start of session id: those of the
 * latest session starting before it that shares at least min_overlap
 * (counted as 1 when 0) people with `attendees` (or, when attendees is
 * NULL, with session id's recorded attendance). Writes that session's id
 * to *prev_id (0 when none), up to max notes to out and their number to
 * *n_notes (which may exceed max). Sessions starting at the same time or
 * later never count. Fails with NO_SUCH_SESSION, USER (a bad attendee id),
 * FULL (more than PROGRAMME_ATTENDANCE_MAX attendees) or NOMEM. */
programme_err programme_carry_over(const struct programme *p, uint32_t id,
                                   const char *const *attendees,
                                   size_t n_attendees, size_t min_overlap,
                                   uint32_t *prev_id,
                                   const struct programme_note **out,
                                   size_t max, size_t *n_notes);

#endif
