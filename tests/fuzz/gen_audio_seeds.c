/* gen_audio_seeds.c: writes the seed corpus for fuzz_audio_packet (the
 * record format is described there): short sessions of real Opus packets
 * from tone speakers, in the shared and per-listener modes, a room of two,
 * losses and reordering, a recording, and some refused packets.
 * Usage: gen_audio_seeds DIR */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <opus.h>

#include "server/audio/audio.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

typedef struct seed {
    uint8_t buf[1 << 16];
    size_t len;
} seed;

typedef struct talker {
    OpusEncoder *enc;
    double freq, phase;
    uint16_t seq;
    uint8_t pkt[AUDIO_MAX_PACKET];
    int len;
} talker;

static void put(seed *s, const void *p, size_t n)
{
    if (s->len + n > sizeof(s->buf))
        abort();
    memcpy(s->buf + s->len, p, n);
    s->len += n;
}

static void op_push(seed *s, int who, uint16_t seq, const uint8_t *pkt,
                    size_t len)
{
    uint8_t h[5] = {(uint8_t)((who - 1) << 2), (uint8_t)seq,
                    (uint8_t)(seq >> 8), (uint8_t)len, (uint8_t)(len >> 8)};
    put(s, h, sizeof(h));
    put(s, pkt, len);
}

static void op_tick(seed *s)
{
    uint8_t op = (5 << 2) | 1; /* 20 ms */
    put(s, &op, 1);
}

static void op_toggle(seed *s, int who)
{
    uint8_t op = (uint8_t)(((who - 1) << 2) | 3);
    put(s, &op, 1);
}

static void talker_init(talker *t, double freq)
{
    int err = 0;
    memset(t, 0, sizeof(*t));
    t->enc = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err);
    if (!t->enc)
        abort();
    opus_encoder_ctl(t->enc, OPUS_SET_BITRATE(24000));
    t->freq = freq;
}

static void talker_next(talker *t)
{
    int16_t pcm[AUDIO_FRAME_SAMPLES];
    for (int i = 0; i < AUDIO_FRAME_SAMPLES; i++) {
        pcm[i] = (int16_t)(8000.0 * sin(t->phase));
        t->phase += 2 * M_PI * t->freq / 48000.0;
    }
    t->len =
        opus_encode(t->enc, pcm, AUDIO_FRAME_SAMPLES, t->pkt, sizeof(t->pkt));
    if (t->len <= 1)
        abort();
    t->seq++;
}

/* `ticks` ticks of `n` talkers; every `lose`-th packet of talker 1 is
 * dropped and every `swap`-th pair is sent in reverse (0: never). */
static void session(seed *s, talker *tk, int n, int ticks, int lose, int swap)
{
    uint8_t held[AUDIO_MAX_PACKET];
    int held_len = 0;
    uint16_t held_seq = 0;

    for (int t = 1; t <= ticks; t++) {
        for (int w = 0; w < n; w++) {
            talker_next(&tk[w]);
            if (w == 0 && lose && t % lose == 0)
                continue;
            if (w == 0 && swap && t % swap == 0) {
                memcpy(held, tk[w].pkt, (size_t)tk[w].len);
                held_len = tk[w].len;
                held_seq = tk[w].seq;
                continue;
            }
            op_push(s, w + 1, tk[w].seq, tk[w].pkt, (size_t)tk[w].len);
            if (w == 0 && held_len) {
                op_push(s, 1, held_seq, held, (size_t)held_len);
                held_len = 0;
            }
        }
        op_tick(s);
    }
}

static void save(const char *dir, const char *name, const seed *s)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f || fwrite(s->buf, 1, s->len, f) != s->len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    static seed s;
    talker tk[3];
    static const uint8_t bad[][8] = {
        {0xFB, 6, 1, 2, 3, 4, 5, 6}, /* 120 ms */
        {0xFC, 1, 2, 3, 4, 5, 6, 7}, /* stereo */
        {0xFB, 0, 0, 0, 0, 0, 0, 0}, /* frame count 0 */
    };

    if (argc != 2) {
        fprintf(stderr, "usage: gen_audio_seeds DIR\n");
        return 2;
    }
    for (int i = 0; i < 3; i++)
        talker_init(&tk[i], 440.0 + 220.0 * i);

    s.len = 0;
    s.buf[s.len++] = 2 << 2; /* shared, CELT, K = 3 */
    session(&s, tk, 3, 12, 0, 0);
    save(argv[1], "three_speakers_shared", &s);

    s.len = 0;
    s.buf[s.len++] = 1 | 1 << 2; /* per listener, K = 2 */
    session(&s, tk, 3, 8, 0, 0);
    save(argv[1], "three_speakers_per_listener", &s);

    s.len = 0;
    s.buf[s.len++] = 2; /* shared, VOIP, K = 1; then a room of two */
    op_toggle(&s, 3);
    op_toggle(&s, 4);
    op_toggle(&s, 5);
    session(&s, tk, 2, 10, 0, 0);
    save(argv[1], "pair_forward", &s);

    s.len = 0;
    s.buf[s.len++] = 0x80 | 2 << 2; /* recording on */
    session(&s, tk, 2, 16, 4, 5);
    save(argv[1], "loss_reorder_recording", &s);

    s.len = 0;
    s.buf[s.len++] = 2 << 2;
    session(&s, tk, 1, 3, 0, 0);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        op_push(&s, 2, (uint16_t)i, bad[i], sizeof(bad[i]));
    op_push(&s, 4, 1, tk[0].pkt, (size_t)tk[0].len); /* not permitted */
    session(&s, tk, 1, 3, 0, 0);
    save(argv[1], "refused_packets", &s);

    for (int i = 0; i < 3; i++)
        opus_encoder_destroy(tk[i].enc);
    return 0;
}
