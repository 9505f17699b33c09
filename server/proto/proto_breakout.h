/* proto_breakout: the typed client messages of self-assessment profiles
 * and breakout rounds (docs/protocol.md section 11), as members of the
 * proto_msg union (proto.h includes this header). Limits are in bytes of
 * UTF-8. Strings are NUL-terminated copies inside the message. */
#ifndef KOPA_PROTO_BREAKOUT_H
#define KOPA_PROTO_BREAKOUT_H

#include <stddef.h>
#include <stdint.h>

#define PROTO_BO_ID 64                 /* ids, as PROTO_MAX_ID */
#define PROTO_PROFILE_TEXT 1000        /* profile free text */
#define PROTO_PROFILE_LANGS 8          /* languages in a profile */
#define PROTO_PROFILE_MARKS 16         /* entries of profile_save.marks */
#define PROTO_TOPIC_KEY 32             /* bytes of a topic key */
#define PROTO_BROADCAST_TEXT 2000      /* a broadcast to every breakout */
#define PROTO_HELP_TEXT 500            /* an ask-for-help request */
#define PROTO_MAX_BREAKOUT_NOTE 1000   /* one breakout note */
#define PROTO_ROUND_MIN_MS 1000        /* shortest round */
#define PROTO_ROUND_MAX_MS 14400000    /* longest round: 4 hours */
#define PROTO_ROUND_EXTEND_MAX 3600000 /* one extension: at most 1 hour */
#define PROTO_ROUND_GROUPS 1024        /* group indexes are below this */

typedef enum proto_profile_stage {
    PROTO_PROFILE_START = 0,
    PROTO_PROFILE_MIDDLE,
    PROTO_PROFILE_END
} proto_profile_stage;

/* Marks are bit sets, as in rooms/profile.h: NEED | OFFER == BOTH. */
typedef enum proto_mark {
    PROTO_MARK_NONE = 0,
    PROTO_MARK_NEED = 1,
    PROTO_MARK_OFFER = 2,
    PROTO_MARK_BOTH = 3
} proto_mark;

typedef enum proto_round_mode {
    PROTO_MODE_COMPLEMENTARY = 0,
    PROTO_MODE_SHARED_INTEREST,
    PROTO_MODE_RANDOM,
    PROTO_MODE_MANUAL
} proto_round_mode;

/* The wire name of mode m ("complementary", ...); "complementary" for a
 * value out of range. Static storage. */
const char *proto_round_mode_name(proto_round_mode m);

/* One entry of profile_save.marks: a topic key ([a-z_]{1,32}; the app
 * checks it against the taxonomy) and its mark. */
typedef struct proto_topic_mark {
    char topic[PROTO_TOPIC_KEY + 1];
    proto_mark mark;
} proto_topic_mark;

typedef struct proto_profile_save {
    proto_profile_stage stage;
    char country[3]; /* "" when absent (the token's country is used) */
    int has_langs;   /* 0: the token's languages are used */
    char langs[PROTO_PROFILE_LANGS][4];
    int nlangs;
    proto_topic_mark marks[PROTO_PROFILE_MARKS];
    int nmarks;
    char text[PROTO_PROFILE_TEXT + 1]; /* "" when absent */
    size_t text_len;
} proto_profile_save;

/* profile_get; user "" means the sender. */
typedef struct proto_profile_get {
    char user[PROTO_BO_ID + 1];
} proto_profile_get;

typedef struct proto_round_propose {
    proto_round_mode mode;
    int group_size; /* 2, 3 or 4 */
    int64_t duration_ms;
    int has_seed;
    int64_t seed;
} proto_round_propose;

/* round_move: group -1 unassigns; the number of groups opens a new one. */
typedef struct proto_round_move {
    char user[PROTO_BO_ID + 1];
    int32_t group;
} proto_round_move;

typedef struct proto_round_swap {
    char a[PROTO_BO_ID + 1], b[PROTO_BO_ID + 1];
} proto_round_swap;

typedef struct proto_round_extend {
    int64_t ms;
} proto_round_extend;

/* round_place: room is a breakout of the open round or "main". */
typedef struct proto_round_place {
    char user[PROTO_BO_ID + 1];
    char room[PROTO_BO_ID + 1];
} proto_round_place;

typedef struct proto_broadcast {
    char id[PROTO_BO_ID + 1];
    char text[PROTO_BROADCAST_TEXT + 1];
    size_t text_len;
} proto_broadcast;

typedef struct proto_help_ask {
    char text[PROTO_HELP_TEXT + 1]; /* "" when absent */
    size_t text_len;
} proto_help_ask;

typedef struct proto_help_resolve {
    int64_t request;
} proto_help_resolve;

typedef struct proto_visit {
    char room[PROTO_BO_ID + 1];
} proto_visit;

typedef struct proto_breakout_note {
    char id[PROTO_BO_ID + 1];
    char text[PROTO_MAX_BREAKOUT_NOTE + 1];
    size_t text_len;
} proto_breakout_note;

typedef struct proto_coverage_req {
    int csv; /* format "csv": the answer carries the CSV text too */
} proto_coverage_req;

#endif
