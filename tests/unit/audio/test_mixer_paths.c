/* test_mixer_paths.c: the mixer's other paths: forwarding without
 * decoding, bad and excessive packets, loss concealment, silence, the
 * per-listener benchmark mode, and removal while packets are out. */
#include "audio_test.h"

#include <stdlib.h>
#include <string.h>

#include "server/audio/audio_packet.h"

#define F1 440.0
#define F2 660.0
#define F3 880.0
#define HEARD 0.08
#define QUIET 0.01

static audio_mixer_stats stats_of(const audio_mixer *m)
{
    audio_mixer_stats st;
    audio_mixer_get_stats(m, &st);
    return st;
}

/* Every packet a speaker pushed, by push number, to compare forwarded
 * bytes with. */
typedef struct sent_log {
    uint8_t pkt[200][AUDIO_MAX_PACKET];
    size_t len[200];
    int n;
} sent_log;

typedef struct fwd_capture {
    uint32_t listener;
    int n;
    const uint8_t *ptr[200];
    uint8_t pkt[200][AUDIO_MAX_PACKET];
    size_t len[200];
    audio_out last;
    int others; /* packets for other listeners */
    const uint8_t *other_ptr;
    int other_ptr_changes;
} fwd_capture;

static void fwd_cb(void *data, const audio_out *out)
{
    fwd_capture *c = data;

    if (out->listener_id != c->listener) {
        if (c->others > 0 && out->data != c->other_ptr)
            c->other_ptr_changes++;
        c->other_ptr = out->data;
        c->others++;
        return;
    }
    assert_true(c->n < 200);
    c->ptr[c->n] = out->data;
    memcpy(c->pkt[c->n], out->data, out->len);
    c->len[c->n] = out->len;
    c->last = *out;
    c->n++;
}

static void push_logged(audio_mixer *m, test_speaker *s, sent_log *log,
                        int64_t now)
{
    test_speaker_next(s);
    memcpy(log->pkt[log->n], s->pkt, s->pkt_len);
    log->len[log->n++] = s->pkt_len;
    assert_int_equal(
        audio_mixer_push(m, s->id, s->seq, s->ts, s->pkt, s->pkt_len, now),
        AUDIO_OK);
}

/* Checks that cap holds log's packets in order, byte for byte, from
 * some starting push on. */
static void assert_same_packets(const fwd_capture *cap, const sent_log *log)
{
    assert_true(cap->n > 0);
    for (int off = 0; off < log->n; off++) {
        if (log->len[off] != cap->len[0] ||
            memcmp(log->pkt[off], cap->pkt[0], cap->len[0]) != 0)
            continue;
        for (int i = 0; i < cap->n; i++) {
            assert_true(off + i < log->n);
            assert_int_equal(cap->len[i], log->len[off + i]);
            assert_memory_equal(cap->pkt[i], log->pkt[off + i], cap->len[i]);
        }
        return;
    }
    fail_msg("forwarded packets do not match what was sent");
}

void test_mixer_pair_forwards(void **state)
{
    static sent_log log1, log2;
    static fwd_capture cap;
    audio_mixer *m = audio_mixer_new(NULL);
    test_speaker a, b;
    audio_speaker top[4];
    audio_mixer_stats st;
    int64_t now = 5000;

    memset(&log1, 0, sizeof(log1));
    memset(&log2, 0, sizeof(log2));
    memset(&cap, 0, sizeof(cap));
    cap.listener = 2;
    test_speaker_init(&a, 1, F1, 0.3, 0);
    test_speaker_init(&b, 2, F2, 0.3, 0);
    assert_int_equal(audio_mixer_add(m, 1, AUDIO_MAY_SPEAK), AUDIO_OK);
    assert_int_equal(audio_mixer_add(m, 2, AUDIO_MAY_SPEAK), AUDIO_OK);
    for (int t = 0; t < 60; t++, now += 20) {
        push_logged(m, &a, &log1, now);
        push_logged(m, &b, &log2, now);
        audio_mixer_tick(m, now, fwd_cb, &cap);
    }
    /* 2 hears 1's packets as sent, 1 hears 2's: nothing decoded, nothing
     * encoded. */
    assert_true(cap.n >= 55);
    assert_int_equal(cap.last.kind, AUDIO_STREAM_FORWARD);
    assert_int_equal(cap.last.stream_id, 1);
    assert_same_packets(&cap, &log1);
    assert_int_equal(cap.others, cap.n);
    st = stats_of(m);
    assert_int_equal(st.frames_decoded, 0);
    assert_int_equal(st.frames_encoded, 0);
    assert_int_equal(audio_mixer_active_speakers(m, top, 4), 2);
    assert_false(top[0].level_known);
    audio_mixer_free(m);
    test_speaker_free(&a);
    test_speaker_free(&b);
}

void test_mixer_single_speaker_forwards(void **state)
{
    static sent_log log;
    static fwd_capture cap;
    audio_mixer *m = audio_mixer_new(NULL);
    test_speaker a;
    int64_t now = 0;

    memset(&log, 0, sizeof(log));
    memset(&cap, 0, sizeof(cap));
    cap.listener = 11;
    test_speaker_init(&a, 1, F1, 0.3, 0);
    assert_int_equal(audio_mixer_add(m, 1, AUDIO_MAY_SPEAK), AUDIO_OK);
    for (uint32_t id = 10; id < 15; id++)
        assert_int_equal(audio_mixer_add(m, id, AUDIO_MAY_SPEAK), AUDIO_OK);
    for (int t = 0; t < 40; t++, now += 20) {
        int before = cap.others;
        push_logged(m, &a, &log, now);
        audio_mixer_tick(m, now, fwd_cb, &cap);
        /* Listeners 10, 12, 13, 14 got the very buffer 11 got. */
        if (cap.others > before)
            assert_ptr_equal(cap.other_ptr, cap.ptr[cap.n - 1]);
    }
    assert_true(cap.n >= 35);
    assert_int_equal(cap.others, 4 * cap.n); /* the speaker gets nothing */
    assert_int_equal(cap.last.kind, AUDIO_STREAM_FORWARD);
    assert_same_packets(&cap, &log);
    assert_int_equal(stats_of(m).frames_encoded, 0);
    assert_true(stats_of(m).frames_decoded > 0); /* levels are measured */
    audio_mixer_free(m);
    test_speaker_free(&a);
}

static uint32_t xorshift(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

/* An independent verdict from libopus on whether pkt is 20 ms mono. */
static int opus_says_valid(const uint8_t *pkt, size_t len)
{
    const unsigned char *frames[48];
    opus_int16 sizes[48];

    return len >= 2 && len <= AUDIO_MAX_PACKET &&
           opus_packet_parse(pkt, (opus_int32)len, NULL, frames, sizes, NULL) >
               0 &&
           opus_packet_get_nb_channels(pkt) == 1 &&
           opus_packet_get_nb_samples(pkt, (opus_int32)len, 48000) == 960;
}

/* Pushes one packet of each known bad kind from participant 3. */
static void push_known_bad(audio_mixer *m, uint16_t seq, int64_t now)
{
    static const uint8_t toc120[8] = {(31 << 3) | 3, 6, 1, 2, 3, 4, 5, 6};
    static const uint8_t stereo[4] = {(31 << 3) | 4, 1, 2, 3};
    static uint8_t big[AUDIO_MAX_PACKET + 1];

    assert_int_equal(audio_mixer_push(m, 3, seq, 0, big, 0, now),
                     AUDIO_ERR_EMPTY);
    assert_int_equal(audio_mixer_push(m, 3, seq, 0, big, 1, now),
                     AUDIO_ERR_TOO_SHORT);
    assert_int_equal(audio_mixer_push(m, 3, seq, 0, big, sizeof(big), now),
                     AUDIO_ERR_TOO_LONG);
    assert_int_equal(
        audio_mixer_push(m, 3, seq, 0, toc120, sizeof(toc120), now),
        AUDIO_ERR_DURATION);
    assert_int_equal(
        audio_mixer_push(m, 3, seq, 0, stereo, sizeof(stereo), now),
        AUDIO_ERR_CHANNELS);
}

void test_mixer_invalid_packets(void **state)
{
    test_speaker s[2];
    test_speaker *sp[2] = {&s[0], &s[1]};
    test_room r;
    uint32_t x = 2463534242u;
    int refused = 0;
    audio_mixer_stats st;

    test_room_init(&r, audio_mixer_new(NULL));
    test_speaker_init(&s[0], 1, F1, 0.25, 0);
    test_speaker_init(&s[1], 2, F2, 0.25, 0);
    for (uint32_t id = 1; id <= 3; id++) {
        assert_int_equal(audio_mixer_add(r.m, id, AUDIO_MAY_SPEAK), AUDIO_OK);
        test_room_listen(&r, id);
    }
    test_room_run(&r, sp, 2, 10);
    for (int t = 0; t < 60; t++) {
        uint8_t rnd[300];
        size_t len = 2 + xorshift(&x) % (sizeof(rnd) - 2);
        uint16_t seq = (uint16_t)t;
        audio_error e;

        push_known_bad(r.m, seq, r.now_ms);
        for (size_t i = 0; i < len; i++)
            rnd[i] = (uint8_t)xorshift(&x);
        e = audio_mixer_push(r.m, 3, seq, 0, rnd, len, r.now_ms);
        if (opus_says_valid(rnd, len)) {
            assert_int_equal(e, AUDIO_OK);
        } else {
            assert_int_not_equal(e, AUDIO_OK);
            refused++;
        }
        test_room_run(&r, sp, 2, 1);
    }
    st = stats_of(r.m);
    assert_int_equal(st.dropped[AUDIO_ERR_EMPTY], 60);
    assert_int_equal(st.dropped[AUDIO_ERR_TOO_SHORT], 60);
    assert_int_equal(st.dropped[AUDIO_ERR_TOO_LONG], 60);
    assert_int_equal(st.dropped[AUDIO_ERR_DURATION] +
                         st.dropped[AUDIO_ERR_MALFORMED] +
                         st.dropped[AUDIO_ERR_CHANNELS],
                     60 + 60 + (uint64_t)refused);
    assert_true(refused > 30);
    /* The others hear each other throughout, the rogue hears both. */
    assert_true(test_heard(test_room_listener(&r, 1), F2, 200) > HEARD);
    assert_true(test_heard(test_room_listener(&r, 2), F1, 200) > HEARD);
    assert_true(test_heard(test_room_listener(&r, 3), F1, 200) > HEARD);
    assert_true(test_heard(test_room_listener(&r, 3), F2, 200) > HEARD);
    test_speaker_free(&s[0]);
    test_speaker_free(&s[1]);
    assert_int_equal(r.extra_packets, 0);
    test_room_free(&r);
}

void test_mixer_rate_limit(void **state)
{
    test_speaker s[2];
    test_room r;
    int accepted = 0, rate = 0;

    test_room_init(&r, audio_mixer_new(NULL));
    test_speaker_init(&s[0], 1, F1, 0.25, 0);
    test_speaker_init(&s[1], 2, F2, 0.25, 0);
    for (uint32_t id = 1; id <= 3; id++) {
        assert_int_equal(audio_mixer_add(r.m, id, AUDIO_MAY_SPEAK), AUDIO_OK);
        test_room_listen(&r, id);
    }
    /* One second: speaker 1 at 50/s, speaker 2 at ten times that. */
    for (int t = 0; t < 50; t++) {
        assert_int_equal(test_speaker_push(&r, r.m, &s[0]), AUDIO_OK);
        for (int k = 0; k < 10; k++) {
            audio_error e = test_speaker_push(&r, r.m, &s[1]);
            if (e == AUDIO_OK)
                accepted++;
            else if (e == AUDIO_ERR_RATE)
                rate++;
            else
                fail_msg("unexpected %s", audio_strerror(e));
        }
        test_room_tick(&r);
    }
    /* 25 at once, then 75 a second. */
    assert_true(accepted >= 95 && accepted <= 105);
    assert_int_equal(accepted + rate, 500);
    assert_int_equal(stats_of(r.m).dropped[AUDIO_ERR_RATE], (uint64_t)rate);
    assert_true(stats_of(r.m).dropped[AUDIO_ERR_OVERFLOW] > 0);
    assert_true(test_heard(test_room_listener(&r, 3), F1, 200) > HEARD);
    assert_true(test_heard(test_room_listener(&r, 2), F1, 200) > HEARD);
    test_speaker_free(&s[0]);
    test_speaker_free(&s[1]);
    test_room_free(&r);
}

typedef struct pcm_log {
    int16_t pcm[200][AUDIO_FRAME_SAMPLES];
    int n;
} pcm_log;

static void pcm_log_cb(void *data, const int16_t *pcm, size_t samples)
{
    pcm_log *log = data;

    assert_int_equal(samples, AUDIO_FRAME_SAMPLES);
    assert_true(log->n < 200);
    memcpy(log->pcm[log->n++], pcm, samples * sizeof(*pcm));
}

static int all_zero(const int16_t *pcm)
{
    for (int i = 0; i < AUDIO_FRAME_SAMPLES; i++)
        if (pcm[i])
            return 0;
    return 1;
}

/* Decodes frame t of sent[] into want the way the mixer should: the packet
 * if it came, else FEC from the next packet if that came (fec), else PLC. */
static void ref_decode(OpusDecoder *dec, uint8_t (*sent)[AUDIO_MAX_PACKET],
                       const size_t *len, const int *lost, int t, int fec,
                       int16_t *want)
{
    int n;

    if (!lost[t])
        n = opus_decode(dec, sent[t], (opus_int32)len[t], want,
                        AUDIO_FRAME_SAMPLES, 0);
    else if (fec && !lost[t + 1])
        n = opus_decode(dec, sent[t + 1], (opus_int32)len[t + 1], want,
                        AUDIO_FRAME_SAMPLES, 1);
    else
        n = opus_decode(dec, NULL, 0, want, AUDIO_FRAME_SAMPLES, 0);
    assert_int_equal(n, AUDIO_FRAME_SAMPLES);
}

/* One speaker alone: the mixer's PCM (through the recorder callback) must
 * be exactly what a decoder gives with FEC from the next packet for a
 * single loss, and PLC then FEC for two losses in a row. A second
 * reference decoder using plain PLC shows that FEC made a difference. */
void test_mixer_loss_concealment(void **state)
{
    static pcm_log log;
    static uint8_t sent[100][AUDIO_MAX_PACKET];
    static size_t sent_len[100];
    static const int lost[100] = {
        [12] = 1, [20] = 1, [40] = 1, [41] = 1, [75] = 1};
    audio_mixer *m = audio_mixer_new(NULL);
    OpusDecoder *ref, *plc;
    test_speaker s;
    int16_t want[AUDIO_FRAME_SAMPLES], other[AUDIO_FRAME_SAMPLES];
    int err = 0, first = 0, fec_differs = 0;
    int64_t now = 0;

    memset(&log, 0, sizeof(log));
    ref = opus_decoder_create(AUDIO_SAMPLE_RATE, 1, &err);
    plc = opus_decoder_create(AUDIO_SAMPLE_RATE, 1, &err);
    assert_int_equal(err, OPUS_OK);
    test_speaker_init(&s, 1, F1, 0.25, 1);
    assert_int_equal(audio_mixer_add(m, 1, AUDIO_MAY_SPEAK), AUDIO_OK);
    assert_int_equal(audio_mixer_add(m, 10, 0), AUDIO_OK);
    assert_int_equal(audio_mixer_add(m, 11, 0), AUDIO_OK);
    audio_mixer_set_pcm_cb(m, pcm_log_cb, &log);
    for (int t = 0; t < 100; t++, now += 20) {
        test_speaker_next(&s);
        memcpy(sent[t], s.pkt, s.pkt_len);
        sent_len[t] = s.pkt_len;
        if (!lost[t])
            assert_int_equal(
                audio_mixer_push(m, 1, s.seq, s.ts, s.pkt, s.pkt_len, now),
                AUDIO_OK);
        audio_mixer_tick(m, now, NULL, NULL);
    }
    {
        audio_mixer_stats st;
        audio_mixer_get_stats(m, &st);
        assert_int_equal(st.frames_concealed, 5);
    }
    while (first < log.n && all_zero(log.pcm[first]))
        first++;
    assert_true(log.n - first >= 95);
    for (int t = 0; first + t < log.n; t++) {
        ref_decode(ref, sent, sent_len, lost, t, 1, want);
        ref_decode(plc, sent, sent_len, lost, t, 0, other);
        assert_memory_equal(log.pcm[first + t], want, sizeof(want));
        if (lost[t]) {
            /* The first frame of a gap is concealed, not silent (libopus
             * may fade a second one out). */
            if (!lost[t - 1])
                assert_true(test_tone_amp(want, AUDIO_FRAME_SAMPLES, F1) >
                            0.04);
            fec_differs |= memcmp(want, other, sizeof(want)) != 0;
        }
    }
    assert_true(fec_differs);
    opus_decoder_destroy(ref);
    opus_decoder_destroy(plc);
    test_speaker_free(&s);
    audio_mixer_free(m);
}

/* In a mixed room, a listener still gets a packet every tick while
 * speakers lose packets. */
void test_mixer_loss_keeps_stream(void **state)
{
    test_speaker s[2];
    test_room r;
    int losses = 0;

    test_room_init(&r, audio_mixer_new(NULL));
    test_speaker_init(&s[0], 1, F1, 0.25, 1);
    test_speaker_init(&s[1], 2, F2, 0.25, 0);
    for (uint32_t id = 1; id <= 3; id++) {
        assert_int_equal(audio_mixer_add(r.m, id, AUDIO_MAY_SPEAK), AUDIO_OK);
        test_room_listen(&r, id);
    }
    for (int t = 0; t < 120; t++) {
        /* Every 7th packet of each speaker is lost on the way. */
        for (int i = 0; i < 2; i++) {
            if (t > 20 && t < 110 && (t + 3 * i) % 7 == 0) {
                test_speaker_next(&s[i]);
                losses++;
            } else {
                assert_int_equal(test_speaker_push(&r, r.m, &s[i]), AUDIO_OK);
            }
        }
        test_room_tick(&r);
    }
    assert_int_equal(stats_of(r.m).frames_concealed, (uint64_t)losses);
    /* From the end of the jitter delay on, every tick. */
    assert_int_equal(test_room_listener(&r, 3)->packets, 120 - 1);
    assert_true(test_heard(test_room_listener(&r, 3), F1, 200) > HEARD);
    assert_true(test_heard(test_room_listener(&r, 3), F2, 200) > HEARD);
    test_speaker_free(&s[0]);
    test_speaker_free(&s[1]);
    assert_int_equal(r.extra_packets, 0);
    test_room_free(&r);
}

void test_mixer_silence_emits_nothing(void **state)
{
    test_speaker s[2];
    test_speaker *sp[2] = {&s[0], &s[1]};
    test_room r;
    audio_speaker top[4];
    size_t before;

    test_room_init(&r, audio_mixer_new(NULL));
    test_speaker_init(&s[0], 1, F1, 0.25, 0);
    test_speaker_init(&s[1], 2, F2, 0.25, 0);
    for (uint32_t id = 1; id <= 3; id++) {
        assert_int_equal(audio_mixer_add(r.m, id, AUDIO_MAY_SPEAK), AUDIO_OK);
        test_room_listen(&r, id);
    }
    test_room_run(&r, sp, 2, 30);
    assert_int_equal(audio_mixer_active_speakers(r.m, top, 4), 2);
    /* They stop sending: after the concealment tail, nothing at all. */
    for (int t = 0; t < 10; t++)
        test_room_tick(&r);
    before = r.l[0].packets + r.l[1].packets + r.l[2].packets;
    for (int t = 0; t < 20; t++)
        test_room_tick(&r);
    assert_int_equal(r.l[0].packets + r.l[1].packets + r.l[2].packets, before);
    assert_int_equal(audio_mixer_active_speakers(r.m, top, 4), 0);
    /* They send digital silence: once their encoders' tails of tone have
     * passed and the release time is over, nothing again. */
    s[0].amp = 0.0;
    s[1].amp = 0.0;
    test_room_run(&r, sp, 2, 60);
    before = r.l[0].packets + r.l[1].packets + r.l[2].packets;
    test_room_run(&r, sp, 2, 40);
    assert_int_equal(r.l[0].packets + r.l[1].packets + r.l[2].packets, before);
    assert_int_equal(audio_mixer_active_speakers(r.m, top, 4), 0);
    test_speaker_free(&s[0]);
    test_speaker_free(&s[1]);
    test_room_free(&r);
}

void test_mixer_per_listener_mode(void **state)
{
    static const double freq[3] = {F1, F2, F3};
    test_speaker s[3];
    test_speaker *sp[3] = {&s[0], &s[1], &s[2]};
    test_room r;
    audio_mixer_config cfg;
    audio_mixer_stats before;

    audio_mixer_config_init(&cfg);
    cfg.mode = AUDIO_MIX_PER_LISTENER;
    test_room_init(&r, audio_mixer_new(&cfg));
    for (int i = 0; i < 3; i++) {
        test_speaker_init(&s[i], (uint32_t)(i + 1), freq[i], 0.2, 0);
        assert_int_equal(audio_mixer_add(r.m, s[i].id, AUDIO_MAY_SPEAK),
                         AUDIO_OK);
        test_room_listen(&r, s[i].id);
    }
    for (uint32_t id = 10; id < 12; id++) {
        assert_int_equal(audio_mixer_add(r.m, id, 0), AUDIO_OK);
        test_room_listen(&r, id);
    }
    test_room_run(&r, sp, 3, 30);
    before = stats_of(r.m);
    test_room_run(&r, sp, 3, 10);
    /* Every listener costs an encode: 5 a tick. */
    assert_int_equal(stats_of(r.m).frames_encoded - before.frames_encoded, 50);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(r.l[i].last.kind, AUDIO_STREAM_OWN);
        assert_int_equal(r.l[i].last.stream_id, r.l[i].id);
        for (int j = 0; j < i; j++)
            assert_ptr_not_equal(r.ptr[i], r.ptr[j]);
        for (int k = 0; k < 3; k++) {
            double a = test_heard(&r.l[i], freq[k], 200);
            if (i == k)
                assert_true(a < QUIET);
            else
                assert_true(a > HEARD);
        }
    }
    for (int i = 0; i < 3; i++)
        test_speaker_free(&s[i]);
    assert_int_equal(r.extra_packets, 0);
    test_room_free(&r);
}

static void keep_cb(void *data, const audio_out *out)
{
    audio_out *keep = data;
    if (out->listener_id == 10)
        *keep = *out;
}

void test_mixer_remove_active(void **state)
{
    static const double freq[3] = {F1, F2, F3};
    test_speaker s[3];
    test_speaker *sp[3] = {&s[0], &s[1], &s[2]};
    test_room r;
    audio_out keep = {0};
    uint8_t copy[AUDIO_MAX_PACKET];

    test_room_init(&r, audio_mixer_new(NULL));
    for (int i = 0; i < 3; i++) {
        test_speaker_init(&s[i], (uint32_t)(i + 1), freq[i], 0.2, 0);
        assert_int_equal(audio_mixer_add(r.m, s[i].id, AUDIO_MAY_SPEAK),
                         AUDIO_OK);
    }
    assert_int_equal(audio_mixer_add(r.m, 10, 0), AUDIO_OK);
    test_room_listen(&r, 10);
    test_room_run(&r, sp, 3, 20);
    /* A packet handed out stays readable after its speakers leave, until
     * the next tick. */
    for (int i = 0; i < 3; i++)
        assert_int_equal(test_speaker_push(&r, r.m, &s[i]), AUDIO_OK);
    audio_mixer_tick(r.m, r.now_ms, keep_cb, &keep);
    r.now_ms += 20;
    assert_non_null(keep.data);
    memcpy(copy, keep.data, keep.len);
    assert_int_equal(audio_mixer_remove(r.m, 2), AUDIO_OK);
    assert_int_equal(audio_mixer_remove(r.m, 3), AUDIO_OK);
    assert_memory_equal(copy, keep.data, keep.len);
    /* The rest goes on: 10 hears speaker 1 only. */
    for (int t = 0; t < 30; t++) {
        assert_int_equal(test_speaker_push(&r, r.m, &s[0]), AUDIO_OK);
        assert_int_equal(test_speaker_push(&r, r.m, &s[1]),
                         AUDIO_ERR_UNKNOWN_PARTICIPANT);
        test_room_tick(&r);
    }
    assert_true(test_heard(test_room_listener(&r, 10), F1, 200) > HEARD);
    assert_true(test_heard(test_room_listener(&r, 10), F2, 200) < QUIET);
    assert_true(test_heard(test_room_listener(&r, 10), F3, 200) < QUIET);
    for (int i = 0; i < 3; i++)
        test_speaker_free(&s[i]);
    test_room_free(&r);
}
