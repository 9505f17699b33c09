/* test_util.c: tone speakers, decoding listeners, Goertzel and a tiny Ogg
 * reader for the kopa_audio unit tests (see audio_test.h). */
#include "audio_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

void test_speaker_init(test_speaker *s, uint32_t id, double freq, double amp,
                       int fec)
{
    int err = 0;

    memset(s, 0, sizeof(*s));
    s->id = id;
    s->freq = freq;
    s->amp = amp;
    s->seq = (uint16_t)(id * 1000u); /* every speaker numbers differently */
    s->enc =
        opus_encoder_create(AUDIO_SAMPLE_RATE, 1, OPUS_APPLICATION_VOIP, &err);
    assert_int_equal(err, OPUS_OK);
    opus_encoder_ctl(s->enc, OPUS_SET_BITRATE(32000));
    opus_encoder_ctl(s->enc, OPUS_SET_COMPLEXITY(5));
    if (fec) {
        opus_encoder_ctl(s->enc, OPUS_SET_INBAND_FEC(1));
        opus_encoder_ctl(s->enc, OPUS_SET_PACKET_LOSS_PERC(20));
    }
}

void test_speaker_free(test_speaker *s)
{
    opus_encoder_destroy(s->enc);
    s->enc = NULL;
}

void test_speaker_pcm(test_speaker *s, int16_t *pcm)
{
    double step = 2.0 * M_PI * s->freq / AUDIO_SAMPLE_RATE;

    for (int i = 0; i < AUDIO_FRAME_SAMPLES; i++) {
        double v = s->amp * 32767.0 * sin(s->phase);
        pcm[i] = (int16_t)lrint(v > 32767.0 ? 32767.0 : v);
        s->phase += step;
    }
    s->phase = fmod(s->phase, 2.0 * M_PI);
}

void test_speaker_next(test_speaker *s)
{
    int16_t pcm[AUDIO_FRAME_SAMPLES];
    int n;

    test_speaker_pcm(s, pcm);
    n = opus_encode(s->enc, pcm, AUDIO_FRAME_SAMPLES, s->pkt, AUDIO_MAX_PACKET);
    assert_true(n > 1);
    s->pkt_len = (size_t)n;
    s->seq++;
    s->ts += AUDIO_FRAME_SAMPLES;
}

audio_error test_speaker_push(test_room *r, audio_mixer *m, test_speaker *s)
{
    test_speaker_next(s);
    return audio_mixer_push(m, s->id, s->seq, s->ts, s->pkt, s->pkt_len,
                            r->now_ms);
}

void test_room_init(test_room *r, audio_mixer *m)
{
    memset(r, 0, sizeof(*r));
    assert_non_null(m);
    r->m = m;
    r->now_ms = 1000000;
}

void test_room_listen(test_room *r, uint32_t id)
{
    test_listener *l;
    int err = 0;

    assert_true(r->n_listeners < TEST_MAX_LISTENERS);
    l = &r->l[r->n_listeners++];
    l->id = id;
    l->dec = opus_decoder_create(AUDIO_SAMPLE_RATE, 1, &err);
    assert_int_equal(err, OPUS_OK);
}

test_listener *test_room_listener(test_room *r, uint32_t id)
{
    for (int i = 0; i < r->n_listeners; i++)
        if (r->l[i].id == id)
            return &r->l[i];
    return NULL;
}

static int16_t *grow(test_listener *l)
{
    if (l->n + AUDIO_FRAME_SAMPLES > l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64 * AUDIO_FRAME_SAMPLES;
        l->pcm = realloc(l->pcm, l->cap * sizeof(*l->pcm));
        assert_non_null(l->pcm);
    }
    l->n += AUDIO_FRAME_SAMPLES;
    return l->pcm + l->n - AUDIO_FRAME_SAMPLES;
}

static void capture_cb(void *data, const audio_out *out)
{
    test_room *r = data;
    test_listener *l = test_room_listener(r, out->listener_id);
    int n;

    if (!l)
        return;
    assert_non_null(out->data);
    assert_true(out->len > 0 && out->len <= AUDIO_MAX_PACKET);
    assert_true(out->kind <= AUDIO_STREAM_OWN);
    if (l->got++) {
        r->extra_packets++;
        return;
    }
    r->ptr[l - r->l] = out->data;
    l->last = *out;
    l->packets++;
    l->by_kind[out->kind]++;
    n = opus_decode(l->dec, out->data, (opus_int32)out->len, grow(l),
                    AUDIO_FRAME_SAMPLES, 0);
    assert_int_equal(n, AUDIO_FRAME_SAMPLES);
}

void test_room_tick(test_room *r)
{
    for (int i = 0; i < r->n_listeners; i++) {
        r->l[i].got = 0;
        r->ptr[i] = NULL;
    }
    audio_mixer_tick(r->m, r->now_ms, capture_cb, r);
    for (int i = 0; i < r->n_listeners; i++)
        if (!r->l[i].got)
            memset(grow(&r->l[i]), 0, AUDIO_FRAME_SAMPLES * sizeof(int16_t));
    r->now_ms += AUDIO_FRAME_MS;
}

void test_room_run(test_room *r, test_speaker **s, int n_speakers, int ticks)
{
    for (int t = 0; t < ticks; t++) {
        for (int i = 0; i < n_speakers; i++)
            assert_int_equal(test_speaker_push(r, r->m, s[i]), AUDIO_OK);
        test_room_tick(r);
    }
}

void test_room_free(test_room *r)
{
    for (int i = 0; i < r->n_listeners; i++) {
        opus_decoder_destroy(r->l[i].dec);
        free(r->l[i].pcm);
    }
    audio_mixer_free(r->m);
    memset(r, 0, sizeof(*r));
}

double test_tone_amp(const int16_t *pcm, size_t n, double freq)
{
    double w = 2.0 * M_PI * freq / AUDIO_SAMPLE_RATE, coeff = 2.0 * cos(w);
    double s1 = 0.0, s2 = 0.0, power;

    if (n == 0)
        return 0.0;
    for (size_t i = 0; i < n; i++) {
        double s0 = pcm[i] / 32768.0 + coeff * s1 - s2;
        s2 = s1;
        s1 = s0;
    }
    power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
    if (power < 0.0)
        power = 0.0;
    return 2.0 * sqrt(power) / (double)n;
}

double test_heard(const test_listener *l, double freq, int ms)
{
    size_t n = (size_t)ms * (AUDIO_SAMPLE_RATE / 1000);

    if (n > l->n)
        n = l->n;
    return test_tone_amp(l->pcm + l->n - n, n, freq);
}

/* Reads one page's header and body from f; returns 0 at a clean end, 1 for
 * a page, -1 for anything else. */
static int read_page(FILE *f, uint8_t *seg, int *n_seg, uint8_t *body,
                     size_t *body_len)
{
    uint8_t h[27];
    size_t got = fread(h, 1, sizeof(h), f), total = 0;

    if (got == 0)
        return 0;
    if (got != sizeof(h) || memcmp(h, "OggS", 4) != 0 || h[4] != 0)
        return -1;
    *n_seg = h[26];
    if (fread(seg, 1, (size_t)*n_seg, f) != (size_t)*n_seg)
        return -1;
    for (int i = 0; i < *n_seg; i++)
        total += seg[i];
    if (fread(body, 1, total, f) != total)
        return -1;
    *body_len = total;
    return 1;
}

int test_ogg_read(const char *path, test_ogg_packet_cb cb, void *data)
{
    static uint8_t body[255 * 255], pkt[1 << 16];
    uint8_t seg[255];
    size_t body_len, pkt_len = 0;
    int pages = 0, n_seg, rc;
    FILE *f = fopen(path, "rb");

    if (!f)
        return -1;
    while ((rc = read_page(f, seg, &n_seg, body, &body_len)) == 1) {
        size_t off = 0;
        pages++;
        for (int i = 0; i < n_seg; i++) {
            if (pkt_len + seg[i] > sizeof(pkt)) {
                rc = -1;
                break;
            }
            memcpy(pkt + pkt_len, body + off, seg[i]);
            pkt_len += seg[i];
            off += seg[i];
            if (seg[i] < 255) { /* a lacing value under 255 ends a packet */
                cb(data, pkt, pkt_len);
                pkt_len = 0;
            }
        }
        if (rc < 0)
            break;
    }
    fclose(f);
    return rc < 0 ? -1 : pages;
}
