/* test_coord.c: what coordinators do with mixers (speak into every
 * breakout, listen in to one), and recording a mix to Ogg Opus. */
#include "audio_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/audio/recorder.h"

#define F1 440.0
#define F2 660.0
#define FC 1100.0
#define HEARD 0.08
#define QUIET 0.01

void test_coord_broadcast(void **state)
{
    enum { ROOMS = 3 };
    test_room r[ROOMS];
    test_speaker a[ROOMS], b[ROOMS], c;

    /* Three breakouts of two; the coordinator (99) speaks into all of them
     * without hearing them. */
    test_speaker_init(&c, 99, FC, 0.25, 0);
    for (int i = 0; i < ROOMS; i++) {
        uint32_t ida = (uint32_t)(10 * i + 1), idb = (uint32_t)(10 * i + 2);
        test_room_init(&r[i], audio_mixer_new(NULL));
        test_speaker_init(&a[i], ida, F1, 0.25, 0);
        test_speaker_init(&b[i], idb, F2, 0.25, 0);
        assert_int_equal(audio_mixer_add(r[i].m, ida, AUDIO_MAY_SPEAK),
                         AUDIO_OK);
        assert_int_equal(audio_mixer_add(r[i].m, idb, AUDIO_MAY_SPEAK),
                         AUDIO_OK);
        assert_int_equal(
            audio_mixer_add(r[i].m, 99, AUDIO_MAY_SPEAK | AUDIO_SEND_ONLY),
            AUDIO_OK);
        test_room_listen(&r[i], ida);
        test_room_listen(&r[i], idb);
        test_room_listen(&r[i], 99);
    }
    for (int t = 0; t < 50; t++) {
        test_speaker_next(&c); /* one packet, pushed into every room */
        for (int i = 0; i < ROOMS; i++) {
            assert_int_equal(audio_mixer_push(r[i].m, 99, c.seq, c.ts, c.pkt,
                                              c.pkt_len, r[i].now_ms),
                             AUDIO_OK);
            assert_int_equal(test_speaker_push(&r[i], r[i].m, &a[i]), AUDIO_OK);
            /* In room 0, b stays quiet. */
            if (i != 0)
                assert_int_equal(test_speaker_push(&r[i], r[i].m, &b[i]),
                                 AUDIO_OK);
            test_room_tick(&r[i]);
        }
    }
    for (int i = 0; i < ROOMS; i++) {
        test_listener *la = &r[i].l[0], *lb = &r[i].l[1], *lc = &r[i].l[2];
        assert_true(test_heard(la, FC, 200) > HEARD);
        assert_true(test_heard(lb, FC, 200) > HEARD);
        assert_true(test_heard(lb, F1, 200) > HEARD);
        assert_true(test_heard(la, F1, 200) < QUIET);
        if (i == 0)
            assert_true(test_heard(la, F2, 200) < QUIET);
        else
            assert_true(test_heard(la, F2, 200) > HEARD);
        assert_int_equal(lc->packets, 0); /* the coordinator hears nothing */
        assert_int_equal(r[i].extra_packets, 0);
        test_speaker_free(&a[i]);
        test_speaker_free(&b[i]);
        test_room_free(&r[i]);
    }
    test_speaker_free(&c);
}

void test_coord_listen_in(void **state)
{
    test_room r;
    test_speaker a, b, c;
    test_speaker *sp[2] = {&a, &b};
    test_listener *l;

    test_room_init(&r, audio_mixer_new(NULL));
    test_speaker_init(&a, 1, F1, 0.25, 0);
    test_speaker_init(&b, 2, F2, 0.25, 0);
    test_speaker_init(&c, 99, FC, 0.25, 0);
    assert_int_equal(audio_mixer_add(r.m, 1, AUDIO_MAY_SPEAK), AUDIO_OK);
    assert_int_equal(audio_mixer_add(r.m, 2, AUDIO_MAY_SPEAK), AUDIO_OK);
    assert_int_equal(audio_mixer_add(r.m, 99, AUDIO_LISTEN_ONLY), AUDIO_OK);
    test_room_listen(&r, 1);
    test_room_listen(&r, 2);
    test_room_listen(&r, 99);
    for (int t = 0; t < 50; t++) {
        assert_int_equal(test_speaker_push(&r, r.m, &c),
                         AUDIO_ERR_NOT_PERMITTED);
        test_room_run(&r, sp, 2, 1);
    }
    l = test_room_listener(&r, 99);
    assert_true(test_heard(l, F1, 200) > HEARD);
    assert_true(test_heard(l, F2, 200) > HEARD);
    assert_int_equal(l->last.kind, AUDIO_STREAM_MIX);
    /* The pair still hears each other as sent, and never the listener. */
    l = test_room_listener(&r, 1);
    assert_int_equal(l->last.kind, AUDIO_STREAM_FORWARD);
    assert_int_equal(l->last.stream_id, 2);
    assert_true(test_heard(l, F2, 200) > HEARD);
    assert_true(test_heard(l, FC, 200) < QUIET);
    assert_true(test_heard(l, F1, 200) < QUIET);
    assert_int_equal(r.extra_packets, 0);
    test_speaker_free(&a);
    test_speaker_free(&b);
    test_speaker_free(&c);
    test_room_free(&r);
}

static void record_cb(void *data, const int16_t *pcm, size_t samples)
{
    assert_int_equal(samples, AUDIO_FRAME_SAMPLES);
    assert_int_equal(recorder_write(data, pcm, samples), AUDIO_OK);
}

typedef struct ogg_check {
    int packets;
    int head_ok, tags_ok;
    int pre_skip;
    OpusDecoder *dec;
    int16_t *pcm;
    size_t n, cap;
} ogg_check;

static int contains(const uint8_t *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);

    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(hay + i, needle, n) == 0)
            return 1;
    return 0;
}

static void ogg_cb(void *data, const uint8_t *pkt, size_t len)
{
    ogg_check *c = data;
    int n;

    c->packets++;
    if (c->packets == 1) {
        /* OpusHead: version 1, 1 channel, pre-skip, 48000 Hz input. */
        c->head_ok = len >= 19 && memcmp(pkt, "OpusHead", 8) == 0 &&
                     pkt[8] == 1 && pkt[9] == 1 &&
                     (pkt[12] | pkt[13] << 8 | pkt[14] << 16 |
                      (uint32_t)pkt[15] << 24) == 48000;
        c->pre_skip = pkt[10] | pkt[11] << 8;
        return;
    }
    if (c->packets == 2) {
        c->tags_ok = len > 8 && memcmp(pkt, "OpusTags", 8) == 0 &&
                     contains(pkt, len, "TITLE=Impact investors") &&
                     contains(pkt, len, "KOPA_SESSION=s42") &&
                     contains(pkt, len, "DATE=2024-05-14");
        return;
    }
    if (c->n + 5760 > c->cap) {
        c->cap = c->cap ? c->cap * 2 : 48000;
        c->pcm = realloc(c->pcm, c->cap * sizeof(*c->pcm));
        assert_non_null(c->pcm);
    }
    n = opus_decode(c->dec, pkt, (opus_int32)len, c->pcm + c->n, 5760, 0);
    assert_true(n > 0);
    c->n += (size_t)n;
}

/* Checks the recording at path: Ogg magic, a plausible size for 2 s at
 * 32 kbit/s, OpusHead and OpusTags with our comments, and audio that
 * decodes to both speakers' tones. */
static void check_recording(const char *path)
{
    ogg_check chk = {0};
    int err = 0;
    FILE *f;
    char magic[4];
    long size;

    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fread(magic, 1, 4, f), 4);
    assert_memory_equal(magic, "OggS", 4);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    fclose(f);
    assert_true(size > 2000 && size < 40000);
    chk.dec = opus_decoder_create(48000, 1, &err);
    assert_int_equal(err, OPUS_OK);
    assert_true(test_ogg_read(path, ogg_cb, &chk) >= 3);
    assert_true(chk.head_ok);
    assert_true(chk.tags_ok);
    assert_true(chk.n >= (size_t)(100 * AUDIO_FRAME_SAMPLES + chk.pre_skip));
    assert_true(test_tone_amp(chk.pcm + chk.n - 9600, 9600, F1) > HEARD);
    assert_true(test_tone_amp(chk.pcm + chk.n - 9600, 9600, F2) > HEARD);
    assert_true(test_tone_amp(chk.pcm + chk.n - 9600, 9600, FC) < QUIET);
    opus_decoder_destroy(chk.dec);
    free(chk.pcm);
}

void test_recorder_ogg(void **state)
{
    char path[] = "/tmp/kopa-audio-rec-XXXXXX";
    int fd = mkstemp(path);
    recorder *rec = NULL;
    recorder_config rc = {.path = path,
                          .title = "Impact investors",
                          .session_id = "s42",
                          .date = "2024-05-14",
                          .bitrate = 0,
                          .complexity = -1};
    test_room r;
    test_speaker a, b;
    test_speaker *sp[2] = {&a, &b};

    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(recorder_start(&rc, &rec), AUDIO_OK);
    assert_non_null(rec);
    /* A room of two: the mixer still forwards, but decodes for the
     * recording. */
    test_room_init(&r, audio_mixer_new(NULL));
    test_speaker_init(&a, 1, F1, 0.25, 0);
    test_speaker_init(&b, 2, F2, 0.25, 0);
    assert_int_equal(audio_mixer_add(r.m, 1, AUDIO_MAY_SPEAK), AUDIO_OK);
    assert_int_equal(audio_mixer_add(r.m, 2, AUDIO_MAY_SPEAK), AUDIO_OK);
    audio_mixer_set_pcm_cb(r.m, record_cb, rec);
    test_room_run(&r, sp, 2, 100); /* 2 seconds */
    assert_int_equal(recorder_samples(rec), 100 * AUDIO_FRAME_SAMPLES);
    {
        audio_mixer_stats st;
        audio_mixer_get_stats(r.m, &st);
        assert_true(st.frames_decoded > 0);
        assert_int_equal(st.frames_encoded, 0);
    }
    assert_int_equal(recorder_stop(rec), AUDIO_OK);
    assert_int_equal(recorder_stop(NULL), AUDIO_OK);

    check_recording(path);
    unlink(path);
    test_speaker_free(&a);
    test_speaker_free(&b);
    test_room_free(&r);
}

void test_recorder_errors(void **state)
{
    recorder *rec = (recorder *)1;
    recorder_config rc = {.path = NULL, .complexity = -1};

    assert_int_equal(recorder_start(&rc, &rec), AUDIO_ERR_CONFIG);
    assert_null(rec);
    rc.path = "/nonexistent-kopa-dir/x.opus";
    assert_int_equal(recorder_start(&rc, &rec), AUDIO_ERR_IO);
    assert_null(rec);
    rc.path = "/tmp/kopa-never-created.opus";
    rc.bitrate = 100;
    assert_int_equal(recorder_start(&rc, &rec), AUDIO_ERR_CONFIG);
    rc.bitrate = 0;
    rc.complexity = 11;
    assert_int_equal(recorder_start(&rc, &rec), AUDIO_ERR_CONFIG);
    assert_null(rec);
}

/* A recording stopped before any audio arrived still closes into a valid
 * Ogg Opus file (libopusenc cannot drain an empty stream by itself). */
void test_recorder_empty(void **state)
{
    char path[] = "/tmp/kopa-rec-empty-XXXXXX";
    int fd = mkstemp(path);
    recorder *rec = NULL;
    recorder_config rc = {.path = path, .complexity = -1};
    unsigned char head[64] = {0};

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(recorder_start(&rc, &rec), AUDIO_OK);
    assert_int_equal(recorder_stop(rec), AUDIO_OK);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t n = fread(head, 1, sizeof(head), f);
    fclose(f);
    unlink(path);
    assert_true(n > 36);
    assert_memory_equal(head, "OggS", 4);
    assert_memory_equal(head + 28, "OpusHead", 8);
}
