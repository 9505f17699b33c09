/* audio_jitter.c: one speaker's jitter buffer (see audio_jitter.h). The
 * mixer owns one per speaker, created on the speaker's first packet; pushes
 * call audio_jitter_put() and every 20 ms tick calls audio_jitter_pop().
 *
 * Packets live in a ring of `cap` slots (a power of two, so sequence numbers
 * map to slots the same way across the 16-bit wrap). The window of frames
 * that may be buffered is [head, head + depth); head is the next frame to
 * play. Latency is kept near `delay` two ways: when the fewest frames seen
 * at a pop during one second stays above delay, the excess oldest frames
 * are dropped; and a packet that comes after a gap while nothing (or
 * nothing the window can keep with it) is buffered, a new talkspurt,
 * restarts the stream at the delay. */
#include "server/audio/audio_jitter.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* A packet further than this behind the playing window restarts the stream
 * (a client reconnected with new sequence numbers) instead of being late. */
#define RESYNC_BEHIND 64
/* A packet this far ahead restarts the stream too (30 s of frames). */
#define RESYNC_AHEAD 1500
/* Ticks over which the lowest depth is watched before trimming latency. */
#define TRIM_WINDOW 50

typedef enum jitter_phase {
    PHASE_EMPTY,
    PHASE_FILLING,
    PHASE_PLAYING
} jitter_phase;

struct audio_jitter {
    int delay, depth, cap;
    size_t max_packet;
    jitter_phase phase;
    uint16_t head;    /* next frame to play; lowest frame that may be held */
    uint16_t tail;    /* one past the highest frame held */
    int count;        /* frames held */
    int fill_ticks;   /* pops seen while filling */
    int missing_run;  /* frames concealed in a row */
    int min_count;    /* lowest count at a pop in this trim window */
    int window_ticks; /* pops in this trim window */
    bool *valid;
    uint16_t *seqs;
    uint16_t *lens;
    uint8_t *data; /* cap slots of max_packet bytes */
    uint8_t *cur;  /* the popped packet */
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

audio_jitter *audio_jitter_new(int delay, int depth, size_t max_packet)
{
    audio_jitter *jb;
    int cap = 1;

    if (delay < 1 || depth < delay || depth > AUDIO_JITTER_MAX_DEPTH ||
        max_packet == 0 || max_packet > AUDIO_MAX_PACKET)
        return NULL;
    while (cap < depth)
        cap <<= 1;
    jb = xcalloc(1, sizeof(*jb));
    jb->delay = delay;
    jb->depth = depth;
    jb->cap = cap;
    jb->max_packet = max_packet;
    jb->valid = xcalloc((size_t)cap, sizeof(*jb->valid));
    jb->seqs = xcalloc((size_t)cap, sizeof(*jb->seqs));
    jb->lens = xcalloc((size_t)cap, sizeof(*jb->lens));
    jb->data = xcalloc((size_t)cap, max_packet);
    jb->cur = xcalloc(1, max_packet);
    audio_jitter_reset(jb);
    return jb;
}

void audio_jitter_free(audio_jitter *jb)
{
    if (!jb)
        return;
    free(jb->valid);
    free(jb->seqs);
    free(jb->lens);
    free(jb->data);
    free(jb->cur);
    free(jb);
}

void audio_jitter_reset(audio_jitter *jb)
{
    memset(jb->valid, 0, (size_t)jb->cap * sizeof(*jb->valid));
    jb->phase = PHASE_EMPTY;
    jb->count = 0;
    jb->fill_ticks = 0;
    jb->missing_run = 0;
    jb->min_count = AUDIO_JITTER_MAX_DEPTH + 1;
    jb->window_ticks = 0;
}

int audio_jitter_count(const audio_jitter *jb)
{
    return jb->count;
}

static int slot_of(const audio_jitter *jb, uint16_t seq)
{
    return seq & (jb->cap - 1);
}

static bool holds(const audio_jitter *jb, uint16_t seq)
{
    int s = slot_of(jb, seq);
    return jb->valid[s] && jb->seqs[s] == seq;
}

/* Moves head forward to new_head, dropping any frame held below it.
 * Returns the number of frames dropped. */
static unsigned advance_head(audio_jitter *jb, uint16_t new_head)
{
    unsigned dropped = 0;
    int steps = (int16_t)(uint16_t)(new_head - jb->head);

    if (steps >= jb->cap) {
        dropped = (unsigned)jb->count;
        memset(jb->valid, 0, (size_t)jb->cap * sizeof(*jb->valid));
        jb->count = 0;
    } else {
        for (int i = 0; i < steps; i++) {
            uint16_t seq = (uint16_t)(jb->head + i);
            if (holds(jb, seq)) {
                jb->valid[slot_of(jb, seq)] = false;
                jb->count--;
                dropped++;
            }
        }
    }
    jb->head = new_head;
    if ((int16_t)(uint16_t)(jb->tail - new_head) < 0)
        jb->tail = new_head;
    return dropped;
}

static void store(audio_jitter *jb, uint16_t seq, const uint8_t *pkt,
                  size_t len)
{
    int s = slot_of(jb, seq);

    memcpy(jb->data + (size_t)s * jb->max_packet, pkt, len);
    jb->lens[s] = (uint16_t)len;
    jb->seqs[s] = seq;
    jb->valid[s] = true;
    jb->count++;
    if ((int16_t)(uint16_t)(seq + 1 - jb->tail) > 0)
        jb->tail = (uint16_t)(seq + 1);
}

static void start(audio_jitter *jb, uint16_t seq)
{
    audio_jitter_reset(jb);
    jb->phase = PHASE_FILLING;
    jb->head = seq;
    jb->tail = seq;
}

/* Returns true when a packet `ahead` frames before head (ahead < 0) can be
 * taken by moving head back: only while filling, and only if the window
 * still covers everything held. */
static bool can_move_back(const audio_jitter *jb, uint16_t seq)
{
    return jb->phase == PHASE_FILLING &&
           (int16_t)(uint16_t)(jb->tail - seq) <= jb->depth;
}

/* Returns true when seq, d frames ahead of the play point, starts a new
 * talkspurt: while playing, nothing is buffered, or all that is buffered
 * is so much older than seq that the window must drop it to take seq (the
 * rest of a phrase that came late, after a server stall); and seq would
 * wait at least as long as a fresh start at the target delay makes it
 * wait. The stream then restarts at seq, so the delay is set again at
 * every pause. Without this, latency gained in a stall outlives every
 * pause shorter than the concealment limit. d == 1 (one frame lost) plays
 * on through the gap, concealing the lost frame from seq's FEC; a packet
 * ahead by less than the delay plays sooner than a restart would play it. */
static bool new_talkspurt(const audio_jitter *jb, uint16_t seq, int d)
{
    if (jb->phase != PHASE_PLAYING || d < 2 || d < jb->delay ||
        d >= RESYNC_AHEAD)
        return false;
    /* With frames held, tail - 1 is the newest of them. */
    return jb->count == 0 ||
           (int16_t)(uint16_t)(seq - jb->tail) >= jb->depth - 1;
}

audio_error audio_jitter_put(audio_jitter *jb, uint16_t seq, const uint8_t *pkt,
                             size_t len, unsigned *overflow)
{
    unsigned dropped = 0;
    int d;

    if (overflow)
        *overflow = 0;
    if (len > jb->max_packet)
        len = jb->max_packet;
    if (jb->phase == PHASE_EMPTY)
        start(jb, seq);
    d = (int16_t)(uint16_t)(seq - jb->head);
    if (new_talkspurt(jb, seq, d)) {
        dropped = (unsigned)jb->count;
        start(jb, seq);
        d = 0;
    }
    if (d < 0) {
        if (can_move_back(jb, seq)) {
            jb->head = seq;
        } else if (d >= -RESYNC_BEHIND) {
            return AUDIO_ERR_LATE;
        } else {
            dropped = (unsigned)jb->count;
            start(jb, seq);
        }
    } else if (d >= RESYNC_AHEAD) {
        dropped = (unsigned)jb->count;
        start(jb, seq);
    } else if (d >= jb->depth) {
        dropped = advance_head(jb, (uint16_t)(seq - jb->depth + 1));
    }
    if (overflow)
        *overflow = dropped;
    if (holds(jb, seq))
        return AUDIO_ERR_DUPLICATE;
    store(jb, seq, pkt, len);
    return AUDIO_OK;
}

/* Once per TRIM_WINDOW pops, drops the frames that sat in the buffer the
 * whole window beyond the target delay. Returns the number dropped. */
static unsigned trim_latency(audio_jitter *jb)
{
    unsigned dropped = 0;

    if (jb->count < jb->min_count)
        jb->min_count = jb->count;
    if (++jb->window_ticks < TRIM_WINDOW)
        return 0;
    if (jb->min_count > jb->delay) {
        int excess = jb->min_count - jb->delay;
        /* Drop the oldest held frames, skipping gaps on the way. */
        while (excess > 0 && jb->count > 0) {
            if (holds(jb, jb->head))
                excess--;
            dropped += advance_head(jb, (uint16_t)(jb->head + 1));
        }
    }
    jb->min_count = AUDIO_JITTER_MAX_DEPTH + 1;
    jb->window_ticks = 0;
    return dropped;
}

audio_jitter_state audio_jitter_pop(audio_jitter *jb, audio_jitter_frame *out,
                                    unsigned *overflow)
{
    int s;

    memset(out, 0, sizeof(*out));
    if (overflow)
        *overflow = 0;
    if (jb->phase == PHASE_EMPTY)
        return AUDIO_JITTER_IDLE;
    if (jb->phase == PHASE_FILLING) {
        jb->fill_ticks++;
        if (jb->count < jb->delay && jb->fill_ticks <= jb->delay)
            return AUDIO_JITTER_IDLE;
        jb->phase = PHASE_PLAYING;
    }
    if (overflow)
        *overflow = trim_latency(jb);
    else
        trim_latency(jb);
    out->seq = jb->head;
    s = slot_of(jb, jb->head);
    if (holds(jb, jb->head)) {
        memcpy(jb->cur, jb->data + (size_t)s * jb->max_packet, jb->lens[s]);
        out->data = jb->cur;
        out->len = jb->lens[s];
        jb->valid[s] = false;
        jb->count--;
        jb->head++;
        jb->missing_run = 0;
        return AUDIO_JITTER_PACKET;
    }
    if (jb->count == 0 && jb->missing_run >= AUDIO_JITTER_MAX_CONCEAL) {
        audio_jitter_reset(jb);
        return AUDIO_JITTER_IDLE;
    }
    jb->missing_run++;
    jb->head++;
    if ((int16_t)(uint16_t)(jb->tail - jb->head) < 0)
        jb->tail = jb->head;
    if (holds(jb, jb->head)) {
        s = slot_of(jb, jb->head);
        out->next = jb->data + (size_t)s * jb->max_packet;
        out->next_len = jb->lens[s];
    }
    return AUDIO_JITTER_MISSING;
}
