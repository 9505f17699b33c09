/* test_jitter_talk.c: the jitter buffer over whole talkspurts, tick by
 * tick, as the mixer drives it: a talker speaking in short phrases (10
 * frames, then 8 frames of nothing, as a client's voice gate sends them;
 * seq counts 20 ms across the pauses), and a server that stops once for
 * 300 ms, then runs its 5 catch-up ticks and skips the rest. */
#include "audio_test.h"

#include <string.h>

#include "server/audio/audio_jitter.h"

#define DELAY 2
#define DEPTH 6
#define SPURT 10               /* frames spoken per phrase */
#define CYCLE (SPURT + 8)      /* a phrase and its pause */
#define CYCLES 8               /* phrases in a run */
#define STALL_TICKS 15         /* 300 ms without the CPU */
#define CATCHUP 5              /* ticks the server runs at once after it */
#define BASE ((uint16_t)65500) /* across the 16-bit wrap */

/* One run: lag[k] is how many ticks phrase k's first frame waited between
 * its arrival tick and the tick that played it (-1: never played); worst[k]
 * the longest wait of any frame of phrase k. */
typedef struct talk_run {
    int lag[CYCLES];
    int worst[CYCLES];
    int missing; /* frames concealed inside phrases 2.. (losses) */
} talk_run;

static int talking(int tick)
{
    return tick % CYCLE < SPURT;
}

static void put_seq(audio_jitter *jb, int tick)
{
    uint16_t seq = (uint16_t)(BASE + tick);
    uint8_t pkt[2] = {(uint8_t)seq, (uint8_t)(seq >> 8)};
    audio_error e = audio_jitter_put(jb, seq, pkt, sizeof(pkt), NULL);

    /* Frames held through the stall may be late by the time they are
     * read; nothing else may be refused. */
    assert_true(e == AUDIO_OK || e == AUDIO_ERR_LATE);
}

/* Pops one tick's frame at `tick` and records when its frame was sent. */
static void pop_at(audio_jitter *jb, int tick, talk_run *r)
{
    audio_jitter_frame fr;
    audio_jitter_state st = audio_jitter_pop(jb, &fr, NULL);
    int sent = (int)(uint16_t)(fr.seq - BASE), k = sent / CYCLE;

    if (st == AUDIO_JITTER_MISSING && talking(sent) && k >= 2 && k < CYCLES)
        r->missing++;
    if (st != AUDIO_JITTER_PACKET)
        return;
    assert_int_equal(fr.data[0] | fr.data[1] << 8, fr.seq);
    assert_true(k < CYCLES);
    if (sent % CYCLE == 0)
        r->lag[k] = tick - sent;
    if (tick - sent > r->worst[k])
        r->worst[k] = tick - sent;
}

/* The server runs again at `tick` after a stall that began at held_from:
 * it runs the ticks it missed (at most CATCHUP with this one, the rest are
 * skipped) and reads the frames that waited in the socket; the ticks first
 * (pops_first: the timer was due before the socket was polled) or the
 * frames first. This tick's own frame comes after, on time. */
static void resume(audio_jitter *jb, int held_from, int tick, int pops_first,
                   talk_run *r)
{
    for (int i = 0; pops_first && i < CATCHUP - 1; i++)
        pop_at(jb, tick, r);
    for (int t = held_from; t < tick; t++)
        if (talking(t))
            put_seq(jb, t);
    for (int i = 0; !pops_first && i < CATCHUP - 1; i++)
        pop_at(jb, tick, r);
}

/* Runs CYCLES phrases. With stall_at >= 0, the server gets no CPU for
 * STALL_TICKS ticks from that tick. */
static void run_talk(talk_run *r, int stall_at, int pops_first)
{
    audio_jitter *jb = audio_jitter_new(DELAY, DEPTH, 16);

    memset(r, 0, sizeof(*r));
    for (int k = 0; k < CYCLES; k++)
        r->lag[k] = -1;
    for (int tick = 0; tick < CYCLES * CYCLE; tick++) {
        if (stall_at >= 0 && tick >= stall_at && tick < stall_at + STALL_TICKS)
            continue; /* stopped: no reads, no ticks */
        if (stall_at >= 0 && tick == stall_at + STALL_TICKS)
            resume(jb, stall_at, tick, pops_first, r);
        if (talking(tick))
            put_seq(jb, tick);
        pop_at(jb, tick, r);
    }
    audio_jitter_free(jb);
}

/* After a stall, the phrases that follow wait no longer than those before
 * it: the delay is back at the target when the next phrase starts, though
 * every pause is too short for the stream to stop. The server resumes in
 * the middle of phrase 1, or just as phrase 2 starts (the rest of phrase 1
 * reaches it only then). */
void test_jitter_stall_then_phrases(void **state)
{
    static const int stall_at[] = {8, CYCLE + 3};
    talk_run calm, run;

    (void)state;
    run_talk(&calm, -1, 0);
    /* Without a stall: each phrase starts after DELAY - 1 ticks. */
    for (int k = 0; k < CYCLES; k++) {
        assert_int_equal(calm.lag[k], DELAY - 1);
        assert_int_equal(calm.worst[k], DELAY - 1);
    }
    assert_int_equal(calm.missing, 0);
    for (int i = 0; i < 4; i++) {
        run_talk(&run, stall_at[i / 2], i % 2);
        assert_int_equal(run.lag[0], DELAY - 1);
        /* Every later phrase, from its first frame to its last, is back
         * at the target, and none of its frames was skipped. */
        for (int k = 2; k < CYCLES; k++) {
            assert_int_equal(run.lag[k], DELAY - 1);
            assert_int_equal(run.worst[k], DELAY - 1);
        }
        assert_int_equal(run.missing, 0);
    }
}

/* Pops and checks the state and the frame's sequence number. */
static void expect_seq(audio_jitter *jb, audio_jitter_state st, uint16_t seq)
{
    audio_jitter_frame fr;

    assert_int_equal(audio_jitter_pop(jb, &fr, NULL), st);
    if (st != AUDIO_JITTER_IDLE)
        assert_int_equal(fr.seq, seq);
    if (st == AUDIO_JITTER_PACKET)
        assert_int_equal(fr.data[0] | fr.data[1] << 8, seq);
}

static void put1(audio_jitter *jb, uint16_t seq)
{
    uint8_t pkt[2] = {(uint8_t)seq, (uint8_t)(seq >> 8)};
    assert_int_equal(audio_jitter_put(jb, seq, pkt, sizeof(pkt), NULL),
                     AUDIO_OK);
}

/* Pops frame seq as missing with the next packet there for its FEC;
 * returns that packet. */
static const uint8_t *expect_fec(audio_jitter *jb, uint16_t seq)
{
    audio_jitter_frame fr;

    assert_int_equal(audio_jitter_pop(jb, &fr, NULL), AUDIO_JITTER_MISSING);
    assert_int_equal(fr.seq, seq);
    assert_non_null(fr.next);
    return fr.next;
}

/* Losses inside a phrase are concealed, not taken for a new phrase: one
 * or two frames lost in a row on time, and a packet ahead of the play
 * point by less than the delay. A new phrase whose first two packets
 * arrive swapped still plays both. */
void test_jitter_losses_not_talkspurts(void **state)
{
    audio_jitter *jb = audio_jitter_new(DELAY, DEPTH, 16);

    (void)state;
    put1(jb, 100);
    expect_seq(jb, AUDIO_JITTER_IDLE, 0);
    put1(jb, 101);
    expect_seq(jb, AUDIO_JITTER_PACKET, 100);
    /* 102 lost, the buffer runs dry: 103 conceals it with its FEC. */
    expect_seq(jb, AUDIO_JITTER_PACKET, 101);
    put1(jb, 103);
    assert_int_equal(expect_fec(jb, 102)[0], 103);
    /* 104 and 105 lost: PLC, then FEC from 106, then 106 on time. */
    put1(jb, 104);
    expect_seq(jb, AUDIO_JITTER_PACKET, 103);
    expect_seq(jb, AUDIO_JITTER_PACKET, 104);
    expect_seq(jb, AUDIO_JITTER_MISSING, 105);
    put1(jb, 107);
    expect_fec(jb, 106);
    put1(jb, 108);
    expect_seq(jb, AUDIO_JITTER_PACKET, 107);
    expect_seq(jb, AUDIO_JITTER_PACKET, 108);
    audio_jitter_free(jb);

    /* A deeper target: a packet 2 frames ahead of a dry buffer is still
     * less than the delay of 3 away, so it waits its 2 ticks. */
    jb = audio_jitter_new(3, DEPTH, 16);
    put1(jb, 10);
    put1(jb, 11);
    put1(jb, 12);
    for (uint16_t s = 10; s <= 12; s++)
        expect_seq(jb, AUDIO_JITTER_PACKET, s);
    put1(jb, 15);
    expect_seq(jb, AUDIO_JITTER_MISSING, 13);
    expect_seq(jb, AUDIO_JITTER_MISSING, 14);
    expect_seq(jb, AUDIO_JITTER_PACKET, 15);
    audio_jitter_free(jb);

    /* A new phrase after a short pause with the buffer dry: 52 comes
     * before 51; the stream restarts at 52 and takes 51 back. */
    jb = audio_jitter_new(DELAY, DEPTH, 16);
    put1(jb, 40);
    put1(jb, 41);
    expect_seq(jb, AUDIO_JITTER_PACKET, 40);
    expect_seq(jb, AUDIO_JITTER_PACKET, 41);
    for (uint16_t s = 42; s < 45; s++)
        expect_seq(jb, AUDIO_JITTER_MISSING, s);
    put1(jb, 52);
    put1(jb, 51);
    expect_seq(jb, AUDIO_JITTER_PACKET, 51);
    expect_seq(jb, AUDIO_JITTER_PACKET, 52);
    audio_jitter_free(jb);
}
