/* channel: one ordered stream of events (a room's or a member's private
 * one) with monotonic offsets and a ring of the most recent encoded events.
 * Pure: the bytes are opaque to the domain (the server encodes them). */
#ifndef KOPA_ROOMS_CHANNEL_H
#define KOPA_ROOMS_CHANNEL_H

#include <stddef.h>
#include <stdint.h>

#define CHANNEL_NAME_MAX 80

typedef enum channel_error {
    CHANNEL_OK = 0,
    CHANNEL_ERR_NOMEM,
    CHANNEL_ERR_ORDER, /* an append whose offset is not top + 1 */
} channel_error;

typedef struct channel_event {
    int64_t offset;
    char *data; /* owned by the ring */
    size_t len;
} channel_event;

typedef struct channel {
    char name[CHANNEL_NAME_MAX + 1];
    int64_t top;  /* last offset assigned; 0 when empty */
    int64_t base; /* the top storage held when this node took over */
    channel_event *ring;
    size_t cap;   /* ring capacity */
    size_t alloc; /* ring slots allocated so far (grows up to cap) */
    size_t count; /* events held, the newest `count` ones */
    size_t head;  /* index of the oldest held event */
} channel;

/* Returns a new channel named name whose last offset is top (what storage
 * already holds), keeping up to cap recent events in memory; NULL when out
 * of memory or cap is 0. The caller frees it with channel_free(). */
channel *channel_new(const char *name, int64_t top, size_t cap);
void channel_free(channel *c);

/* The offset the next append must carry: top + 1. */
int64_t channel_next_offset(const channel *c);

/* Appends an event with offset top + 1, copying len bytes of data. The
 * oldest event leaves the ring when it is full. */
channel_error channel_append(channel *c, int64_t offset, const char *data,
                             size_t len);

/* The offset of the oldest event in the ring, or top + 1 when empty. */
int64_t channel_first_held(const channel *c);

/* Returns the held event with this offset, or NULL when not in the ring. */
const channel_event *channel_get(const channel *c, int64_t offset);

/* Whether every event with offset > after is in the ring (true when
 * after >= top). */
int channel_covers_after(const channel *c, int64_t after);

const char *channel_strerror(channel_error e);

#endif
