/* opus_tone: writes Opus packets of a sine tone to stdout, for the audio
 * integration tests (tests/integration/30-audio.test.mjs), which send them
 * over the WebSocket as a client's microphone would.
 *
 *   opus_tone FREQ_HZ COUNT [AMPLITUDE [BITRATE]]
 *
 * COUNT packets of 20 ms (48 kHz mono, DTX off, libopus), each written as a
 * 2-byte big-endian length followed by the packet. AMPLITUDE is a fraction
 * of full scale (default 0.3); BITRATE in bits/s (default 32000). */
#include <math.h>
#include <opus.h>
#include <stdio.h>
#include <stdlib.h>

#define RATE 48000
#define KOPA_PI 3.14159265358979323846
#define FRAME 960

static int usage(void)
{
    fputs("usage: opus_tone FREQ_HZ COUNT [AMPLITUDE [BITRATE]]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 5)
        return usage();
    double freq = atof(argv[1]), amp = argc > 3 ? atof(argv[3]) : 0.3;
    long count = atol(argv[2]);
    int bitrate = argc > 4 ? atoi(argv[4]) : 32000;
    if (freq <= 0 || freq >= RATE / 2 || count < 0 || amp < 0 || amp > 1)
        return usage();
    int err;
    OpusEncoder *enc =
        opus_encoder_create(RATE, 1, OPUS_APPLICATION_AUDIO, &err);
    if (enc == NULL || err != OPUS_OK) {
        fprintf(stderr, "opus_tone: %s\n", opus_strerror(err));
        return 1;
    }
    opus_encoder_ctl(enc, OPUS_SET_BITRATE(bitrate));
    opus_encoder_ctl(enc, OPUS_SET_DTX(0));
    opus_int16 pcm[FRAME];
    unsigned char pkt[1500];
    double phase = 0, step = 2 * KOPA_PI * freq / RATE;
    int rc = 0;
    for (long i = 0; i < count && rc == 0; i++) {
        for (int j = 0; j < FRAME; j++) {
            pcm[j] = (opus_int16)lrint(32767.0 * amp * sin(phase));
            phase += step;
            if (phase > 2 * KOPA_PI)
                phase -= 2 * KOPA_PI;
        }
        opus_int32 n = opus_encode(enc, pcm, FRAME, pkt, sizeof(pkt));
        if (n < 0) {
            fprintf(stderr, "opus_tone: %s\n", opus_strerror(n));
            rc = 1;
            break;
        }
        unsigned char len[2] = {(unsigned char)(n >> 8), (unsigned char)n};
        if (fwrite(len, 1, 2, stdout) != 2 ||
            fwrite(pkt, 1, (size_t)n, stdout) != (size_t)n)
            rc = 1;
    }
    opus_encoder_destroy(enc);
    if (fflush(stdout) != 0)
        rc = 1;
    return rc;
}
