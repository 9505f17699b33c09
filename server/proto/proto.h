/* proto: the one place where JSON text frames become typed messages, and
 * where typed events become JSON. docs/protocol.md is the wire contract.
 * Handlers never see cJSON. */
#ifndef KOPA_PROTO_H
#define KOPA_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "server/proto/proto_breakout.h"

#define PROTO_VERSION 1
#define PROTO_MAX_FRAME 65536
#define PROTO_MAX_ID 64
#define PROTO_MAX_TEXT 4000
#define PROTO_MAX_CHANNEL 80
#define PROTO_MAX_EPOCH 32
#define PROTO_MAX_SINCE 16
#define PROTO_MAX_TOKEN 4096
#define PROTO_HISTORY_DEFAULT 50
#define PROTO_HISTORY_MAX 100
#define PROTO_MAX_DEPTH 32 /* nesting of arrays and objects in a frame */
/* Running a session (agenda, hands, topics, stage, questions, pulses,
 * programme, notes): docs/protocol.md section 10. */
#define PROTO_MAX_OP 16     /* bytes of an op or kind name */
#define PROTO_MAX_TITLE 160 /* topic titles; agenda titles are 120 */
#define PROTO_MAX_AGENDA_TITLE 120
#define PROTO_MAX_TZ 64        /* an IANA time zone name */
#define PROTO_MAX_QUESTION 500 /* question text */
#define PROTO_MAX_NOTE 1000    /* note text and pulse comments */

typedef enum proto_type {
    PROTO_NONE = 0,
#define PROTO_MSG(name, wire, auth, join) PROTO_##name,
#include "server/proto/messages.def"
#undef PROTO_MSG
    PROTO_TYPE_COUNT
} proto_type;

/* Error codes of docs/protocol.md section 7, in one enum. */
typedef enum proto_error {
    PROTO_OK = 0,
    PROTO_ERR_BAD_JSON,
    PROTO_ERR_BAD_MESSAGE,
    PROTO_ERR_UNKNOWN_TYPE,
    PROTO_ERR_MISSING_FIELD,
    PROTO_ERR_WRONG_TYPE,
    PROTO_ERR_BAD_VALUE,
    PROTO_ERR_TOO_LONG,
    PROTO_ERR_TOO_MANY,
    PROTO_ERR_UNSUPPORTED_VERSION,
    PROTO_ERR_NOT_AUTHENTICATED,
    PROTO_ERR_ALREADY_AUTHENTICATED,
    PROTO_ERR_BAD_TOKEN,
    PROTO_ERR_TOKEN_EXPIRED,
    PROTO_ERR_SESSION_NOT_ALLOWED,
    PROTO_ERR_NOT_JOINED,
    PROTO_ERR_FORBIDDEN,
    PROTO_ERR_NOT_IN_ROOM,
    PROTO_ERR_FORBIDDEN_CHANNEL,
    PROTO_ERR_UNKNOWN_MEMBER,
    PROTO_ERR_RATE_LIMITED,
    PROTO_ERR_STORE_UNAVAILABLE,
    PROTO_ERR_INTERNAL,
    PROTO_ERR_BAD_AUDIO, /* audio: section 8.8 */
    PROTO_ERR_AUDIO_RATE,
    PROTO_ERR_NOT_SPEAKER,
    PROTO_ERR_RECORDING_FAILED,
    PROTO_ERR_BAD_STATE,  /* not possible in the current state (agenda, ...) */
    PROTO_ERR_NOT_FOUND,  /* no such item, topic, question, entry or note */
    PROTO_ERR_NO_ROUND,   /* no breakout round (in that state) */
    PROTO_ERR_ROUND_OPEN, /* a round is open; not possible now */
    PROTO_ERR_NOT_IN_BREAKOUT, /* the sender is in no breakout */
    PROTO_ERR_UNKNOWN_ROOM,    /* not a breakout of the open round */
    PROTO_ERROR_COUNT
} proto_error;

/* Returns the wire code ("bad_json", ...) of e; a static string
 * ("internal" for a value outside the enum). */
const char *proto_error_code(proto_error e);
/* Returns a short English sentence describing e; a static string. */
const char *proto_strerror(proto_error e);

/* Returns the wire name ("chat", ...) of t, or NULL for PROTO_NONE (or a
 * value outside the enum). */
const char *proto_type_name(proto_type t);
/* Returns the type whose wire name is s (len bytes), or PROTO_NONE. */
proto_type proto_type_from_name(const char *s, size_t len);
/* Whether t needs auth / join first (from messages.def). PROTO_NONE and
 * values outside the enum need both. */
int proto_type_needs_auth(proto_type t);
int proto_type_needs_join(proto_type t);

typedef struct proto_since {
    char channel[PROTO_MAX_CHANNEL + 1];
    char epoch[PROTO_MAX_EPOCH + 1];
    int64_t offset;
} proto_since;

/* audio.op and recording.op (docs/protocol.md section 8). */
typedef enum proto_audio_op {
    PROTO_AUDIO_ENABLE = 1,
    PROTO_AUDIO_DISABLE,
    PROTO_AUDIO_MUTE,
    PROTO_AUDIO_UNMUTE,
    PROTO_AUDIO_BROADCAST,
    PROTO_AUDIO_LISTEN,
    PROTO_AUDIO_UNLISTEN
} proto_audio_op;

typedef enum proto_recording_op {
    PROTO_RECORDING_START = 1,
    PROTO_RECORDING_STOP
} proto_recording_op;

/* The ops of the session messages (section 10), in wire order. */
typedef enum proto_agenda_op {
    PROTO_AGENDA_START = 0,
    PROTO_AGENDA_PAUSE,
    PROTO_AGENDA_RESUME,
    PROTO_AGENDA_EXTEND,
    PROTO_AGENDA_NEXT,
    PROTO_AGENDA_PREVIOUS,
    PROTO_AGENDA_SKIP,
    PROTO_AGENDA_JUMP,
    PROTO_AGENDA_RESET,
    PROTO_AGENDA_ADD,
    PROTO_AGENDA_EDIT,
    PROTO_AGENDA_REMOVE,
    PROTO_AGENDA_MOVE,
    PROTO_AGENDA_AUTO_ADVANCE,
    PROTO_AGENDA_TEMPLATE,
    PROTO_AGENDA_ROUND /* recorded by the server only: links a round */
} proto_agenda_op;

typedef enum proto_hand_op {
    PROTO_HAND_RAISE = 0,
    PROTO_HAND_LOWER,
    PROTO_HAND_CALL_NEXT,
    PROTO_HAND_CALL,
    PROTO_HAND_CLEAR,
    PROTO_HAND_STOP_SPEAKING
} proto_hand_op;

typedef enum proto_topic_op {
    PROTO_TOPIC_PROPOSE = 0,
    PROTO_TOPIC_VOTE,
    PROTO_TOPIC_UNVOTE,
    PROTO_TOPIC_REMOVE
} proto_topic_op;

typedef enum proto_stage_op {
    PROTO_STAGE_ADD = 0,
    PROTO_STAGE_REMOVE
} proto_stage_op;

typedef enum proto_question_op {
    PROTO_QUESTION_ASK = 0,
    PROTO_QUESTION_VOTE,
    PROTO_QUESTION_UNVOTE,
    PROTO_QUESTION_ANSWER,
    PROTO_QUESTION_HIDE,
    PROTO_QUESTION_PIN
} proto_question_op;

typedef enum proto_programme_op {
    PROTO_PROGRAMME_GET = 0,
    PROTO_PROGRAMME_PUT,
    PROTO_PROGRAMME_ADD,
    PROTO_PROGRAMME_EDIT,
    PROTO_PROGRAMME_REMOVE
} proto_programme_op;

typedef enum proto_note_op {
    PROTO_NOTE_ADD = 0,
    PROTO_NOTE_REMOVE,
    PROTO_NOTE_DONE
} proto_note_op;

/* A parsed client message. Strings are NUL-terminated copies owned by the
 * message (text and token are heap copies freed by proto_msg_free). */
typedef struct proto_msg {
    proto_type type;
    char ref[PROTO_MAX_ID + 1]; /* "" when absent */
    union {
        struct {
            int v;
            char *token;
            size_t token_len;
        } auth;
        struct {
            proto_since since[PROTO_MAX_SINCE];
            int nsince;
        } join;
        struct {
            char id[PROTO_MAX_ID + 1];
            char room[PROTO_MAX_ID + 1]; /* "" when absent */
            char *text;
            size_t text_len;
        } chat;
        struct {
            char id[PROTO_MAX_ID + 1];
            char to[PROTO_MAX_ID + 1];
            char *text;
            size_t text_len;
        } dm;
        struct {
            char channel[PROTO_MAX_CHANNEL + 1];
            int64_t before; /* INT64_MAX when absent */
            int limit;
        } history;
        struct {
            proto_audio_op op;
            int on;                      /* broadcast: 1 or 0 */
            char room[PROTO_MAX_ID + 1]; /* listen */
        } audio;
        struct {
            proto_recording_op op;
            char room[PROTO_MAX_ID + 1]; /* "" when absent */
        } recording;
        /* Section 10. Absent optional numbers are 0, strings "". */
        struct {
            proto_agenda_op op;
            uint32_t item;   /* the item an op names */
            uint32_t before; /* add: insert before this item; 0: at the end */
            uint32_t to;     /* move: the new 0-based position */
            int64_t ms;      /* extend */
            int on;          /* auto_advance */
            char title[PROTO_MAX_TITLE + 1]; /* add, edit */
            char lead[PROTO_MAX_ID + 1];
            char kind[PROTO_MAX_OP + 1];
            int64_t timebox_ms;
            int breakout_mode; /* add, edit: 0 absent, 1.. as round modes + 1 */
            int breakout_size; /* add, edit: 0 absent, else 2..4 */
            int64_t round;     /* round: the round linked to item */
        } agenda;
        struct {
            proto_hand_op op;
            char user[PROTO_MAX_ID + 1]; /* "" means the sender */
        } hand;
        struct {
            proto_topic_op op;
            uint32_t topic;
            char title[PROTO_MAX_TITLE + 1];
        } topic;
        struct {
            proto_stage_op op;
            char user[PROTO_MAX_ID + 1];
        } stage;
        struct {
            proto_question_op op;
            uint32_t question;
            int on; /* answer, hide, pin: 1 unless "on":false */
            char text[PROTO_MAX_QUESTION + 1];
        } question;
        struct {
            char scope[PROTO_MAX_ID + 1]; /* "session" when absent */
            int usefulness;
            int will_apply;
            char text[PROTO_MAX_NOTE + 1]; /* "" when absent */
        } pulse;
        struct {
            char scope[PROTO_MAX_ID + 1]; /* "" for every scope */
        } pulse_results;
        struct {
            proto_programme_op op;
            uint32_t id;     /* edit, remove */
            size_t nentries; /* entries in the frame (add, edit: 1) */
        } programme;
        struct {
            proto_note_op op;
            uint32_t note; /* remove, done */
            uint32_t item; /* add: the agenda item; 0 for the session */
            int on;        /* done */
            char kind[PROTO_MAX_OP + 1];  /* "note" when absent */
            char owner[PROTO_MAX_ID + 1]; /* "" when absent */
            char text[PROTO_MAX_NOTE + 1];
        } note;
        /* Section 11: profiles and breakout rounds (proto_breakout.h). */
        proto_profile_save profile_save;
        proto_profile_get profile_get;
        proto_round_propose round_propose;
        proto_round_move round_move;
        proto_round_swap round_swap;
        proto_round_extend round_extend;
        proto_round_place round_place;
        proto_broadcast broadcast;
        proto_help_ask help_ask;
        proto_help_resolve help_resolve;
        proto_visit visit;
        proto_breakout_note breakout_note;
        proto_coverage_req coverage;
    } u;
} proto_msg;

/* Parses one client text frame of len bytes (not NUL-terminated) into out.
 * On failure returns the error, writes a human-readable reason into
 * detail (always NUL-terminated, may be truncated), and still fills
 * out->ref and out->type (and the chat/dm id) when they could be read, so
 * the error reply can echo them. Call proto_msg_free(out) in every case. */
proto_error proto_parse(const char *buf, size_t len, proto_msg *out,
                        char *detail, size_t detail_size);

/* Frees what out owns and zeroes it; safe on a zeroed message. */
void proto_msg_free(proto_msg *m);

/* Whether s (len bytes) is a valid id: [A-Za-z0-9_.-]{1,64}. */
int proto_valid_id(const char *s, size_t len);
/* Whether s (len bytes) is a channel name: "room:<id>" or "user:<id>". */
int proto_valid_channel(const char *s, size_t len);
/* Whether s (len bytes) is an epoch: [A-Za-z0-9]{1,32}. */
int proto_valid_epoch(const char *s, size_t len);
/* Whether s (len bytes) is well-formed UTF-8 (no overlong forms, no
 * surrogates, nothing above U+10FFFF; NUL bytes are well formed). */
int proto_valid_utf8(const char *s, size_t len);

#endif
