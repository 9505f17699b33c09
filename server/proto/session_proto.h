/* proto, running a session: the typed views the app fills from the domain
 * (agenda, hands, topics, stage, questions, notes, programme, pulses) and
 * their JSON encoders, and the readers of programme entries and stored
 * records. docs/protocol.md section 10 is the wire contract. The client
 * messages themselves are in proto.h (proto_msg) and parse_session.c.
 *
 * Encoders follow encode.h: they return a new buffer of *len bytes (a NUL
 * follows) that the caller frees with free(); out of memory aborts; strings
 * are borrowed and written as well-formed UTF-8; NULL or "" optional
 * strings are left out. Raw pieces (proto_raw) go in verbatim. */
#ifndef KOPA_PROTO_SESSION_PROTO_H
#define KOPA_PROTO_SESSION_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "server/proto/encode.h"
#include "server/proto/proto.h"

/* Field limits of section 10 (the same as the domain's, rooms/agenda.h and
 * rooms/programme.h). */
#define PROTO_TIMEBOX_MIN_MS 1000
#define PROTO_TIMEBOX_MAX_MS (8 * 3600 * 1000LL)
#define PROTO_EXTEND_MIN_MS 1000
#define PROTO_EXTEND_MAX_MS (2 * 3600 * 1000LL)
#define PROTO_AGENDA_ITEMS 64
#define PROTO_PROG_ITEMS_MAX 32
#define PROTO_PROG_SESSIONS_MAX 512

/* Wire names of the ops ("start", ...); "unknown" outside the enum. */
const char *proto_agenda_op_name(proto_agenda_op op);
const char *proto_hand_op_name(proto_hand_op op);
const char *proto_topic_op_name(proto_topic_op op);
const char *proto_stage_op_name(proto_stage_op op);
const char *proto_question_op_name(proto_question_op op);
const char *proto_note_op_name(proto_note_op op);
const char *proto_programme_op_name(proto_programme_op op);

/* ---- views (everything borrowed) ---- */

typedef struct proto_agenda_item_view {
    uint32_t id;
    const char *title, *lead, *kind, *state;
    int64_t timebox_ms, extended_ms, elapsed_ms;
    int64_t started_at;        /* 0: never ran (left out) */
    const char *breakout_mode; /* NULL: left out (with size 0: no object) */
    int breakout_size;         /* 0: left out */
    int64_t round;             /* the linked round's number; 0: left out */
} proto_agenda_item_view;

typedef struct proto_agenda_view {
    const proto_agenda_item_view *items;
    size_t nitems;
    uint32_t current;  /* 0: none */
    const char *state; /* "idle", "running", "paused" or "finished" */
    int64_t started_at, total_ms, elapsed_ms, time_left_ms, ends_at;
    int auto_advance;
    int64_t server_time;
} proto_agenda_view;

/* A person in a list with a time: a raised hand (since it was raised), a
 * speaker (since called) or someone on stage (since added). */
typedef struct proto_person_view {
    const char *user;
    int64_t at;
} proto_person_view;

typedef struct proto_hands_view {
    const proto_person_view *queue; /* arrival order */
    size_t nqueue;
    const proto_person_view *speaking;
    size_t nspeaking;
} proto_hands_view;

typedef struct proto_topic_view {
    uint32_t id;
    const char *title, *author;
    int64_t created_at;
    const char *const *voters;
    size_t nvoters;
} proto_topic_view;

typedef struct proto_stage_view {
    size_t max;
    const proto_person_view *speakers;
    size_t nspeakers;
} proto_stage_view;

/* A hidden question is written without text, author and voters. */
typedef struct proto_question_view {
    uint32_t id;
    const char *text, *author;
    int64_t asked_at, answered_at;
    int answered, hidden, pinned;
    uint32_t votes;
    const char *const *voters;
    size_t nvoters;
} proto_question_view;

typedef struct proto_note_view {
    uint32_t id, entry, item;
    const char *item_title, *kind, *author, *owner, *text;
    int done;
    int64_t created_at;
} proto_note_view;

typedef struct proto_template_item_view {
    const char *title, *lead, *kind;
    int64_t timebox_ms;
} proto_template_item_view;

/* A template item's breakout settings: mode a round mode name (NULL:
 * none), size 2..4 (0: none). Written as the item's "breakout" object. */
typedef struct proto_template_breakout {
    const char *mode;
    int size;
} proto_template_breakout;

/* Who attended an entry; name NULL or "" when not known. */
typedef struct proto_attendee_view {
    const char *id, *name;
} proto_attendee_view;

typedef struct proto_entry_view {
    uint32_t id;
    const char *session, *kind, *title, *tz, *host;
    int64_t start, duration_ms;
    const proto_template_item_view *items;
    size_t nitems;
    /* breakouts[i] goes with items[i]; zero: no settings. */
    proto_template_breakout breakouts[PROTO_PROG_ITEMS_MAX];
    /* The attendance (coordinators' answers); NULL: no "attendees" key. */
    const proto_attendee_view *attendees;
    size_t nattendees;
} proto_entry_view;

typedef struct proto_pulse_view {
    const char *scope, *user;
    int usefulness, will_apply;
    const char *text;
    int64_t submitted_at;
} proto_pulse_view;

typedef struct proto_pulse_stats_view {
    const char *scope; /* NULL: every scope */
    size_t count, histogram[5], will_apply, comments;
    double mean_usefulness, will_apply_share;
} proto_pulse_stats_view;

/* ---- pieces (JSON values to put into events and replies) ---- */

char *proto_encode_agenda_view(const proto_agenda_view *v, size_t *len);
char *proto_encode_hands_view(const proto_hands_view *v, size_t *len);
char *proto_encode_topics_view(const proto_topic_view *t, size_t n,
                               size_t *len);
char *proto_encode_stage_view(const proto_stage_view *v, size_t *len);
char *proto_encode_questions_view(const proto_question_view *q, size_t n,
                                  size_t *len);
/* One note object; also the stored form read by proto_note_parse(). */
char *proto_encode_note_view(const proto_note_view *n, size_t *len);
char *proto_encode_notes_view(const proto_note_view *n, size_t count,
                              size_t *len);
char *proto_encode_entry_view(const proto_entry_view *e, size_t *len);
char *proto_encode_pulse_view(const proto_pulse_view *p, size_t *len);
char *proto_encode_pulses_view(const proto_pulse_view *p, size_t n,
                               size_t *len);
/* A JSON string holding s. */
char *proto_encode_string(const char *s, size_t *len);
/* {"k0":v0,"k1":v1,...} from n keys (borrowed, well-formed names) and raw
 * values; a value of length 0 is left out with its key. */
char *proto_encode_object(const char *const *keys, const proto_raw *vals,
                          size_t n, size_t *len);

/* ---- events and replies ---- */

/* A kept event of a session feature: {"type":type,"channel","offset","ts",
 * "op","by":{id,name,role},"event","user",<id_key>:id,<type>:state}. */
typedef struct proto_live_event {
    const char *type; /* "agenda", "hands", "topics", "stage", "questions",
                         "notes" */
    const char *channel;
    int64_t offset, ts;
    const char *op;         /* the op that made the change, or NULL */
    const proto_member *by; /* who made it; NULL: the server's timer */
    const char *event;      /* agenda timer events; NULL otherwise */
    const char *user;       /* the member the op names, or NULL */
    const char *id_key;     /* "item", "topic", "question", "note" or NULL */
    uint32_t id;
    proto_raw state; /* the feature's whole state after the change */
} proto_live_event;
char *proto_encode_live_event(const proto_live_event *ev, size_t *len);

/* Returns a new copy of the joined frame (jlen bytes, an object as
 * proto_encode_joined writes it) with "state": state added as its last
 * member. */
char *proto_encode_joined_state(const char *joined, size_t jlen,
                                const proto_raw *state, size_t *len);

/* The programme reply: {"type":"programme","ref","programme":id,
 * "sessions":[entries],"notes":[...]}; notes is left out when NULL, and
 * an entry's "attendees" when its view has none (attendees NULL). */
char *proto_encode_programme(const char *ref, const char *programme,
                             const proto_entry_view *entries, size_t n,
                             const proto_note_view *notes, size_t nnotes,
                             size_t *len);
/* The stored programme: {"v":1,"next_session_id":N,"sessions":[...]},
 * read back by proto_programme_doc_parse(). */
char *proto_encode_programme_doc(uint32_t next_session_id,
                                 const proto_entry_view *entries, size_t n,
                                 size_t *len);
/* The reply to pulse: {"type":"pulse","ref",...the pulse...}. */
char *proto_encode_pulse_reply(const char *ref, const proto_pulse_view *p,
                               size_t *len);
/* The reply to pulse_results. */
char *proto_encode_pulse_results(const char *ref, const char *session,
                                 const proto_pulse_stats_view *total,
                                 const proto_pulse_stats_view *scopes,
                                 size_t nscopes, const proto_pulse_view *p,
                                 size_t np, const char *csv, size_t csv_len,
                                 size_t *len);
/* A client frame {"type":"agenda","op":"add",...} for one template item,
 * as the server records it when it applies a programme template. */
char *proto_encode_agenda_add(const proto_template_item_view *it, size_t *len);
/* The same with the item's "breakout" settings (b NULL, or mode NULL and
 * size 0: none). */
char *proto_encode_agenda_add_breakout(const proto_template_item_view *it,
                                       const proto_template_breakout *b,
                                       size_t *len);

/* ---- reading programme entries and stored records ---- */

typedef struct proto_prog_item {
    char title[PROTO_MAX_AGENDA_TITLE + 1];
    char lead[PROTO_MAX_ID + 1];
    char kind[PROTO_MAX_OP + 1];
    int64_t timebox_ms;
    int breakout_mode; /* 0 absent, else a proto_round_mode + 1 */
    int breakout_size; /* 0 absent, else 2..4 */
} proto_prog_item;

typedef struct proto_prog_entry {
    uint32_t id;                    /* stored documents only; 0 from clients */
    char session[PROTO_MAX_ID + 1]; /* "" when absent */
    char kind[PROTO_MAX_OP + 1];
    char title[PROTO_MAX_AGENDA_TITLE + 1];
    int64_t start_ms;
    char tz[PROTO_MAX_TZ + 1];
    int64_t duration_ms;
    char host[PROTO_MAX_ID + 1];
    proto_prog_item items[PROTO_PROG_ITEMS_MAX];
    size_t nitems;
} proto_prog_entry;

typedef void (*proto_entry_cb)(const proto_prog_entry *e, void *data);

/* Calls cb, in order, with each entry of a programme message frame (len
 * bytes) that proto_parse() accepted: the "entry" of add and edit, each of
 * "sessions" of put. The entry is borrowed for the call. Returns how many
 * entries there were, or -1 when the frame is not such a message. */
int proto_programme_entries(const char *frame, size_t len, proto_entry_cb cb,
                            void *data);
/* Reads a stored programme (proto_encode_programme_doc): sets
 * *next_session_id and calls cb with each entry (ids set). Returns how many
 * entries, or -1 (nothing called) when the document is malformed. */
int proto_programme_doc_parse(const char *doc, size_t len,
                              uint32_t *next_session_id, proto_entry_cb cb,
                              void *data);

typedef struct proto_note_rec {
    uint32_t id, entry, item;
    char item_title[PROTO_MAX_AGENDA_TITLE + 1];
    char kind[PROTO_MAX_OP + 1];
    char author[PROTO_MAX_ID + 1];
    char owner[PROTO_MAX_ID + 1];
    char text[PROTO_MAX_NOTE + 1];
    int done;
    int64_t created_at;
} proto_note_rec;
/* Reads a note stored as proto_encode_note_view wrote it. Returns 0, or -1
 * when it is malformed. */
int proto_note_parse(const char *json, size_t len, proto_note_rec *out);

#endif
