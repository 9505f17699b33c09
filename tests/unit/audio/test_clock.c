/* test_clock.c: the mixer times its encodes with the clock the caller puts
 * in its config (audio_mixer_config.now_ns), and with none reads no clock
 * at all. A fake clock that steps 1000 ns per read makes the total exact. */
#include "audio_test.h"

#define F1 440.0
#define F2 660.0
#define F3 880.0
#define STEP_NS 1000

typedef struct fake_clock {
    uint64_t now;
    uint64_t reads;
} fake_clock;

static uint64_t fake_now(void *data)
{
    fake_clock *c = data;
    c->reads++;
    c->now += STEP_NS;
    return c->now;
}

static audio_mixer_stats stats_of(const audio_mixer *m)
{
    audio_mixer_stats st;
    audio_mixer_get_stats(m, &st);
    return st;
}

/* Three tone speakers and one pure listener in r; runs ticks ticks. */
static void run_three(test_room *r, test_speaker *s, int ticks)
{
    static const double freq[3] = {F1, F2, F3};
    test_speaker *sp[3] = {&s[0], &s[1], &s[2]};

    for (int i = 0; i < 3; i++) {
        test_speaker_init(&s[i], (uint32_t)(i + 1), freq[i], 0.2, 0);
        assert_int_equal(audio_mixer_add(r->m, s[i].id, AUDIO_MAY_SPEAK),
                         AUDIO_OK);
        test_room_listen(r, s[i].id);
    }
    assert_int_equal(audio_mixer_add(r->m, 10, 0), AUDIO_OK);
    test_room_listen(r, 10);
    test_room_run(r, sp, 3, ticks);
}

void test_mixer_encode_clock(void **state)
{
    test_speaker s[3];
    test_room r;
    audio_mixer_config cfg;
    fake_clock clock = {0, 0};
    audio_mixer_stats st;

    (void)state;
    audio_mixer_config_init(&cfg);
    assert_null(cfg.now_ns); /* the default reads no clock */
    cfg.now_ns = fake_now;
    cfg.now_data = &clock;
    test_room_init(&r, audio_mixer_new(&cfg));
    run_three(&r, s, 40);
    st = stats_of(r.m);
    /* Four encodes a tick once all three are active (the shared mix and
     * three everyone-but-you mixes); each read twice around opus_encode. */
    assert_true(st.frames_encoded >= 100);
    assert_int_equal(clock.reads, 2 * st.frames_encoded);
    assert_int_equal(st.encode_ns, STEP_NS * st.frames_encoded);
    for (int i = 0; i < 3; i++)
        test_speaker_free(&s[i]);
    test_room_free(&r);

    /* Without a clock the same work is not timed. */
    test_room_init(&r, audio_mixer_new(NULL));
    run_three(&r, s, 40);
    st = stats_of(r.m);
    assert_true(st.frames_encoded >= 100);
    assert_int_equal(st.encode_ns, 0);
    for (int i = 0; i < 3; i++)
        test_speaker_free(&s[i]);
    test_room_free(&r);
}

void test_mixer_clock_not_read_without_encodes(void **state)
{
    test_speaker a;
    test_room r;
    audio_mixer_config cfg;
    fake_clock clock = {0, 0};
    test_speaker *sp[1] = {&a};

    (void)state;
    audio_mixer_config_init(&cfg);
    cfg.now_ns = fake_now;
    cfg.now_data = &clock;
    test_room_init(&r, audio_mixer_new(&cfg));
    /* A room of two forwards: nothing is encoded, the clock is not read. */
    test_speaker_init(&a, 1, F1, 0.2, 0);
    assert_int_equal(audio_mixer_add(r.m, 1, AUDIO_MAY_SPEAK), AUDIO_OK);
    assert_int_equal(audio_mixer_add(r.m, 2, AUDIO_MAY_SPEAK), AUDIO_OK);
    test_room_listen(&r, 2);
    test_room_run(&r, sp, 1, 30);
    assert_true(test_room_listener(&r, 2)->packets > 20);
    assert_int_equal(stats_of(r.m).frames_encoded, 0);
    assert_int_equal(stats_of(r.m).encode_ns, 0);
    assert_int_equal(clock.reads, 0);
    test_speaker_free(&a);
    test_room_free(&r);
}
