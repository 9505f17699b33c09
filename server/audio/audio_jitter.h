/* audio_jitter.h: a short jitter buffer for one speaker's Opus packets,
 * ordered by their 16-bit sequence numbers (which wrap).
 *
 * The mixer puts packets as they arrive and pops exactly one frame per 20 ms
 * tick. Playback starts once `delay` frames are buffered (or after `delay`
 * ticks with at least one), so the buffer adds about delay x 20 ms. It never
 * holds more than `depth` frames: a burst (a stalled TCP stream catching up)
 * drops the oldest frames. After a few missing frames in a row with nothing
 * buffered the stream counts as stopped and the next packet starts afresh,
 * whatever its sequence number. A packet that arrives two or more frames
 * and at least `delay` frames ahead of the play point while nothing is
 * buffered (or only frames at least `depth` older than it, which it would
 * push out) starts a new talkspurt: it too starts afresh, so the delay
 * returns to `delay` at every pause in speech (after a stall, say). */
#ifndef KOPA_AUDIO_JITTER_H
#define KOPA_AUDIO_JITTER_H

#include <stddef.h>
#include <stdint.h>

#include "server/audio/audio.h"

/* Missing frames in a row, with nothing buffered, before a stream stops. */
#define AUDIO_JITTER_MAX_CONCEAL 5
/* The largest depth (frames) a jitter buffer can be created with. */
#define AUDIO_JITTER_MAX_DEPTH 32

typedef struct audio_jitter audio_jitter;

typedef enum audio_jitter_state {
    AUDIO_JITTER_IDLE,    /* nothing to play: stopped or still filling */
    AUDIO_JITTER_PACKET,  /* a packet to decode (or forward) */
    AUDIO_JITTER_MISSING, /* a gap to conceal (PLC, or FEC from `next`) */
} audio_jitter_state;

typedef struct audio_jitter_frame {
    const uint8_t *data; /* PACKET: the packet; valid until the next pop */
    size_t len;
    uint16_t seq;        /* PACKET and MISSING: the frame's sequence number */
    const uint8_t *next; /* MISSING: the following packet if buffered (its
                          * in-band FEC can rebuild the gap), else NULL; valid
                          * until the next put or pop */
    size_t next_len;
} audio_jitter_frame;

/* Returns a new, empty jitter buffer holding packets of at most max_packet
 * bytes; 1 <= delay <= depth <= AUDIO_JITTER_MAX_DEPTH. The caller frees it
 * with audio_jitter_free(). Returns NULL if an argument is out of range;
 * aborts when out of memory. */
audio_jitter *audio_jitter_new(int delay, int depth, size_t max_packet);

/* Frees jb; NULL is a no-op. */
void audio_jitter_free(audio_jitter *jb);

/* Stores a copy of pkt[0..len) (len <= max_packet, checked by the caller)
 * under seq. Returns AUDIO_OK, AUDIO_ERR_LATE (seq was already played or
 * skipped), or AUDIO_ERR_DUPLICATE (seq is already buffered). A seq far from
 * the current window, or one that starts a new talkspurt (see above),
 * restarts the stream. *overflow (may be NULL) is set to
 * the number of buffered frames dropped to make room. */
audio_error audio_jitter_put(audio_jitter *jb, uint16_t seq, const uint8_t *pkt,
                             size_t len, unsigned *overflow);

/* Takes this tick's frame into *out and returns its state. *overflow (may
 * be NULL) is set to the number of frames skipped because the buffer was
 * deeper than `depth`. */
audio_jitter_state audio_jitter_pop(audio_jitter *jb, audio_jitter_frame *out,
                                    unsigned *overflow);

/* Drops everything buffered; the next put starts a new stream. */
void audio_jitter_reset(audio_jitter *jb);

/* Returns how many packets are buffered now. */
int audio_jitter_count(const audio_jitter *jb);

#endif
