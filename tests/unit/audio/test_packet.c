/* test_packet.c: error strings, packet validation, mixing arithmetic and
 * the jitter buffer, each tested on its own. */
#include "audio_test.h"

#include <string.h>

#include "server/audio/audio_jitter.h"
#include "server/audio/audio_mix.h"
#include "server/audio/audio_packet.h"

void test_strerror_distinct(void **state)
{
    for (int i = 0; i < AUDIO_ERR_COUNT; i++) {
        const char *a = audio_strerror((audio_error)i);
        assert_non_null(a);
        assert_true(strlen(a) > 0);
        assert_string_not_equal(a, "unknown audio error");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(a, audio_strerror((audio_error)j));
    }
    assert_string_equal(audio_strerror(AUDIO_ERR_COUNT), "unknown audio error");
    assert_string_equal(audio_strerror((audio_error)-1), "unknown audio error");
}

/* A 20 ms mono packet from a real encoder. */
static size_t real_packet(uint8_t *out, int frame_samples)
{
    test_speaker s;
    int16_t pcm[3 * AUDIO_FRAME_SAMPLES + AUDIO_FRAME_SAMPLES];
    int n;

    test_speaker_init(&s, 1, 440.0, 0.3, 0);
    for (int i = 0; i < frame_samples; i += AUDIO_FRAME_SAMPLES / 2)
        test_speaker_pcm(&s, pcm + i); /* overlapping fills are fine */
    n = opus_encode(s.enc, pcm, frame_samples, out, AUDIO_MAX_PACKET);
    test_speaker_free(&s);
    assert_true(n > 1);
    return (size_t)n;
}

void test_packet_check_sizes(void **state)
{
    uint8_t pkt[2 * AUDIO_MAX_PACKET];
    size_t len = real_packet(pkt, AUDIO_FRAME_SAMPLES);

    assert_int_equal(audio_packet_check(pkt, len, AUDIO_MAX_PACKET), AUDIO_OK);
    assert_int_equal(audio_packet_check(pkt, 0, AUDIO_MAX_PACKET),
                     AUDIO_ERR_EMPTY);
    assert_int_equal(audio_packet_check(NULL, 0, AUDIO_MAX_PACKET),
                     AUDIO_ERR_EMPTY);
    assert_int_equal(audio_packet_check(NULL, 10, AUDIO_MAX_PACKET),
                     AUDIO_ERR_EMPTY);
    assert_int_equal(audio_packet_check(pkt, 1, AUDIO_MAX_PACKET),
                     AUDIO_ERR_TOO_SHORT);
    /* The configured maximum, and the hard Opus limit above any config. */
    assert_int_equal(audio_packet_check(pkt, len, len - 1), AUDIO_ERR_TOO_LONG);
    memset(pkt + len, 0, sizeof(pkt) - len);
    assert_int_equal(audio_packet_check(pkt, AUDIO_MAX_PACKET + 1, 100000),
                     AUDIO_ERR_TOO_LONG);
}

void test_packet_check_layout(void **state)
{
    uint8_t pkt[AUDIO_MAX_PACKET];
    size_t len;

    /* Code 3 (arbitrary frame count) with a count of 0: unparseable. */
    memset(pkt, 0x55, sizeof(pkt));
    pkt[0] = (uint8_t)((31 << 3) | 3);
    pkt[1] = 0;
    assert_int_equal(audio_packet_check(pkt, 40, AUDIO_MAX_PACKET),
                     AUDIO_ERR_MALFORMED);
    /* Code 1 (two equal frames) needs an even payload. */
    pkt[0] = (uint8_t)((31 << 3) | 1);
    assert_int_equal(audio_packet_check(pkt, 40, AUDIO_MAX_PACKET),
                     AUDIO_ERR_MALFORMED);
    /* CELT fullband 20 ms frames, code 3, six CBR frames: 120 ms. */
    pkt[0] = (uint8_t)((31 << 3) | 3);
    pkt[1] = 6;
    assert_int_equal(audio_packet_check(pkt, 2 + 6 * 10, AUDIO_MAX_PACKET),
                     AUDIO_ERR_DURATION);
    /* A 60 ms SILK TOC (config 3), and a 10 ms CELT TOC (config 30). */
    pkt[0] = (uint8_t)(3 << 3);
    assert_int_equal(audio_packet_check(pkt, 30, AUDIO_MAX_PACKET),
                     AUDIO_ERR_DURATION);
    pkt[0] = (uint8_t)(30 << 3);
    assert_int_equal(audio_packet_check(pkt, 30, AUDIO_MAX_PACKET),
                     AUDIO_ERR_DURATION);
    /* Two 10 ms frames (code 1) make 20 ms: fine. */
    pkt[0] = (uint8_t)((30 << 3) | 1);
    assert_int_equal(audio_packet_check(pkt, 31, AUDIO_MAX_PACKET), AUDIO_OK);
    /* The stereo bit. */
    pkt[0] = (uint8_t)((31 << 3) | 4);
    assert_int_equal(audio_packet_check(pkt, 30, AUDIO_MAX_PACKET),
                     AUDIO_ERR_CHANNELS);
    /* A real encoder's 40 and 60 ms packets. */
    len = real_packet(pkt, 2 * AUDIO_FRAME_SAMPLES);
    assert_int_equal(audio_packet_check(pkt, len, AUDIO_MAX_PACKET),
                     AUDIO_ERR_DURATION);
    len = real_packet(pkt, 3 * AUDIO_FRAME_SAMPLES);
    assert_int_equal(audio_packet_check(pkt, len, AUDIO_MAX_PACKET),
                     AUDIO_ERR_DURATION);
}

void test_mix_saturates(void **state)
{
    int16_t a[4] = {30000, -30000, 100, INT16_MIN};
    int16_t b[4] = {30000, -30000, -50, INT16_MIN};
    int16_t out[4];
    int32_t acc[4] = {0};

    audio_mix_add(acc, a, 4);
    audio_mix_add(acc, b, 4);
    assert_int_equal(acc[0], 60000);
    audio_mix_clamp(out, acc, NULL, 4);
    assert_int_equal(out[0], INT16_MAX);
    assert_int_equal(out[1], INT16_MIN);
    assert_int_equal(out[2], 50);
    assert_int_equal(out[3], INT16_MIN);
    /* Everyone but b: exactly a again. */
    audio_mix_clamp(out, acc, b, 4);
    assert_memory_equal(out, a, sizeof(a));
}

void test_mix_level(void **state)
{
    test_speaker s;
    int16_t pcm[AUDIO_FRAME_SAMPLES] = {0};
    float db;

    assert_true(audio_mix_level_db(pcm, AUDIO_FRAME_SAMPLES) ==
                AUDIO_MIX_SILENCE_DB);
    test_speaker_init(&s, 1, 1000.0, 1.0, 0);
    test_speaker_pcm(&s, pcm);
    db = audio_mix_level_db(pcm, AUDIO_FRAME_SAMPLES);
    assert_true(db > -3.2f && db < -2.8f);
    s.amp = 0.1; /* 20 dB down */
    test_speaker_pcm(&s, pcm);
    db = audio_mix_level_db(pcm, AUDIO_FRAME_SAMPLES);
    assert_true(db > -23.2f && db < -22.8f);
    test_speaker_free(&s);
}

/* Puts a one-byte-marked packet under seq. */
static audio_error put(audio_jitter *jb, uint16_t seq)
{
    uint8_t pkt[2] = {(uint8_t)seq, (uint8_t)(seq >> 8)};
    return audio_jitter_put(jb, seq, pkt, sizeof(pkt), NULL);
}

/* Pops and checks the state, and for a packet its sequence number. */
static void expect(audio_jitter *jb, audio_jitter_state st, uint16_t seq)
{
    audio_jitter_frame fr;
    audio_jitter_state got = audio_jitter_pop(jb, &fr, NULL);

    assert_int_equal(got, st);
    if (st == AUDIO_JITTER_PACKET) {
        assert_int_equal(fr.seq, seq);
        assert_int_equal(fr.len, 2);
        assert_int_equal(fr.data[0] | fr.data[1] << 8, seq);
    } else if (st == AUDIO_JITTER_MISSING) {
        assert_int_equal(fr.seq, seq);
    }
}

void test_jitter_in_order_and_reorder(void **state)
{
    audio_jitter *jb = audio_jitter_new(2, 6, 100);

    assert_null(audio_jitter_new(3, 2, 100));
    assert_null(audio_jitter_new(0, 2, 100));
    assert_null(audio_jitter_new(2, AUDIO_JITTER_MAX_DEPTH + 1, 100));
    assert_non_null(jb);
    expect(jb, AUDIO_JITTER_IDLE, 0);
    /* Filling: 11 then 10 (reordered before playback starts). */
    assert_int_equal(put(jb, 11), AUDIO_OK);
    expect(jb, AUDIO_JITTER_IDLE, 0);
    assert_int_equal(put(jb, 10), AUDIO_OK);
    expect(jb, AUDIO_JITTER_PACKET, 10);
    /* 13 arrives before 12: both play in order. */
    assert_int_equal(put(jb, 13), AUDIO_OK);
    assert_int_equal(put(jb, 12), AUDIO_OK);
    expect(jb, AUDIO_JITTER_PACKET, 11);
    expect(jb, AUDIO_JITTER_PACKET, 12);
    expect(jb, AUDIO_JITTER_PACKET, 13);
    assert_int_equal(audio_jitter_count(jb), 0);
    audio_jitter_free(jb);
    audio_jitter_free(NULL);
}

void test_jitter_late_duplicate(void **state)
{
    audio_jitter *jb = audio_jitter_new(1, 4, 100);

    assert_int_equal(put(jb, 100), AUDIO_OK);
    assert_int_equal(put(jb, 101), AUDIO_OK);
    assert_int_equal(put(jb, 101), AUDIO_ERR_DUPLICATE);
    expect(jb, AUDIO_JITTER_PACKET, 100);
    assert_int_equal(put(jb, 100), AUDIO_ERR_LATE);
    assert_int_equal(put(jb, 90), AUDIO_ERR_LATE);
    expect(jb, AUDIO_JITTER_PACKET, 101);
    assert_int_equal(audio_jitter_count(jb), 0);
    audio_jitter_free(jb);
}

void test_jitter_gap_and_stop(void **state)
{
    audio_jitter *jb = audio_jitter_new(1, 4, 100);
    audio_jitter_frame fr;

    assert_int_equal(put(jb, 5), AUDIO_OK);
    expect(jb, AUDIO_JITTER_PACKET, 5);
    /* 6 is lost, 7 is here: the gap comes with 7 as its FEC source. */
    assert_int_equal(put(jb, 7), AUDIO_OK);
    assert_int_equal(audio_jitter_pop(jb, &fr, NULL), AUDIO_JITTER_MISSING);
    assert_int_equal(fr.seq, 6);
    assert_non_null(fr.next);
    assert_int_equal(fr.next[0], 7);
    expect(jb, AUDIO_JITTER_PACKET, 7);
    /* The sender stops: a few concealed frames, then idle. */
    for (int i = 0; i < AUDIO_JITTER_MAX_CONCEAL; i++) {
        assert_int_equal(audio_jitter_pop(jb, &fr, NULL), AUDIO_JITTER_MISSING);
        assert_null(fr.next);
    }
    expect(jb, AUDIO_JITTER_IDLE, 0);
    expect(jb, AUDIO_JITTER_IDLE, 0);
    /* It comes back with any sequence number. */
    assert_int_equal(put(jb, 3), AUDIO_OK);
    expect(jb, AUDIO_JITTER_PACKET, 3);
    audio_jitter_free(jb);
}

void test_jitter_overflow_and_resync(void **state)
{
    audio_jitter *jb = audio_jitter_new(2, 4, 100);
    audio_jitter_frame fr;
    uint8_t pkt[2] = {0};
    unsigned dropped = 0;

    for (uint16_t s = 0; s < 4; s++)
        assert_int_equal(put(jb, s), AUDIO_OK);
    /* A fifth frame beyond the depth drops the oldest. */
    assert_int_equal(audio_jitter_put(jb, 4, pkt, 2, &dropped), AUDIO_OK);
    assert_int_equal(dropped, 1);
    assert_int_equal(audio_jitter_count(jb), 4);
    expect(jb, AUDIO_JITTER_PACKET, 1);
    /* A far jump (a reconnected client) restarts the stream. */
    assert_int_equal(audio_jitter_put(jb, 30000, pkt, 2, &dropped), AUDIO_OK);
    assert_int_equal(dropped, 3);
    assert_int_equal(audio_jitter_count(jb), 1);
    assert_int_equal(put(jb, 30001), AUDIO_OK);
    assert_int_equal(audio_jitter_pop(jb, &fr, NULL), AUDIO_JITTER_PACKET);
    assert_int_equal(fr.seq, 30000);
    assert_int_equal(fr.data[0], 0);
    expect(jb, AUDIO_JITTER_PACKET, 30001);
    audio_jitter_free(jb);
}

void test_jitter_wraps_and_trims(void **state)
{
    audio_jitter *jb = audio_jitter_new(2, 8, 100);
    audio_jitter_frame fr;
    unsigned dropped = 0, total = 0;
    uint16_t seq = 65530;

    /* Across the 16-bit wrap, in order. */
    assert_int_equal(put(jb, seq), AUDIO_OK);
    assert_int_equal(put(jb, (uint16_t)(seq + 1)), AUDIO_OK);
    for (int i = 0; i < 12; i++) {
        expect(jb, AUDIO_JITTER_PACKET, (uint16_t)(seq + i));
        assert_int_equal(put(jb, (uint16_t)(seq + i + 2)), AUDIO_OK);
    }
    /* A burst of 5 extra frames, then steady flow: within a second or so
     * the extra latency is trimmed back to the delay. */
    seq = (uint16_t)(seq + 14);
    for (int i = 0; i < 5; i++)
        assert_int_equal(put(jb, seq++), AUDIO_OK);
    assert_int_equal(audio_jitter_count(jb), 7);
    for (int i = 0; i < 120; i++) {
        assert_int_equal(audio_jitter_pop(jb, &fr, &dropped),
                         AUDIO_JITTER_PACKET);
        total += dropped;
        assert_int_equal(put(jb, seq++), AUDIO_OK);
    }
    assert_int_equal(total, 5);
    assert_int_equal(audio_jitter_count(jb), 2);
    audio_jitter_free(jb);
}
