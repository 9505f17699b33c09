/* audio_mixer.h: one room's Opus audio mixer.
 *
 * The app creates one mixer per room, adds the room's participants with
 * their flags, pushes each speaker's packets as they arrive, and calls
 * audio_mixer_tick() every 20 ms. A tick pops one frame per speaker from a
 * short jitter buffer, decodes it (concealing losses), measures levels,
 * keeps the loudest K speakers with hysteresis, and gives every listener at
 * most one packet:
 *  - a listener who is not an active speaker gets the one shared mix of the
 *    active speakers (one encode for the whole room);
 *  - an active speaker gets an "everyone but me" mix (one encode per active
 *    speaker), so nobody ever hears themselves;
 *  - whoever would hear exactly one speaker gets that speaker's packet as
 *    it arrived (no encode); a room of two neither decodes nor encodes.
 * So the cost grows with the speakers, not with the listeners.
 *
 * The mixer never reads a clock of its own: now_ms comes from the caller
 * (any monotonic millisecond clock), and the time spent encoding is
 * measured only with the clock the caller puts in the config (now_ns).
 * It is not thread-safe; use one mixer from one thread.
 * Coordinators: to speak into several rooms, push the same
 * packets into each room's mixer (add them with AUDIO_SEND_ONLY where they
 * should not hear the room); to listen in, add them to the other room's
 * mixer with AUDIO_LISTEN_ONLY. */
#ifndef KOPA_AUDIO_MIXER_H
#define KOPA_AUDIO_MIXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/audio/audio.h"

typedef struct audio_mixer audio_mixer;

/* Participant flags. */
enum {
    /* May be mixed: off while muted, or in a workshop when not on stage. */
    AUDIO_MAY_SPEAK = 1u << 0,
    /* Hears the room but is never mixed (a coordinator listening in). */
    AUDIO_LISTEN_ONLY = 1u << 1,
    /* Is mixed (with AUDIO_MAY_SPEAK) but receives nothing (a coordinator
     * speaking into a room it is not in). Not with AUDIO_LISTEN_ONLY. */
    AUDIO_SEND_ONLY = 1u << 2,
};

typedef enum audio_mix_mode {
    AUDIO_MIX_SHARED = 0,   /* the design above */
    AUDIO_MIX_PER_LISTENER, /* every listener gets its own encode of the
                             * active speakers but itself, never a forward
                             * (the Janus AudioBridge design, with the same
                             * top-K choice): for benchmarks only */
} audio_mix_mode;

/* How the mixes are encoded. Measured on this machine with speech-like
 * audio at 32 kbit/s and complexity 5: CELT about 75 us per 20 ms frame,
 * VOIP (which picks SILK/hybrid for speech) about 260 us. */
typedef enum audio_codec {
    AUDIO_CODEC_LOWDELAY = 0, /* CELT only (OPUS_APPLICATION_RESTRICTED_
                               * LOWDELAY): 2.5 ms lookahead; the default */
    AUDIO_CODEC_VOIP,         /* OPUS_APPLICATION_VOIP: better speech at
                               * low bitrates, 6.5 ms lookahead */
} audio_codec;

/* A monotonic clock in nanoseconds, read around each opus_encode() call
 * (twice per encode); data is the config's now_data. */
typedef uint64_t (*audio_mixer_clock_cb)(void *data);

typedef struct audio_mixer_config {
    audio_mix_mode mode;
    audio_codec codec;
    int max_speakers;       /* K, 1..AUDIO_MAX_ACTIVE; default 3 */
    int complexity;         /* Opus encoder complexity 0..10; default 5 */
    int bitrate;            /* of the encoded mixes, 6000..128000; 32000 */
    int max_packet;         /* largest accepted packet, 2..1275; 1275 */
    int max_packet_rate;    /* packets/s per speaker, 50..1000; default 75 */
    int rate_burst;         /* packets a speaker may send at once; 25 */
    int jitter_delay;       /* frames buffered before playback; default 2 */
    int jitter_depth;       /* most frames buffered, delay..32; default 6 */
    int level_threshold_db; /* quieter speakers are not mixed; -50 dBFS */
    int switch_margin_db;   /* how much louder a newcomer must be than the
                             * quietest active speaker to replace it; 6 */
    int min_hold_ms;        /* an active speaker stays at least this long
                             * before being replaced; default 600 */
    int release_ms;         /* an active speaker below the threshold this
                             * long leaves the set; default 300 */
    audio_mixer_clock_cb now_ns; /* optional: times the encodes into
                                  * stats.encode_ns; NULL (the default):
                                  * encode_ns stays 0 */
    void *now_data;              /* passed to now_ns */
} audio_mixer_config;

typedef enum audio_stream_kind {
    AUDIO_STREAM_MIX,       /* the shared mix; stream_id 0 */
    AUDIO_STREAM_MIX_MINUS, /* everyone but the listener; stream_id = the
                             * listener's id */
    AUDIO_STREAM_FORWARD,   /* one speaker's packet unchanged; stream_id =
                             * that speaker's id */
    AUDIO_STREAM_OWN,       /* AUDIO_MIX_PER_LISTENER: the listener's own
                             * encode; stream_id = the listener's id */
} audio_stream_kind;

/* One packet for one listener. data is owned by the mixer and stays valid
 * until the next audio_mixer_tick() or audio_mixer_free() on this mixer
 * (removing participants does not invalidate it). Every listener given the
 * same stream in one tick gets the same data pointer, so the network layer
 * can copy or reference-count one buffer for all of them. seq and ts come
 * from the mixer's tick counter (seq = tick, ts = tick x 960 at 48 kHz) for
 * every kind, forwarded packets included, so a listener's packets form one
 * sequence whichever stream they come from; a gap in seq is a silent or
 * lost frame. */
typedef struct audio_out {
    uint32_t listener_id;
    audio_stream_kind kind;
    uint32_t stream_id;
    uint16_t seq;
    uint32_t ts;
    const uint8_t *data;
    size_t len;
} audio_out;

/* Called by audio_mixer_tick() once per listener that gets a packet. Must
 * not call back into this mixer. */
typedef void (*audio_mixer_emit_cb)(void *data, const audio_out *out);

/* Called once per tick while set, with 960 samples of the mix of every
 * permitted speaker who has audio (not only the top K; silence when nobody
 * speaks): for the recorder. pcm is valid for the call only. */
typedef void (*audio_mixer_pcm_cb)(void *data, const int16_t *pcm,
                                   size_t samples);

typedef struct audio_speaker {
    uint32_t participant_id;
    float level_db;   /* smoothed level in dBFS, when level_known */
    bool level_known; /* false in a room of two, where nothing is decoded */
} audio_speaker;

typedef struct audio_mixer_stats {
    uint64_t ticks;
    uint64_t packets_accepted;
    uint64_t dropped[AUDIO_ERR_COUNT]; /* by reason: refused pushes, and
                                        * OVERFLOW, DECODE, ENCODE drops */
    uint64_t frames_decoded;           /* decoder calls, concealment included */
    uint64_t frames_concealed;         /* of which PLC or FEC */
    uint64_t frames_encoded;           /* encoder calls */
    uint64_t encode_ns;                /* time in those calls, by the
                                        * config's now_ns clock (0 without) */
    uint64_t packets_forwarded;        /* distinct forwarded packets per tick */
    uint64_t packets_emitted;          /* emit callbacks */
} audio_mixer_stats;

/* Fills *cfg with the defaults listed above. */
void audio_mixer_config_init(audio_mixer_config *cfg);

/* Returns AUDIO_OK if every field of *cfg is in range, else AUDIO_ERR_CONFIG.
 */
audio_error audio_mixer_config_check(const audio_mixer_config *cfg);

/* Returns a new mixer with a copy of *cfg (NULL: the defaults); the caller
 * frees it with audio_mixer_free(). Returns NULL if the config fails
 * audio_mixer_config_check(); aborts when out of memory. */
audio_mixer *audio_mixer_new(const audio_mixer_config *cfg);

/* Frees m and everything it owns; NULL is a no-op. */
void audio_mixer_free(audio_mixer *m);

/* Adds a participant with flags (AUDIO_MAY_SPEAK etc.). Returns AUDIO_OK,
 * AUDIO_ERR_BAD_ID (id 0), AUDIO_ERR_EXISTS or AUDIO_ERR_FLAGS. */
audio_error audio_mixer_add(audio_mixer *m, uint32_t participant_id,
                            unsigned flags);

/* Changes a participant's flags from the next push or tick on. Losing
 * AUDIO_MAY_SPEAK (or gaining AUDIO_LISTEN_ONLY) drops the participant's
 * buffered audio at once. Returns AUDIO_OK,
 * AUDIO_ERR_UNKNOWN_PARTICIPANT or AUDIO_ERR_FLAGS. */
audio_error audio_mixer_set_flags(audio_mixer *m, uint32_t participant_id,
                                  unsigned flags);

/* Removes a participant and frees its buffers, decoder and encoder.
 * Returns AUDIO_OK or AUDIO_ERR_UNKNOWN_PARTICIPANT. */
audio_error audio_mixer_remove(audio_mixer *m, uint32_t participant_id);

/* Returns the number of participants in m. */
size_t audio_mixer_count(const audio_mixer *m);

/* Offers one Opus packet from a participant, with the sender's sequence
 * number, its timestamp (48 kHz units; not used: ordering and loss
 * detection go by seq) and the arrival time. Borrows pkt for the call (it
 * is copied).
 * Returns AUDIO_OK if it was buffered, or why it was refused:
 * AUDIO_ERR_UNKNOWN_PARTICIPANT, AUDIO_ERR_NOT_PERMITTED, any refusal of
 * audio_packet_check() (with the configured max_packet), AUDIO_ERR_RATE,
 * AUDIO_ERR_LATE or AUDIO_ERR_DUPLICATE. A refused packet changes nothing
 * but the counters (a late or duplicate one also used up a packet of the
 * sender's rate allowance). */
audio_error audio_mixer_push(audio_mixer *m, uint32_t participant_id,
                             uint16_t seq, uint32_t ts, const uint8_t *pkt,
                             size_t len, int64_t now_ms);

/* Produces one 20 ms frame: calls emit(data, out) at most once per
 * listener, in increasing participant id order, and the pcm callback if
 * set. Call it every 20 ms; if the caller fell behind, call it once per
 * missed frame. */
void audio_mixer_tick(audio_mixer *m, int64_t now_ms, audio_mixer_emit_cb emit,
                      void *data);

/* Sets (or with cb NULL clears) the callback that receives the full mix
 * every tick. While set, every speaker is decoded, even in a room of two. */
void audio_mixer_set_pcm_cb(audio_mixer *m, audio_mixer_pcm_cb cb, void *data);

/* Writes up to cap of the current active speakers into out, loudest first,
 * and returns how many there are (which may exceed cap). In a room of two
 * these are simply whoever is sending, levels unknown. */
size_t audio_mixer_active_speakers(const audio_mixer *m, audio_speaker *out,
                                   size_t cap);

/* Copies the counters into *out. */
void audio_mixer_get_stats(const audio_mixer *m, audio_mixer_stats *out);

#endif
