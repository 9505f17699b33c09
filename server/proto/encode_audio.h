/* proto encode, audio: the JSON events of docs/protocol.md section 8
 * (audio state, speakers, recording). Same conventions as encode.h: each
 * function returns a new buffer of *len bytes (NUL-terminated) that the
 * caller frees with free(); arguments are borrowed; out of memory aborts. */
#ifndef KOPA_PROTO_ENCODE_AUDIO_H
#define KOPA_PROTO_ENCODE_AUDIO_H

#include <stddef.h>
#include <stdint.h>

/* A member's audio state (the `audio` event). */
typedef struct proto_audio_state {
    int enabled;
    const char *room; /* the room heard; left out when NULL or "" */
    uint32_t stream;  /* left out when 0 */
    int muted;
    int may_speak;
    int broadcast;
    const char *listen; /* left out when NULL or "" */
    const char *reason; /* left out when NULL or "" */
} proto_audio_state;

/* One entry of a `speakers` event. */
typedef struct proto_speaker {
    const char *id;
    uint32_t stream;
    int level_known; /* level_db is written only when set */
    double level_db; /* written with one decimal */
} proto_speaker;

/* A `recording` event. */
typedef struct proto_recording_event {
    const char *channel;
    int64_t offset;
    const char *room;
    int started; /* "started" or "stopped" */
    const char *id;
    const char *by_id; /* `by` is left out when NULL */
    const char *by_name;
    const char *by_role;
    int64_t ts;
    int64_t duration_ms; /* written when stopped */
    const char *error;   /* an error code when stopped by a failure, or NULL */
} proto_recording_event;

/* {"type":"audio",["ref":..],"enabled":..,...}. */
char *proto_encode_audio_state(const proto_audio_state *st, const char *ref,
                               size_t *len);
/* {"type":"speakers","room":..,"speakers":[...]}. */
char *proto_encode_speakers(const char *room, const proto_speaker *sp, size_t n,
                            size_t *len);
/* The kept `recording` event. */
char *proto_encode_recording(const proto_recording_event *ev, size_t *len);
/* The object {"room":..,"id":..,"since":..} that joined carries while a
 * recording runs. */
char *proto_encode_recording_brief(const char *room, const char *id,
                                   int64_t since, size_t *len);

/* A borrowed piece of JSON text (as proto_raw in encode.h). */
typedef struct proto_raw proto_raw;

/* Returns the JSON object obj (len bytes, from an encoder; taken, even on
 * error) with the field "key":value added at its end, in a new buffer of
 * *out_len bytes the caller frees. value is borrowed JSON text. If obj
 * does not end with '}' it is returned unchanged. */
char *proto_encode_add_field(char *obj, size_t len, const char *key,
                             const proto_raw *value, size_t *out_len);

#endif
