/* audio.h: what every part of kopa_audio shares: the audio format, the
 * library's one error enum and its strings.
 *
 * kopa_audio mixes Opus speech for the rooms of one node (audio_mixer.h) and
 * records a mix to Ogg Opus (recorder.h). It does no networking, no JSON and
 * never reads a clock of its own: callers pass the time in (and, to time
 * the encodes, a clock function: audio_mixer_config.now_ns). */
#ifndef KOPA_AUDIO_H
#define KOPA_AUDIO_H

/* The one format the mixer speaks: 48 kHz mono, 20 ms per packet. */
#define AUDIO_SAMPLE_RATE 48000
#define AUDIO_FRAME_MS 20
#define AUDIO_FRAME_SAMPLES 960
/* The largest Opus packet accepted (the largest single Opus frame). */
#define AUDIO_MAX_PACKET 1275
/* The most speakers mixed at once (the largest allowed K). */
#define AUDIO_MAX_ACTIVE 8

typedef enum audio_error {
    AUDIO_OK = 0,
    /* Refused packets. */
    AUDIO_ERR_EMPTY,         /* zero bytes (or a NULL packet) */
    AUDIO_ERR_TOO_SHORT,     /* one byte: a TOC with no audio */
    AUDIO_ERR_TOO_LONG,      /* over the configured maximum size */
    AUDIO_ERR_MALFORMED,     /* libopus cannot parse its frame layout */
    AUDIO_ERR_DURATION,      /* not exactly 20 ms at 48 kHz */
    AUDIO_ERR_CHANNELS,      /* a stereo packet: mono only */
    AUDIO_ERR_RATE,          /* the speaker sends too many packets */
    AUDIO_ERR_NOT_PERMITTED, /* may not speak, or listens only */
    AUDIO_ERR_UNKNOWN_PARTICIPANT,
    AUDIO_ERR_LATE,      /* its sequence number was already played */
    AUDIO_ERR_DUPLICATE, /* its sequence number is already buffered */
    /* Drops counted inside the mixer (never returned by a push). */
    AUDIO_ERR_OVERFLOW, /* jitter buffer too deep: oldest dropped */
    AUDIO_ERR_DECODE,   /* libopus failed to decode an accepted packet */
    AUDIO_ERR_ENCODE,   /* libopus failed to encode a mix */
    /* Calls refused. */
    AUDIO_ERR_EXISTS, /* participant already in this mixer */
    AUDIO_ERR_BAD_ID, /* participant id 0 is reserved */
    AUDIO_ERR_FLAGS,  /* unknown or contradictory flags */
    AUDIO_ERR_CONFIG, /* a configuration value out of range */
    AUDIO_ERR_IO,     /* recorder: the file cannot be written */
    AUDIO_ERR_STATE,  /* recorder: already stopped */
    AUDIO_ERR_COUNT
} audio_error;

/* Returns a static, human-readable English string for err (never NULL; an
 * out-of-range value gives "unknown audio error"). */
const char *audio_strerror(audio_error err);

#endif
