/* audio_mixer_int.h: the mixer's private state, shared by audio_mixer.c
 * (membership, pushes, queries) and audio_mixer_tick.c (the 20 ms tick).
 * Nothing outside server/audio/ includes this. */
#ifndef KOPA_AUDIO_MIXER_INT_H
#define KOPA_AUDIO_MIXER_INT_H

#include <opus.h>

#include "server/audio/audio_jitter.h"
#include "server/audio/audio_mixer.h"

/* A participant who has sent audio: created on the first accepted packet,
 * so a 500-listener workshop only pays for the people on stage. */
typedef struct audio_voice {
    audio_jitter *jitter;
    OpusDecoder *decoder;
    OpusEncoder *minus_encoder; /* "everyone but me", made when first active */
    audio_jitter_state state;   /* this tick's frame */
    const uint8_t *pkt;         /* PACKET: the packet, valid this tick */
    size_t pkt_len;
    bool decoded; /* pcm holds this tick's audio */
    int16_t pcm[AUDIO_FRAME_SAMPLES];
    float level_db;        /* smoothed (peak with decay) */
    uint64_t decoder_tick; /* last tick the decoder ran */
    uint64_t minus_tick;   /* last tick minus_encoder ran */
} audio_voice;

typedef struct audio_participant {
    uint32_t id;
    unsigned flags;
    audio_voice *voice;      /* NULL until the first accepted packet */
    int active;              /* index in m->active, or -1 */
    int64_t active_since_ms; /* when it joined the active set */
    int64_t loud_ms;         /* last tick it was above the threshold */
    int64_t tokens;          /* rate limit, in thousandths of a packet */
    int64_t tokens_ms;       /* when tokens was last refilled */
    bool tokens_init;
    OpusEncoder *own_encoder; /* AUDIO_MIX_PER_LISTENER only */
    uint64_t own_tick;
} audio_participant;

/* One encoded or forwarded packet of this tick. */
typedef struct audio_out_slot {
    size_t len;
    uint8_t data[AUDIO_MAX_PACKET];
} audio_out_slot;

struct audio_mixer {
    audio_mixer_config cfg;
    audio_participant **parts; /* sorted by id */
    size_t n_parts, cap_parts;
    audio_participant *active[AUDIO_MAX_ACTIVE];
    int n_active;
    bool levels_known; /* false while the room of two forwards */
    uint64_t tick;
    OpusEncoder *shared_encoder;
    uint64_t shared_tick;  /* last tick shared_encoder ran */
    audio_out_slot *slots; /* this tick's packets */
    size_t n_slots, cap_slots;
    int32_t acc[AUDIO_FRAME_SAMPLES];     /* sum of the active speakers */
    int16_t pcm_out[AUDIO_FRAME_SAMPLES]; /* scratch for one mix */
    audio_mixer_pcm_cb pcm_cb;
    void *pcm_data;
    audio_mixer_stats stats;
};

/* Returns true if p's audio may be mixed. */
bool audio_mixer__speaks(const audio_participant *p);

/* Returns true if p receives the room's audio. */
bool audio_mixer__listens(const audio_participant *p);

/* Removes p from the active set if it is there. */
void audio_mixer__deactivate(audio_mixer *m, audio_participant *p);

/* Returns a new Opus encoder set up from m's config (complexity, bitrate);
 * aborts if libopus cannot make one. */
OpusEncoder *audio_mixer__encoder_new(const audio_mixer *m);

#endif
