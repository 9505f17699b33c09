/* test_mixer.c: the room mixer end to end: real Opus tones in, decoded
 * listener audio out, tones measured with Goertzel. */
#include "audio_test.h"

#include <stdlib.h>
#include <string.h>

#include "server/audio/audio_packet.h"

#define F1 440.0
#define F2 660.0
#define F3 880.0
#define F4 1100.0
/* A tone counts as heard above this amplitude (of full scale), and as
 * absent below QUIET; the tones are sent at 0.2 to 0.3. */
#define HEARD 0.08
#define QUIET 0.01

static audio_mixer *mixer_with(int k, audio_mix_mode mode)
{
    audio_mixer_config cfg;

    audio_mixer_config_init(&cfg);
    cfg.max_speakers = k;
    cfg.mode = mode;
    return audio_mixer_new(&cfg);
}

static audio_mixer_stats stats_of(const audio_mixer *m)
{
    audio_mixer_stats st;
    audio_mixer_get_stats(m, &st);
    return st;
}

void test_mixer_api_errors(void **state)
{
    audio_mixer_config cfg;
    audio_mixer *m;
    uint8_t pkt[4] = {0};

    audio_mixer_config_init(&cfg);
    assert_int_equal(audio_mixer_config_check(&cfg), AUDIO_OK);
    cfg.max_speakers = AUDIO_MAX_ACTIVE + 1;
    assert_int_equal(audio_mixer_config_check(&cfg), AUDIO_ERR_CONFIG);
    assert_null(audio_mixer_new(&cfg));
    audio_mixer_config_init(&cfg);
    cfg.jitter_depth = cfg.jitter_delay - 1;
    assert_null(audio_mixer_new(&cfg));
    audio_mixer_config_init(&cfg);
    cfg.complexity = 11;
    assert_null(audio_mixer_new(&cfg));
    audio_mixer_free(NULL);

    m = audio_mixer_new(NULL);
    assert_non_null(m);
    assert_int_equal(audio_mixer_add(m, 0, 0), AUDIO_ERR_BAD_ID);
    assert_int_equal(audio_mixer_add(m, 7, AUDIO_MAY_SPEAK), AUDIO_OK);
    assert_int_equal(audio_mixer_add(m, 7, 0), AUDIO_ERR_EXISTS);
    assert_int_equal(audio_mixer_add(m, 8, 1u << 9), AUDIO_ERR_FLAGS);
    assert_int_equal(audio_mixer_add(m, 8, AUDIO_LISTEN_ONLY | AUDIO_SEND_ONLY),
                     AUDIO_ERR_FLAGS);
    assert_int_equal(audio_mixer_set_flags(m, 9, 0),
                     AUDIO_ERR_UNKNOWN_PARTICIPANT);
    assert_int_equal(audio_mixer_set_flags(m, 7, 1u << 9), AUDIO_ERR_FLAGS);
    assert_int_equal(audio_mixer_remove(m, 9), AUDIO_ERR_UNKNOWN_PARTICIPANT);
    assert_int_equal(audio_mixer_push(m, 9, 0, 0, pkt, 4, 0),
                     AUDIO_ERR_UNKNOWN_PARTICIPANT);
    assert_int_equal(stats_of(m).dropped[AUDIO_ERR_UNKNOWN_PARTICIPANT], 1);
    assert_int_equal(audio_mixer_count(m), 1);
    assert_int_equal(audio_mixer_remove(m, 7), AUDIO_OK);
    assert_int_equal(audio_mixer_count(m), 0);
    /* Ticking an empty mixer is fine and emits nothing. */
    audio_mixer_tick(m, 0, NULL, NULL);
    assert_int_equal(stats_of(m).packets_emitted, 0);
    audio_mixer_free(m);
}

/* Adds speakers (MAY_SPEAK, recorded) and pure listeners (recorded). */
static void setup(test_room *r, test_speaker *s, int n_s, const double *freq,
                  const double *amp, const uint32_t *listeners, int n_l)
{
    for (int i = 0; i < n_s; i++) {
        test_speaker_init(&s[i], (uint32_t)(i + 1), freq[i], amp[i], 0);
        assert_int_equal(audio_mixer_add(r->m, s[i].id, AUDIO_MAY_SPEAK),
                         AUDIO_OK);
        test_room_listen(r, s[i].id);
    }
    for (int i = 0; i < n_l; i++) {
        assert_int_equal(audio_mixer_add(r->m, listeners[i], 0), AUDIO_OK);
        test_room_listen(r, listeners[i]);
    }
}

static void teardown(test_room *r, test_speaker *s, int n_s)
{
    assert_int_equal(r->extra_packets, 0); /* one packet per tick at most */
    for (int i = 0; i < n_s; i++)
        test_speaker_free(&s[i]);
    test_room_free(r);
}

void test_mixer_nobody_hears_themselves(void **state)
{
    static const double freq[4] = {F1, F2, F3, F4},
                        amp[4] = {.25, .25, .25, .25};
    static const uint32_t pure[2] = {10, 11};
    test_speaker s[4];
    test_speaker *sp[4] = {&s[0], &s[1], &s[2], &s[3]};
    test_room r;

    test_room_init(&r, mixer_with(4, AUDIO_MIX_SHARED));
    setup(&r, s, 4, freq, amp, pure, 2);
    test_room_run(&r, sp, 4, 50);
    for (int i = 0; i < 4; i++) {
        test_listener *l = test_room_listener(&r, s[i].id);
        assert_int_equal(l->last.kind, AUDIO_STREAM_MIX_MINUS);
        assert_int_equal(l->last.stream_id, s[i].id);
        for (int j = 0; j < 4; j++) {
            double a = test_heard(l, freq[j], 200);
            if (i == j)
                assert_true(a < QUIET);
            else
                assert_true(a > HEARD);
        }
    }
    for (int i = 0; i < 2; i++) {
        test_listener *l = test_room_listener(&r, pure[i]);
        assert_int_equal(l->last.kind, AUDIO_STREAM_MIX);
        assert_int_equal(l->last.stream_id, 0);
        for (int j = 0; j < 4; j++)
            assert_true(test_heard(l, freq[j], 200) > HEARD);
    }
    teardown(&r, s, 4);
}

void test_mixer_shared_pointer(void **state)
{
    static const double freq[3] = {F1, F2, F3}, amp[3] = {.2, .2, .2};
    static const uint32_t pure[5] = {20, 21, 22, 23, 24};
    test_speaker s[3];
    test_speaker *sp[3] = {&s[0], &s[1], &s[2]};
    test_room r;
    audio_mixer_stats before;

    test_room_init(&r, mixer_with(3, AUDIO_MIX_SHARED));
    setup(&r, s, 3, freq, amp, pure, 5);
    test_room_run(&r, sp, 3, 20);
    before = stats_of(r.m);
    for (int t = 0; t < 10; t++) {
        test_room_run(&r, sp, 3, 1);
        /* Listeners 3..7 are the pure listeners: one buffer for all. */
        for (int i = 3; i < 8; i++) {
            assert_non_null(r.ptr[i]);
            assert_ptr_equal(r.ptr[i], r.ptr[3]);
            assert_int_equal(r.l[i].last.kind, AUDIO_STREAM_MIX);
        }
        for (int i = 0; i < 3; i++) {
            assert_non_null(r.ptr[i]);
            assert_ptr_not_equal(r.ptr[i], r.ptr[3]);
            assert_ptr_not_equal(r.ptr[i], r.ptr[(i + 1) % 3]);
        }
    }
    /* One shared encode plus one per active speaker, whatever the number
     * of listeners. */
    assert_int_equal(stats_of(r.m).frames_encoded - before.frames_encoded, 40);
    teardown(&r, s, 3);
}

void test_mixer_top_k(void **state)
{
    static const double freq[4] = {F1, F2, F3, F4};
    static const double amp[4] = {.3, .25, .2, .02};
    static const uint32_t pure[1] = {10};
    test_speaker s[4];
    test_speaker *sp[4] = {&s[0], &s[1], &s[2], &s[3]};
    test_room r;
    audio_speaker top[4];
    test_listener *l;

    test_room_init(&r, mixer_with(3, AUDIO_MIX_SHARED));
    setup(&r, s, 4, freq, amp, pure, 1);
    test_room_run(&r, sp, 4, 50);
    l = test_room_listener(&r, 10);
    assert_true(test_heard(l, F1, 200) > HEARD);
    assert_true(test_heard(l, F2, 200) > HEARD);
    assert_true(test_heard(l, F3, 200) > HEARD);
    assert_true(test_heard(l, F4, 200) < 0.002); /* sent at 0.02 */
    /* The quiet speaker hears the shared mix of the three. */
    l = test_room_listener(&r, 4);
    assert_int_equal(l->last.kind, AUDIO_STREAM_MIX);
    assert_int_equal(audio_mixer_active_speakers(r.m, top, 4), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(top[i].participant_id, (uint32_t)(i + 1));
        assert_true(top[i].level_known);
    }
    assert_true(top[0].level_db > top[1].level_db);
    assert_true(top[1].level_db > top[2].level_db);
    assert_true(top[0].level_db < -10.0f && top[0].level_db > -16.0f);
    /* A short buffer gets the loudest. */
    assert_int_equal(audio_mixer_active_speakers(r.m, top, 1), 3);
    assert_int_equal(top[0].participant_id, 1);
    teardown(&r, s, 4);
}

/* Returns the only active speaker (K = 1). */
static uint32_t only_active(const audio_mixer *m)
{
    audio_speaker top[2];
    assert_int_equal(audio_mixer_active_speakers(m, top, 2), 1);
    return top[0].participant_id;
}

void test_mixer_hysteresis(void **state)
{
    static const double freq[2] = {F1, F2}, amp[2] = {.2, .25};
    static const uint32_t pure[1] = {10};
    test_speaker s[2];
    test_speaker *sp[2] = {&s[0], &s[1]};
    test_room r;
    int switches = 0;
    uint32_t cur;

    test_room_init(&r, mixer_with(1, AUDIO_MIX_SHARED));
    setup(&r, s, 2, freq, amp, pure, 1);
    test_room_run(&r, sp, 1, 20); /* A alone */
    cur = only_active(r.m);
    assert_int_equal(cur, 1);
    /* B joins, 2 dB louder: A stays (no flapping). */
    for (int t = 0; t < 60; t++) {
        test_room_run(&r, sp, 2, 1);
        assert_int_equal(only_active(r.m), 1);
    }
    assert_true(test_heard(test_room_listener(&r, 10), F1, 200) > HEARD);
    assert_true(test_heard(test_room_listener(&r, 10), F2, 200) < QUIET);
    /* B gets 10 dB louder: B takes over, once; then B drops back to its
     * old level and keeps the place. */
    s[1].amp = 0.8;
    for (int t = 0; t < 100; t++) {
        if (t == 30)
            s[1].amp = 0.25;
        test_room_run(&r, sp, 2, 1);
        if (only_active(r.m) != cur) {
            switches++;
            cur = only_active(r.m);
        }
    }
    assert_int_equal(switches, 1);
    assert_int_equal(cur, 2);
    assert_true(test_heard(test_room_listener(&r, 10), F2, 200) > HEARD);
    assert_true(test_heard(test_room_listener(&r, 10), F1, 200) < QUIET);
    /* The active speaker alone hears nothing; the other hears B. */
    assert_true(test_heard(test_room_listener(&r, 2), F2, 200) < QUIET);
    assert_true(test_heard(test_room_listener(&r, 1), F2, 200) > HEARD);
    teardown(&r, s, 2);
}

void test_mixer_muted_offstage(void **state)
{
    static const double freq[3] = {F1, F2, F3}, amp[3] = {.2, .2, .2};
    static const uint32_t pure[1] = {10};
    test_speaker s[3];
    test_room r;
    test_listener *l;
    audio_error e;

    test_room_init(&r, mixer_with(3, AUDIO_MIX_SHARED));
    setup(&r, s, 3, freq, amp, pure, 1);
    assert_int_equal(audio_mixer_set_flags(r.m, 2, 0),
                     AUDIO_OK); /* off stage */
    assert_int_equal(
        audio_mixer_add(r.m, 30, AUDIO_LISTEN_ONLY | AUDIO_MAY_SPEAK),
        AUDIO_OK);
    for (int t = 0; t < 80; t++) {
        if (t == 40) /* speaker 3 mutes */
            assert_int_equal(audio_mixer_set_flags(r.m, 3, 0), AUDIO_OK);
        assert_int_equal(test_speaker_push(&r, r.m, &s[0]), AUDIO_OK);
        assert_int_equal(test_speaker_push(&r, r.m, &s[1]),
                         AUDIO_ERR_NOT_PERMITTED);
        e = test_speaker_push(&r, r.m, &s[2]);
        assert_int_equal(e, t < 40 ? AUDIO_OK : AUDIO_ERR_NOT_PERMITTED);
        assert_int_equal(audio_mixer_push(r.m, 30, (uint16_t)t, 0, s[0].pkt,
                                          s[0].pkt_len, r.now_ms),
                         AUDIO_ERR_NOT_PERMITTED);
        test_room_tick(&r);
        if (t == 39) {
            l = test_room_listener(&r, 10);
            assert_true(test_heard(l, F1, 200) > HEARD);
            assert_true(test_heard(l, F3, 200) > HEARD);
            assert_true(test_heard(l, F2, 200) < QUIET);
        }
    }
    l = test_room_listener(&r, 10);
    assert_true(test_heard(l, F1, 400) > HEARD);
    assert_true(test_heard(l, F2, 400) < QUIET);
    assert_true(test_heard(l, F3, 400) < QUIET);
    assert_int_equal(stats_of(r.m).dropped[AUDIO_ERR_NOT_PERMITTED],
                     80 + 40 + 80);
    teardown(&r, s, 3);
}

void test_mixer_clipping(void **state)
{
    static const double freq[2] = {F1, F1}, amp[2] = {1.0, 1.0};
    static const uint32_t pure[1] = {10};
    test_speaker s[2];
    test_speaker *sp[2] = {&s[0], &s[1]};
    test_room r;
    test_listener *l;

    /* Two full-scale tones in phase sum to twice full scale. Saturated,
     * the listener hears a clipped tone louder than either; wrapped
     * around, most of each peak would flip sign and the tone collapse. */
    test_room_init(&r, mixer_with(3, AUDIO_MIX_SHARED));
    setup(&r, s, 2, freq, amp, pure, 1);
    test_room_run(&r, sp, 2, 40);
    l = test_room_listener(&r, 10);
    assert_int_equal(l->last.kind, AUDIO_STREAM_MIX);
    assert_true(test_heard(l, F1, 200) > 0.9);
    /* And each speaker hears the other at full scale, untouched. */
    assert_true(test_heard(test_room_listener(&r, 1), F1, 200) > 0.8);
    teardown(&r, s, 2);
}
