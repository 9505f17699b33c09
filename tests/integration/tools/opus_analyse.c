/* opus_analyse: decodes Opus packets and measures candidate tones, for the
 * audio integration tests: what a listener received is piped in, and the
 * test checks which tones are in it.
 *
 *   opus_analyse [--skip N] FREQ_HZ... < packets
 *
 * Reads packets as opus_tone writes them (a 2-byte big-endian length, then
 * the packet; a length of 0 stands for a lost packet and is concealed),
 * decodes them at 48 kHz mono, drops the first N frames of 20 ms (default
 * 5, while the decoder settles), and measures each candidate frequency
 * with the Goertzel algorithm over Hann-windowed blocks of 4096 samples.
 * Prints one line of JSON:
 *   {"frames":F,"rms_db":R,"dominant":D,"tones":{"440":T,...}}
 * where T is the tone's amplitude in dBFS (a full-scale sine is 0) and D
 * the candidate with the highest level. Exit status 1 when a packet does
 * not decode. */
#include <math.h>
#include <opus.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RATE 48000
#define KOPA_PI 3.14159265358979323846
#define FRAME 960
#define MAX_FRAME 5760 /* 120 ms, the longest Opus packet */
#define BLOCK 4096
#define MAX_TONES 16

typedef struct tones {
    double freq[MAX_TONES];
    double power[MAX_TONES]; /* summed over blocks */
    int n;
} tones;

static double window[BLOCK];

/* Adds the Goertzel power of each tone over one block. */
static void measure(tones *t, const float *x)
{
    for (int k = 0; k < t->n; k++) {
        double coeff = 2 * cos(2 * KOPA_PI * t->freq[k] / RATE);
        double s1 = 0, s2 = 0;
        for (int i = 0; i < BLOCK; i++) {
            double s0 = x[i] * window[i] + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        t->power[k] += s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }
}

static int read_packet(unsigned char *pkt, int *len)
{
    unsigned char hdr[2];
    if (fread(hdr, 1, 2, stdin) != 2)
        return 0;
    *len = hdr[0] << 8 | hdr[1];
    return *len == 0 || fread(pkt, 1, (size_t)*len, stdin) == (size_t)*len;
}

static double db(double amplitude)
{
    return amplitude > 1e-9 ? 20 * log10(amplitude) : -180.0;
}

int main(int argc, char **argv)
{
    tones t = {.n = 0};
    long skip = 5;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--skip") == 0 && i + 1 < argc)
            skip = atol(argv[++i]);
        else if (t.n < MAX_TONES && atof(argv[i]) > 0)
            t.freq[t.n++] = atof(argv[i]);
        else {
            fputs("usage: opus_analyse [--skip N] FREQ_HZ... < packets\n",
                  stderr);
            return 2;
        }
    }
    for (int i = 0; i < BLOCK; i++)
        window[i] = 0.5 - 0.5 * cos(2 * KOPA_PI * i / (BLOCK - 1));
    int err;
    OpusDecoder *dec = opus_decoder_create(RATE, 1, &err);
    if (dec == NULL)
        return 1;
    static unsigned char pkt[65536];
    static opus_int16 pcm[MAX_FRAME];
    static float block[BLOCK];
    int fill = 0, len, rc = 0;
    long frames = 0, blocks = 0;
    double sum2 = 0;
    size_t samples = 0;
    while (read_packet(pkt, &len)) {
        /* A lost packet is concealed as one 20 ms frame. */
        int n = opus_decode(dec, len ? pkt : NULL, len, pcm,
                            len ? MAX_FRAME : FRAME, 0);
        if (n < 0) {
            fprintf(stderr, "opus_analyse: %s\n", opus_strerror(n));
            rc = 1;
            continue;
        }
        if (frames++ < skip)
            continue;
        for (int i = 0; i < n; i++) {
            float v = pcm[i] / 32768.0f;
            sum2 += (double)v * v;
            samples++;
            block[fill++] = v;
            if (fill == BLOCK) {
                measure(&t, block);
                blocks++;
                fill = 0;
            }
        }
    }
    opus_decoder_destroy(dec);
    double rms = samples ? sqrt(sum2 / (double)samples) : 0;
    printf("{\"frames\":%ld,\"blocks\":%ld,\"rms_db\":%.1f,", frames, blocks,
           db(rms));
    int best = -1;
    double best_db = -1e9;
    for (int k = 0; k < t.n; k++) {
        /* A Hann window has a coherent gain of 1/2: |X| = A N / 4. */
        double amp = blocks ? 4 * sqrt(t.power[k] / (double)blocks) / BLOCK : 0;
        t.power[k] = db(amp);
        if (t.power[k] > best_db) {
            best_db = t.power[k];
            best = k;
        }
    }
    printf("\"dominant\":%g,\"tones\":{", best >= 0 ? t.freq[best] : 0.0);
    for (int k = 0; k < t.n; k++)
        printf("%s\"%g\":%.1f", k ? "," : "", t.freq[k], t.power[k]);
    printf("}}\n");
    return rc;
}
