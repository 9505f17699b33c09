/* latsig: the test signal of kopa_audio_latency and how its onset is
 * found: talkspurts of near-silence then a loud tone, a steady quiet noise
 * for a second voice, the Opus encoder and decoder settings, and the delay
 * this client's own codec puts before the onset. Pure computation. */
#ifndef KOPA_BENCH_LATSIG_H
#define KOPA_BENCH_LATSIG_H

#include <stdint.h>

#include <opus.h>

#define LATSIG_RATE 48000
#define LATSIG_FRAME 960 /* 20 ms at 48 kHz */
#define LATSIG_LEAD 6    /* near-silent frames before a burst */
#define LATSIG_BURST 4   /* loud frames */
#define LATSIG_LEAD_NOISE                                                      \
    16                       /* +-16: about -71 dBFS, under the -50 threshold  \
                              */
#define LATSIG_BG_NOISE 1600 /* +-1600: about -31 dBFS, an audible voice */

/* Returns the next number of the xorshift generator *s. */
uint32_t latsig_rand(uint32_t *s);

/* Fills pcm (one frame) with uniform noise of +-amp from *rng. */
void latsig_noise(int16_t *pcm, int amp, uint32_t *rng);

/* Fills pcm with frame f (0 <= f < LEAD + BURST) of a talkspurt:
 * near-silent noise from *rng, then a -6 dBFS 1 kHz tone from its peak. */
void latsig_talk(int f, uint32_t *rng, int16_t *pcm);

/* Returns the index of the first of n samples over -12 dBFS (which only
 * the tone reaches), or -1. */
int latsig_onset(const int16_t *pcm, int n);

/* A new mono 48 kHz encoder as a browser's (application audio, 32 kbit/s,
 * complexity 5), or a decoder; the caller destroys it. Exit the program
 * when libopus fails. */
OpusEncoder *latsig_encoder_new(void);
OpusDecoder *latsig_decoder_new(void);

/* Returns where the onset of a talkspurt lands after this client's encoder
 * and a fresh decoder, in samples after the first loud one, or -1 when it
 * is not found. */
int latsig_codec_delay(void);

#endif
