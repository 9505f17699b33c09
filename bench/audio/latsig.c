/* latsig: the test signal of kopa_audio_latency (see latsig.h); called by
 * audio_latency.c. */
#define _GNU_SOURCE /* M_PI */
#include "latsig.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define TONE_AMP 16384.0 /* -6 dBFS */
#define TONE_HZ 1000.0
#define THRESHOLD 8192 /* -12 dBFS */
#define RATE LATSIG_RATE
#define FRAME LATSIG_FRAME
#define LEAD LATSIG_LEAD
#define BURST LATSIG_BURST
#define LEAD_NOISE LATSIG_LEAD_NOISE

uint32_t latsig_rand(uint32_t *s)
{
    uint32_t x = *s ? *s : 0x2545f491u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

void latsig_noise(int16_t *pcm, int amp, uint32_t *rng)
{
    for (int i = 0; i < FRAME; i++)
        pcm[i] = (int16_t)((int)(latsig_rand(rng) % (2u * amp + 1)) - amp);
}

void latsig_talk(int f, uint32_t *rng, int16_t *pcm)
{
    if (f < LEAD) {
        latsig_noise(pcm, LEAD_NOISE, rng);
        return;
    }
    for (int i = 0; i < FRAME; i++) {
        double n = (double)((f - LEAD) * FRAME + i);
        pcm[i] = (int16_t)lrint(TONE_AMP * cos(2 * M_PI * TONE_HZ * n / RATE));
    }
}

int latsig_onset(const int16_t *pcm, int n)
{
    for (int i = 0; i < n; i++)
        if (pcm[i] > THRESHOLD || pcm[i] < -THRESHOLD)
            return i;
    return -1;
}

OpusEncoder *latsig_encoder_new(void)
{
    int err = 0;
    OpusEncoder *e = opus_encoder_create(RATE, 1, OPUS_APPLICATION_AUDIO, &err);
    if (e == NULL) {
        fprintf(stderr, "kopa_audio_latency: opus: %s\n", opus_strerror(err));
        exit(1);
    }
    opus_encoder_ctl(e, OPUS_SET_BITRATE(32000));
    opus_encoder_ctl(e, OPUS_SET_COMPLEXITY(5));
    return e;
}

OpusDecoder *latsig_decoder_new(void)
{
    int err = 0;
    OpusDecoder *d = opus_decoder_create(RATE, 1, &err);
    if (d == NULL) {
        fprintf(stderr, "kopa_audio_latency: opus: %s\n", opus_strerror(err));
        exit(1);
    }
    return d;
}

int latsig_codec_delay(void)
{
    OpusEncoder *e = latsig_encoder_new();
    OpusDecoder *d = latsig_decoder_new();
    uint32_t rng = 1;
    int16_t pcm[FRAME], out[FRAME];
    uint8_t pkt[1275];
    int at = -1;
    for (int f = 0; f < LEAD + BURST && at < 0; f++) {
        latsig_talk(f, &rng, pcm);
        int n = opus_encode(e, pcm, FRAME, pkt, sizeof(pkt));
        if (n <= 0 || opus_decode(d, pkt, n, out, FRAME, 0) != FRAME)
            break;
        int k = latsig_onset(out, FRAME);
        if (f >= LEAD && k >= 0)
            at = (f - LEAD) * FRAME + k;
    }
    opus_encoder_destroy(e);
    opus_decoder_destroy(d);
    return at;
}
