/* proto encode: typed server events -> JSON text (docs/protocol.md s. 6).
 * Every function returns a new buffer (not NUL-terminated data of *len
 * bytes, though a NUL follows for convenience); the caller frees it with
 * free(). Out of memory aborts. Raw JSON arguments (already encoded events
 * or members) are copied in verbatim: they must be JSON text without NUL
 * bytes. All other arguments are borrowed for the call. A NULL string is
 * written as ""; a string that is not well-formed UTF-8 (or holds a NUL) is
 * written with each offending byte replaced by U+FFFD, so every frame is
 * valid JSON and valid UTF-8. Integers are written exactly. */
#ifndef KOPA_PROTO_ENCODE_H
#define KOPA_PROTO_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "server/proto/proto.h"

/* A member as the server describes it. country and room are left out of
 * the JSON when NULL or ""; langs is always written (maybe []). */
typedef struct proto_member {
    const char *id;
    const char *name;
    const char *role;
    const char *country;      /* NULL or "" when unknown */
    const char *const *langs; /* nlangs strings */
    int nlangs;
    const char *room;
    int online;
} proto_member;

/* A borrowed piece of raw JSON. */
typedef struct proto_raw {
    const char *json;
    size_t len;
} proto_raw;

/* One channel of a joined answer. */
typedef struct proto_channel_state {
    const char *channel;
    int64_t offset;
    int recovered;
    const proto_raw *events; /* nevents raw event objects, offset order */
    size_t nevents;
} proto_channel_state;

/* The replies (welcome, joined, ack, history, pong, error) take the ref of
 * the client message they answer: written right after "type" (after
 * "message" in an error) when neither NULL nor "", left out otherwise. */
char *proto_encode_welcome(const char *session, const proto_member *me,
                           int64_t server_time, const char *node,
                           const char *ref, size_t *len);
char *proto_encode_joined(const char *session, const char *room,
                          const char *epoch, int64_t server_time,
                          const proto_member *members, size_t nmembers,
                          const proto_channel_state *channels, size_t nchannels,
                          const char *ref, size_t *len);
/* The member object alone ({"id":..,"name":..,...}); "null" for NULL. */
char *proto_encode_member(const proto_member *m, size_t *len);
/* chat event; from_* describe the sender. */
char *proto_encode_chat(const char *channel, int64_t offset, const char *id,
                        const proto_member *from, const char *text,
                        size_t text_len, int64_t ts, size_t *len);
char *proto_encode_dm(const char *channel, int64_t offset, const char *id,
                      const proto_member *from, const char *to,
                      const char *text, size_t text_len, int64_t ts,
                      size_t *len);
char *proto_encode_ack(const char *id, const char *channel, int64_t offset,
                       const char *ref, size_t *len);
/* action is "join" or "leave". */
char *proto_encode_presence(const char *action, const proto_member *m,
                            size_t *len);
char *proto_encode_history(const char *channel, const proto_raw *events,
                           size_t nevents, int more, const char *ref,
                           size_t *len);
char *proto_encode_pong(const char *ref, int64_t server_time, size_t *len);
/* ref and id may be NULL or "" (then left out); message NULL or "" gives
 * proto_strerror(e). */
char *proto_encode_error(proto_error e, const char *message, const char *ref,
                         const char *id, size_t *len);

/* Joins n encoded objects into one JSON array frame "[a,b,...]" ("[]"
 * when n is 0). */
char *proto_encode_batch(const proto_raw *items, size_t n, size_t *len);

#endif
