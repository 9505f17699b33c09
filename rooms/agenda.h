/* agenda: the live agenda of one session. Pure state machine, no clock.
 *
 * Items have stable ids (1, 2, ...; never reused) and a state. At most one
 * item is "current" (running or paused); its time left is computed from the
 * caller's now_ms. Every mutating call is a pure function of
 * (state, arguments, now_ms): replaying the same calls with the same
 * timestamps rebuilds the same state, including a running timer. Callers
 * pass non-decreasing timestamps; an earlier now_ms is treated as the latest
 * one seen; times are milliseconds within +-AGENDA_TIME_ABS_MAX (2^53, as
 * in JavaScript). Mutating calls first apply any auto-advance due by now_ms
 * (silently); call agenda_tick() first to receive those events.
 * A struct agenda holds no pointers: copy it by assignment. */
#ifndef KOPA_ROOMS_AGENDA_H
#define KOPA_ROOMS_AGENDA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGENDA_MAX_ITEMS 64
#define AGENDA_TITLE_MAX 120 /* bytes, without the NUL */
#define AGENDA_USER_MAX 64   /* bytes of a user id, without the NUL */
#define AGENDA_TIMEBOX_MIN_MS 1000
#define AGENDA_TIMEBOX_MAX_MS (8 * 3600 * 1000LL)
#define AGENDA_EXTEND_MAX_MS (2 * 3600 * 1000LL) /* per agenda_extend() */
#define AGENDA_TOTAL_MAX_MS (12 * 3600 * 1000LL) /* timebox + extensions */
#define AGENDA_TIME_ABS_MAX (1LL << 53)          /* |now_ms| bound */
#define AGENDA_WARNING_MS 60000                  /* "one minute left" */
/* Bytes agenda_save() may need, at most. */
#define AGENDA_SNAPSHOT_MAX                                                    \
    (32 + AGENDA_MAX_ITEMS * (66 + AGENDA_TITLE_MAX + AGENDA_USER_MAX))
/* A breakout item's settings for the round it proposes: a mode number
 * 1..AGENDA_BREAKOUT_MODES (the caller's numbering; 0 = the default) and a
 * group size AGENDA_BREAKOUT_SIZE_MIN..MAX (0 = the default). */
#define AGENDA_BREAKOUT_MODES 4
#define AGENDA_BREAKOUT_SIZE_MIN 2
#define AGENDA_BREAKOUT_SIZE_MAX 4

typedef enum agenda_err {
    AGENDA_OK = 0,
    AGENDA_ERR_INVALID, /* a bad argument (NULL, index, ...) */
    AGENDA_ERR_TITLE,   /* empty, too long or control characters */
    AGENDA_ERR_LEAD,    /* lead user id too long or malformed */
    AGENDA_ERR_KIND,    /* not an agenda_item_kind */
    AGENDA_ERR_TIMEBOX, /* timebox or extension out of range */
    AGENDA_ERR_FULL,    /* AGENDA_MAX_ITEMS reached */
    AGENDA_ERR_NO_SUCH_ITEM,
    AGENDA_ERR_NOT_STARTED,     /* no item is current */
    AGENDA_ERR_ALREADY_STARTED, /* an item is already current */
    AGENDA_ERR_NOT_RUNNING,     /* the current item is paused */
    AGENDA_ERR_NOT_PAUSED,      /* the current item is running */
    AGENDA_ERR_NO_PENDING,      /* nothing left to start */
    AGENDA_ERR_NO_PREVIOUS,     /* nothing before the current item */
    AGENDA_ERR_BAD_STATE,       /* the item's state forbids this */
    AGENDA_ERR_BAD_ORDER,       /* the id list is not a permutation */
    AGENDA_ERR_SNAPSHOT,        /* a snapshot is malformed */
    AGENDA_ERR_NOSPACE,         /* an output buffer is too small */
    AGENDA_ERR_BREAKOUT         /* breakout settings out of range */
} agenda_err;

typedef enum agenda_item_kind {
    AGENDA_KIND_PLENARY = 0,
    AGENDA_KIND_BREAKOUT,
    AGENDA_KIND_TALK,
    AGENDA_KIND_QA,
    AGENDA_KIND_FEEDBACK,
    AGENDA_KIND_COUNT
} agenda_item_kind;

typedef enum agenda_item_state {
    AGENDA_ITEM_PENDING = 0,
    AGENDA_ITEM_RUNNING,
    AGENDA_ITEM_PAUSED,
    AGENDA_ITEM_DONE,
    AGENDA_ITEM_SKIPPED,
    AGENDA_ITEM_STATE_COUNT
} agenda_item_state;

/* What the caller supplies for a new or edited item (borrowed). */
struct agenda_item_spec {
    const char *title; /* 1..AGENDA_TITLE_MAX bytes, no controls */
    const char *lead;  /* a user id, or NULL or "" for none */
    agenda_item_kind kind;
    int64_t timebox_ms; /* AGENDA_TIMEBOX_MIN_MS..AGENDA_TIMEBOX_MAX_MS */
};

/* One item. Read-only for callers. */
struct agenda_item {
    uint32_t id;
    agenda_item_kind kind;
    agenda_item_state state;
    bool warned; /* the one-minute warning was reported */
    bool ended;  /* the timebox end was reported */
    int64_t timebox_ms;
    int64_t extended_ms;      /* sum of extensions */
    int64_t elapsed_ms;       /* run time before run_since_ms */
    int64_t run_since_ms;     /* start of the current run (RUNNING only) */
    int64_t first_started_ms; /* AGENDA_NEVER until the item first runs */
    char title[AGENDA_TITLE_MAX + 1];
    char lead[AGENDA_USER_MAX + 1];
    uint8_t breakout_mode; /* agenda_set_breakout() */
    uint8_t breakout_size;
    int64_t round; /* the breakout round linked to it (agenda_set_round) */
};

#define AGENDA_NEVER INT64_MIN

/* The whole agenda. Caller-allocated; fields are read-only for callers. */
struct agenda {
    uint32_t count;
    uint32_t next_id;
    uint32_t current_id; /* 0: no current item */
    bool auto_advance;
    int64_t last_ms;                            /* latest now_ms seen */
    struct agenda_item items[AGENDA_MAX_ITEMS]; /* in display order */
};

typedef enum agenda_event_kind {
    AGENDA_EV_WARNING = 0, /* item_id has one minute left */
    AGENDA_EV_ENDED,       /* item_id's time reached zero */
    AGENDA_EV_ADVANCED,    /* auto-advance: item_id is now running */
    AGENDA_EV_FINISHED     /* auto-advance found nothing left; item_id
                              is the item that ended */
} agenda_event_kind;

struct agenda_event {
    agenda_event_kind kind;
    uint32_t item_id;
    int64_t at_ms; /* the instant it happened (not the tick time) */
};

/* What every screen shows, computed at now_ms. */
struct agenda_live {
    uint32_t item_id;        /* 0: no current item (then the rest is 0) */
    agenda_item_state state; /* RUNNING or PAUSED */
    int64_t started_at_ms;   /* first start of the current item */
    int64_t total_ms;        /* timebox + extensions */
    int64_t elapsed_ms;
    int64_t time_left_ms; /* total - elapsed; negative in overtime */
    int64_t ends_at_ms;   /* when it reaches zero if it keeps running;
                             0 while paused */
    bool finished;        /* nothing current, nothing pending, and some
                             item has run or been skipped */
};

/* Returns a static English description of e. */
const char *agenda_strerror(agenda_err e);
/* Returns "plenary", "breakout", "talk", "qa", "feedback" or "unknown". */
const char *agenda_kind_name(agenda_item_kind k);
/* Parses a kind name of len bytes. Returns AGENDA_OK or AGENDA_ERR_KIND. */
agenda_err agenda_kind_parse(const char *s, size_t len, agenda_item_kind *out);
/* Returns "pending", "running", "paused", "done", "skipped" or "unknown". */
const char *agenda_state_name(agenda_item_state s);

/* Empties *a (no items, nothing current). */
void agenda_init(struct agenda *a, bool auto_advance);
/* Checks a spec without changing anything. Returns AGENDA_OK or why not. */
agenda_err agenda_spec_check(const struct agenda_item_spec *spec);

/* Adds an item before item before_id (0: at the end), pending. Writes its
 * id to *id_out when not NULL. Fails with TITLE/LEAD/KIND/TIMEBOX, FULL, or
 * NO_SUCH_ITEM (before_id). */
agenda_err agenda_add(struct agenda *a, const struct agenda_item_spec *spec,
                      uint32_t before_id, int64_t now_ms, uint32_t *id_out);
/* Replaces title, lead, kind and timebox of item id, in any state. A new
 * timebox on the current item keeps its elapsed time; warnings and the end
 * are reported again if time is left again. */
agenda_err agenda_edit(struct agenda *a, uint32_t id,
                       const struct agenda_item_spec *spec, int64_t now_ms);
/* Removes item id. Removing the current item starts the next pending item
 * (as agenda_next() would) or leaves nothing current. */
agenda_err agenda_remove(struct agenda *a, uint32_t id, int64_t now_ms);
/* Moves item id to position to_index (0-based, < count). States, the
 * current item and its timer are unchanged. */
agenda_err agenda_move(struct agenda *a, uint32_t id, uint32_t to_index,
                       int64_t now_ms);
/* Puts the items in the order of ids[0..n), which must name every item
 * exactly once (else AGENDA_ERR_BAD_ORDER, and nothing changes). */
agenda_err agenda_reorder(struct agenda *a, const uint32_t *ids, size_t n,
                          int64_t now_ms);
/* Turns auto-advance on or off (from now_ms on). An item already past its
 * end when it is turned on stays current (use agenda_next()). */
void agenda_set_auto_advance(struct agenda *a, bool on, int64_t now_ms);

/* Starts the first pending item when nothing is current.
 * Fails with ALREADY_STARTED or NO_PENDING. */
agenda_err agenda_start(struct agenda *a, int64_t now_ms);
/* Makes item id current and running, keeping its earlier elapsed time; the
 * previous current item becomes done. Fails with NO_SUCH_ITEM, or
 * BAD_STATE when id is already current. */
agenda_err agenda_jump(struct agenda *a, uint32_t id, int64_t now_ms);
/* Pauses / resumes the current item. Fail with NOT_STARTED, and
 * NOT_RUNNING (pause while paused) / NOT_PAUSED (resume while running). */
agenda_err agenda_pause(struct agenda *a, int64_t now_ms);
agenda_err agenda_resume(struct agenda *a, int64_t now_ms);
/* Adds delta_ms (1 s .. AGENDA_EXTEND_MAX_MS) to the current item's time.
 * Fails with NOT_STARTED or TIMEBOX (also when the total would exceed
 * AGENDA_TOTAL_MAX_MS). */
agenda_err agenda_extend(struct agenda *a, int64_t delta_ms, int64_t now_ms);
/* Marks the current item done and starts the next pending item after it in
 * order (else the first pending one from the top); if there is none,
 * nothing is current. Fails with NOT_STARTED. */
agenda_err agenda_next(struct agenda *a, int64_t now_ms);
/* Puts the current item back to pending (its time reset) and runs the item
 * just before it again, continuing its elapsed time. With nothing current,
 * runs the last item. Fails with NO_PREVIOUS. */
agenda_err agenda_previous(struct agenda *a, int64_t now_ms);
/* Skips item id: a pending item becomes skipped; the current item becomes
 * skipped and the agenda advances as agenda_next(). Fails with BAD_STATE
 * for done or skipped items. */
agenda_err agenda_skip(struct agenda *a, uint32_t id, int64_t now_ms);
/* Returns a done or skipped item to pending with its time reset. Fails
 * with BAD_STATE for the current item. */
agenda_err agenda_reset_item(struct agenda *a, uint32_t id, int64_t now_ms);

/* Applies whatever became due by now_ms: the one-minute warning (once per
 * item, only for items longer than a minute), the end of the timebox (once)
 * and, with auto-advance, the next item, which starts at the exact instant
 * the previous one ended (so late ticks never shift the schedule). Writes
 * up to max events to out (may be NULL when max is 0); returns how many
 * occurred, which may exceed max (the extra ones are dropped). */
size_t agenda_tick(struct agenda *a, int64_t now_ms, struct agenda_event *out,
                   size_t max);

/* Checks breakout settings (mode 0..AGENDA_BREAKOUT_MODES, size 0 or
 * AGENDA_BREAKOUT_SIZE_MIN..MAX). Returns AGENDA_OK or BREAKOUT. */
agenda_err agenda_breakout_check(int mode, int size);
/* Sets the breakout settings of item id (any kind; they matter for
 * breakout items). Fails with NO_SUCH_ITEM or BREAKOUT. */
agenda_err agenda_set_breakout(struct agenda *a, uint32_t id, int mode,
                               int size);
/* Links item id to breakout round `round` (a positive round number; 0
 * unlinks). The link survives edits and is only a label: it changes no
 * timer. Fails with NO_SUCH_ITEM or INVALID (a negative round). */
agenda_err agenda_set_round(struct agenda *a, uint32_t id, int64_t round);
/* Whether the current item (running or paused) is a breakout item that
 * still waits for its round: it was never linked, or linked to a round
 * after last_round (the latest round the caller has). Writes its id to
 * *id_out when true. */
bool agenda_breakout_due(const struct agenda *a, int64_t last_round,
                         uint32_t *id_out);

/* Read-only queries; none changes *a. */
const struct agenda_item *agenda_find(const struct agenda *a, uint32_t id);
/* Returns the item at display position i, or NULL when i >= count. */
const struct agenda_item *agenda_at(const struct agenda *a, uint32_t i);
/* Returns the current item, or NULL. */
const struct agenda_item *agenda_current(const struct agenda *a);
/* Time left of the current item at now_ms (negative in overtime); 0 when
 * nothing is current. Does not apply auto-advance. */
int64_t agenda_time_left_ms(const struct agenda *a, int64_t now_ms);
/* Fills *out with the live view at now_ms. */
void agenda_live_view(const struct agenda *a, int64_t now_ms,
                      struct agenda_live *out);
/* Returns true when a and b hold the same agenda state. */
bool agenda_equal(const struct agenda *a, const struct agenda *b);

/* Writes a compact binary snapshot of *a into buf (cap bytes; never more
 * than AGENDA_SNAPSHOT_MAX) and its length to *len. Returns AGENDA_OK, or
 * AGENDA_ERR_NOSPACE (then *len is the size needed). */
agenda_err agenda_save(const struct agenda *a, unsigned char *buf, size_t cap,
                       size_t *len);
/* Rebuilds *a from a snapshot of len bytes. Validates everything; on
 * failure returns AGENDA_ERR_SNAPSHOT and leaves *a unchanged. */
agenda_err agenda_load(struct agenda *a, const unsigned char *buf, size_t len);

#endif
