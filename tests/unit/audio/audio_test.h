/* audio_test.h: helpers shared by the kopa_audio unit tests, and the one
 * list of test functions (run by test_main.c).
 *
 * Speakers are sine tones encoded by a real libopus encoder; listeners
 * decode what the mixer gives them with a real libopus decoder into a
 * timeline (one 20 ms frame per tick, silence when they got nothing), and
 * the Goertzel algorithm measures which tones they hear. */
#ifndef KOPA_AUDIO_TEST_H
#define KOPA_AUDIO_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <opus.h>

#include "server/audio/audio_mixer.h"

#define TEST_MAX_LISTENERS 16

typedef struct test_speaker {
    uint32_t id;
    double freq;  /* Hz */
    double amp;   /* fraction of full scale */
    double phase; /* radians, carried across frames */
    OpusEncoder *enc;
    uint16_t seq;
    uint32_t ts;
    uint8_t pkt[AUDIO_MAX_PACKET]; /* the last packet made */
    size_t pkt_len;
} test_speaker;

typedef struct test_listener {
    uint32_t id;
    OpusDecoder *dec;
    int16_t *pcm; /* decoded timeline */
    size_t n, cap;
    int got; /* packets received in the current tick */
    audio_out last;
    size_t packets;
    size_t by_kind[4];
} test_listener;

typedef struct test_room {
    audio_mixer *m;
    test_listener l[TEST_MAX_LISTENERS];
    int n_listeners;
    int64_t now_ms;
    int extra_packets; /* a listener got two packets in one tick */
    /* Data pointers seen in the last tick, per listener index. */
    const uint8_t *ptr[TEST_MAX_LISTENERS];
} test_room;

/* A speaker with a tone; fec turns on the encoder's in-band FEC. */
void test_speaker_init(test_speaker *s, uint32_t id, double freq, double amp,
                       int fec);
void test_speaker_free(test_speaker *s);
/* Fills pcm with the speaker's next 20 ms of tone. */
void test_speaker_pcm(test_speaker *s, int16_t *pcm);
/* Makes the speaker's next packet into s->pkt (seq and ts advance). */
void test_speaker_next(test_speaker *s);
/* Makes the next packet and pushes it into m at r->now_ms. */
audio_error test_speaker_push(test_room *r, audio_mixer *m, test_speaker *s);

/* Sets up a room around m (owned by the room) and adds no participants;
 * test_room_listen() records a participant's output. */
void test_room_init(test_room *r, audio_mixer *m);
void test_room_listen(test_room *r, uint32_t id);
test_listener *test_room_listener(test_room *r, uint32_t id);
/* One tick: decodes every listener's packet, appends 20 ms of silence for
 * those who got none, advances now_ms by 20. */
void test_room_tick(test_room *r);
/* Pushes one packet from each speaker, then ticks; n times. */
void test_room_run(test_room *r, test_speaker **s, int n_speakers, int ticks);
void test_room_free(test_room *r);

/* Goertzel: the amplitude (fraction of full scale) of freq in pcm[0..n). */
double test_tone_amp(const int16_t *pcm, size_t n, double freq);
/* The amplitude of freq over the listener's last `ms` milliseconds. */
double test_heard(const test_listener *l, double freq, int ms);

/* Reads an Ogg file's packets in order (a tiny reader: no CRC check, no
 * multiplexed streams). Calls cb for each complete packet. Returns the
 * number of pages, or -1 if the file is not Ogg. */
typedef void (*test_ogg_packet_cb)(void *data, const uint8_t *pkt, size_t len);
int test_ogg_read(const char *path, test_ogg_packet_cb cb, void *data);

/* Tests (one list, run by test_main.c). */
void test_strerror_distinct(void **state);
void test_packet_check_sizes(void **state);
void test_packet_check_layout(void **state);
void test_mix_saturates(void **state);
void test_mix_level(void **state);
void test_jitter_in_order_and_reorder(void **state);
void test_jitter_late_duplicate(void **state);
void test_jitter_gap_and_stop(void **state);
void test_jitter_overflow_and_resync(void **state);
void test_jitter_wraps_and_trims(void **state);
void test_jitter_stall_then_phrases(void **state);
void test_jitter_losses_not_talkspurts(void **state);
void test_mixer_api_errors(void **state);
void test_mixer_nobody_hears_themselves(void **state);
void test_mixer_shared_pointer(void **state);
void test_mixer_top_k(void **state);
void test_mixer_hysteresis(void **state);
void test_mixer_muted_offstage(void **state);
void test_mixer_clipping(void **state);
void test_mixer_pair_forwards(void **state);
void test_mixer_single_speaker_forwards(void **state);
void test_mixer_invalid_packets(void **state);
void test_mixer_rate_limit(void **state);
void test_mixer_loss_concealment(void **state);
void test_mixer_loss_keeps_stream(void **state);
void test_mixer_silence_emits_nothing(void **state);
void test_mixer_per_listener_mode(void **state);
void test_mixer_remove_active(void **state);
void test_mixer_encode_clock(void **state);
void test_mixer_clock_not_read_without_encodes(void **state);
void test_coord_broadcast(void **state);
void test_coord_listen_in(void **state);
void test_recorder_ogg(void **state);
void test_recorder_errors(void **state);
void test_recorder_empty(void **state);

#endif
