/* encode_breakout: the server events and replies of profiles and breakout
 * rounds (docs/protocol.md section 11) -> JSON text. Same contract as
 * encode.h: every function returns a new buffer of *len bytes (a NUL
 * follows) that the caller frees with free(); arguments are borrowed for
 * the call; NULL strings are written as ""; bad UTF-8 becomes U+FFFD;
 * raw pieces must be JSON text; out of memory aborts. A ref that is
 * neither NULL nor "" is written right after "type". */
#ifndef KOPA_PROTO_ENCODE_BREAKOUT_H
#define KOPA_PROTO_ENCODE_BREAKOUT_H

#include <stddef.h>
#include <stdint.h>

#include "server/proto/encode.h"

/* A person as rounds and profiles name them: {"id","name","country"}
 * (country left out when NULL or ""). */
typedef struct proto_person {
    const char *id;
    const char *name;
    const char *country;
} proto_person;

/* One version of a profile. topics[i] is marked marks[i] (nmarks pairs,
 * written as an object in this order). */
typedef struct proto_profile_version {
    const char *stage;
    const char *country;
    const char *const *langs;
    int nlangs;
    const char *const *topics;
    const char *const *marks;
    int nmarks;
    const char *text;
    size_t text_len;
    int64_t updated_at;
} proto_profile_version;

typedef struct proto_profile {
    proto_person user;
    const proto_profile_version *versions;
    size_t nversions;
} proto_profile;

/* profile (one person's versions) and profiles (several). */
char *proto_encode_profile(const proto_profile *p, const char *ref,
                           size_t *len);
char *proto_encode_profiles(const proto_profile *ps, size_t n, const char *ref,
                            size_t *len);

/* One reason of a group; a, b, topic and language are left out when NULL
 * or "", met when 0. */
typedef struct proto_reason {
    const char *kind;
    const char *topic;
    const char *a, *b;
    const char *language;
    uint32_t met;
    const char *text;
} proto_reason;

/* One warning of a plan; person, other, cause left out when NULL or "",
 * group when < 0. */
typedef struct proto_plan_warning {
    const char *kind;
    const char *cause;
    const char *person, *other;
    int32_t group;
    const char *text;
} proto_plan_warning;

/* JSON arrays of reasons / warnings, kept raw in rounds and storage. */
char *proto_encode_reasons(const proto_reason *r, size_t n, size_t *len);
char *proto_encode_plan_warnings(const proto_plan_warning *w, size_t n,
                                 size_t *len);

typedef struct proto_round_group {
    const char *room; /* "" until the round opens */
    const proto_person *members;
    size_t nmembers;
    const char *language; /* "" when the group shares none */
    int language_ok;
    int64_t score;
    proto_raw reasons; /* a JSON array; empty means [] */
} proto_round_group;

typedef struct proto_unassigned {
    proto_person person;
    const char *cause;
} proto_unassigned;

typedef struct proto_visitor {
    const char *user;
    const char *room;
} proto_visitor;

typedef struct proto_help_request {
    int64_t id;
    proto_person user;
    const char *room;
    const char *text;
    int64_t ts;
} proto_help_request;

/* A round as coordinators see it. opened_at and deadline are left out
 * when 0. */
typedef struct proto_round {
    const char *id;
    const char *state;
    const char *mode;
    int group_size;
    int64_t duration_ms;
    int64_t seed;
    int64_t opened_at, deadline;
    int warned;
    const proto_round_group *groups;
    size_t ngroups;
    const proto_unassigned *unassigned;
    size_t nunassigned;
    proto_raw warnings; /* a JSON array; empty means [] */
    const proto_visitor *visitors;
    size_t nvisitors;
    const proto_help_request *help;
    size_t nhelp;
    size_t nnotes;
} proto_round;

/* A round that waits while its agenda item is paused: paused 1 adds
 * "paused":true and "left_ms" (the time it has left, frozen) to the round
 * object and the breakout event; paused 0 adds nothing. */
typedef struct proto_round_pause {
    int paused;
    int64_t left_ms;
} proto_round_pause;

/* round: {"round":{...}}, or {"round":null} when r is NULL. */
char *proto_encode_round(const proto_round *r, const char *ref, size_t *len);
/* The same with the round's "item" (the agenda item it belongs to) when
 * item is not 0. */
char *proto_encode_round_item(const proto_round *r, uint32_t item,
                              const char *ref, size_t *len);
/* The same with the round's pause (NULL: not paused). */
char *proto_encode_round_paused(const proto_round *r, uint32_t item,
                                const proto_round_pause *pause, const char *ref,
                                size_t *len);

typedef struct proto_breakout_room {
    const char *room;
    const char *const *members;
    size_t nmembers;
} proto_breakout_room;

/* breakout: the round as every member sees it (state "open" or "closed";
 * deadline left out when 0; warning true a minute before the end). */
char *proto_encode_breakout(const char *round, const char *state,
                            int64_t deadline, int warning,
                            const proto_breakout_room *rooms, size_t n,
                            const char *ref, size_t *len);
/* The same with "item":item added when item is not 0 (the agenda item the
 * round belongs to). */
char *proto_encode_breakout_item(const char *round, const char *state,
                                 int64_t deadline, int warning,
                                 const proto_breakout_room *rooms, size_t n,
                                 uint32_t item, size_t *len);
/* The same with the round's pause (NULL: not paused). */
char *proto_encode_breakout_paused(const char *round, const char *state,
                                   int64_t deadline, int warning,
                                   const proto_breakout_room *rooms, size_t n,
                                   uint32_t item,
                                   const proto_round_pause *pause, size_t *len);

/* moved: the member now is in room (coming from `from`, because of cause),
 * with that room's channel state as in joined. */
char *proto_encode_moved(const char *room, const char *from, const char *cause,
                         const proto_channel_state *ch, size_t *len);

/* Kept events of a breakout channel (broadcast, breakout_note): like a
 * chat event with another type. */
char *proto_encode_broadcast(const char *channel, int64_t offset,
                             const char *id, const proto_member *from,
                             const char *text, size_t text_len, int64_t ts,
                             size_t *len);
char *proto_encode_breakout_note(const char *channel, int64_t offset,
                                 const char *id, const proto_member *from,
                                 const char *text, size_t text_len, int64_t ts,
                                 size_t *len);

typedef struct proto_offset {
    const char *channel;
    int64_t offset;
} proto_offset;

/* broadcast_ack: every breakout channel the broadcast is stored in. */
char *proto_encode_broadcast_ack(const char *id, const proto_offset *chs,
                                 size_t n, const char *ref, size_t *len);

typedef struct proto_note_item {
    const char *id;
    proto_person from;
    const char *text;
    size_t text_len;
    int64_t ts;
} proto_note_item;

typedef struct proto_room_notes {
    const char *room;
    const proto_person *members;
    size_t nmembers;
    const proto_note_item *notes;
    size_t nnotes;
} proto_room_notes;

/* breakout_notes: the kept event in the main room when a round closes. */
char *proto_encode_breakout_notes(const char *channel, int64_t offset,
                                  const char *round, int64_t ts,
                                  const proto_room_notes *rooms, size_t n,
                                  size_t *len);

/* help_queue (to coordinators and experts), help_asked (the asker's
 * reply) and help_resolved (to the asker). */
char *proto_encode_help_queue(const proto_help_request *r, size_t n,
                              const char *ref, size_t *len);
char *proto_encode_help_asked(const proto_help_request *r, const char *ref,
                              size_t *len);
char *proto_encode_help_resolved(int64_t id, const proto_person *by,
                                 const char *ref, size_t *len);

/* coverage: matrix holds n * n meeting counts (row-major, people order);
 * csv is written when not NULL. */
typedef struct proto_coverage {
    const proto_person *people;
    size_t n;
    const uint32_t *matrix;
    int64_t rounds;
    uint64_t pairs, cross_pairs, unknown_pairs;
    uint64_t meetings, cross_meetings;
    const char *csv;
    size_t csv_len;
} proto_coverage;

char *proto_encode_coverage(const proto_coverage *cv, const char *ref,
                            size_t *len);

#endif
