/* fuzz_audio_packet.c: libFuzzer driver for the room mixer's untrusted
 * input: arbitrary bytes become packets from several speakers, flag
 * changes, joins and leaves, and ticks at odd times.
 *
 * Input: one config byte (mode, codec, K), then records. A record starts
 * with an op byte; its low 2 bits pick the action, the rest its argument:
 *   0 push:  speaker = arg % 5, then seq (2 bytes, little-endian), length
 *            (2 bytes, modulo 1400), then that many bytes (or what is left)
 *   1 tick:  now advances by arg x 4 ms (a late or early timer)
 *   2 flags: participant = arg % 5 gets the next byte as flags
 *   3 toggle: participant = arg % 5 leaves, or joins with AUDIO_MAY_SPEAK
 * Invariants checked on every tick: each listener gets at most one packet,
 * every byte handed out is readable, and forwarded packets pass the same
 * validation as pushes. gen_audio_seeds.c writes the seed corpus. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/audio/audio_mixer.h"
#include "server/audio/audio_packet.h"

#define PARTS 5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct fuzz_state {
    unsigned got[PARTS + 1];
    uint64_t checksum;
} fuzz_state;

static void emit_cb(void *data, const audio_out *out)
{
    fuzz_state *st = data;

    if (out->listener_id == 0 || out->listener_id > PARTS)
        abort();
    if (st->got[out->listener_id]++)
        abort(); /* two packets for one listener in one tick */
    if (!out->data || out->len == 0 || out->len > AUDIO_MAX_PACKET)
        abort();
    for (size_t i = 0; i < out->len; i++)
        st->checksum += out->data[i];
    if (out->kind == AUDIO_STREAM_FORWARD &&
        audio_packet_check(out->data, out->len, AUDIO_MAX_PACKET) != AUDIO_OK)
        abort();
}

static void pcm_cb(void *data, const int16_t *pcm, size_t samples)
{
    fuzz_state *st = data;

    if (samples != AUDIO_FRAME_SAMPLES)
        abort();
    st->checksum += (uint16_t)pcm[0] + (uint16_t)pcm[samples - 1];
}

static audio_mixer *make_mixer(uint8_t c)
{
    audio_mixer_config cfg;

    audio_mixer_config_init(&cfg);
    cfg.mode = (c & 1) ? AUDIO_MIX_PER_LISTENER : AUDIO_MIX_SHARED;
    cfg.codec = (c & 2) ? AUDIO_CODEC_VOIP : AUDIO_CODEC_LOWDELAY;
    cfg.max_speakers = 1 + (c >> 2) % 3;
    cfg.complexity = 0; /* fuzz the logic, not the encoder's search */
    cfg.min_hold_ms = 100;
    cfg.release_ms = 100;
    return audio_mixer_new(&cfg);
}

static void tick(audio_mixer *m, int64_t now, fuzz_state *st)
{
    audio_speaker top[AUDIO_MAX_ACTIVE];
    size_t n;

    memset(st->got, 0, sizeof(st->got));
    audio_mixer_tick(m, now, emit_cb, st);
    n = audio_mixer_active_speakers(m, top, AUDIO_MAX_ACTIVE);
    if (n > AUDIO_MAX_ACTIVE)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_state st = {0};
    audio_mixer *m;
    size_t i = 1;
    int64_t now = 0;

    if (size < 1)
        return 0;
    m = make_mixer(data[0]);
    if (!m)
        abort();
    if (data[0] & 0x80)
        audio_mixer_set_pcm_cb(m, pcm_cb, &st);
    for (uint32_t id = 1; id <= PARTS; id++)
        audio_mixer_add(m, id, id <= 3 ? AUDIO_MAY_SPEAK : 0);
    while (i < size) {
        uint8_t op = data[i++], arg = op >> 2;
        uint32_t id = 1 + arg % PARTS;

        if ((op & 3) == 0 && i + 4 <= size) {
            uint16_t seq = (uint16_t)(data[i] | data[i + 1] << 8);
            size_t len = (size_t)(data[i + 2] | data[i + 3] << 8) % 1400;
            i += 4;
            if (len > size - i)
                len = size - i;
            audio_mixer_push(m, id, seq, 0, data + i, len, now);
            i += len;
        } else if ((op & 3) == 1) {
            now += (int64_t)arg * 4;
            tick(m, now, &st);
        } else if ((op & 3) == 2 && i < size) {
            audio_mixer_set_flags(m, id, data[i++]);
        } else if ((op & 3) == 3) {
            if (audio_mixer_remove(m, id) != AUDIO_OK)
                audio_mixer_add(m, id, AUDIO_MAY_SPEAK);
        }
    }
    for (int t = 0; t < 8; t++) /* drain the jitter buffers */
        tick(m, now += 20, &st);
    audio_mixer_free(m);
    return 0;
}
