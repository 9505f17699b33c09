/* audio_mixer_tick.c: the mixer's 20 ms tick (see audio_mixer.h), called
 * by the app's room timer. In order: pop one frame per speaker from its
 * jitter buffer; decode it (PLC or FEC for a gap) and update its level;
 * keep the loudest K speakers with hysteresis; hand the full mix to the
 * recorder callback; then give each listener one packet: a forwarded
 * packet, the shared mix, or its "everyone but me" mix.
 *
 * A room of exactly two (in the shared mode) skips decoding and encoding:
 * each hears the other's packets as they came, unless a recorder needs the
 * PCM. Encoders and decoders that skipped a tick are reset before use, so a
 * stream that pauses and resumes starts clean. */
#include "server/audio/audio_mixer_int.h"

#include <stdlib.h>
#include <string.h>

#include "server/audio/audio_mix.h"

/* How fast a level falls once a speaker goes quiet (dB per 20 ms tick). */
#define LEVEL_DECAY_DB 2.0f

/* Where a listener's packet comes from in this tick: a slot index, or
 * NONE_YET (not made yet) or NOTHING (made, and there is nothing). */
#define NONE_YET (-1)
#define NOTHING (-2)

typedef struct tick_ctx {
    audio_mixer *m;
    audio_mixer_emit_cb emit;
    void *data;
    int shared;                    /* slot of the shared stream */
    int forward[AUDIO_MAX_ACTIVE]; /* slot of active[i]'s forwarded packet */
} tick_ctx;

static void ensure_slots(audio_mixer *m)
{
    size_t need = m->cfg.mode == AUDIO_MIX_PER_LISTENER
                      ? m->n_parts
                      : 1 + 2 * (size_t)m->cfg.max_speakers + 2;

    m->n_slots = 0;
    if (need <= m->cap_slots)
        return;
    free(m->slots);
    m->slots = malloc(need * sizeof(*m->slots));
    if (!m->slots)
        abort();
    m->cap_slots = need;
}

static int take_slot(audio_mixer *m)
{
    if (m->n_slots >= m->cap_slots)
        abort(); /* ensure_slots() sized this tick's needs: a logic error */
    m->slots[m->n_slots].len = 0;
    return (int)m->n_slots++;
}

static void pop_all(audio_mixer *m)
{
    for (size_t i = 0; i < m->n_parts; i++) {
        audio_participant *p = m->parts[i];
        audio_voice *v = p->voice;
        audio_jitter_frame fr;
        unsigned overflow = 0;

        if (!v)
            continue;
        v->decoded = false;
        v->pkt = NULL;
        v->pkt_len = 0;
        v->state = AUDIO_JITTER_IDLE;
        if (!audio_mixer__speaks(p))
            continue;
        v->state = audio_jitter_pop(v->jitter, &fr, &overflow);
        m->stats.dropped[AUDIO_ERR_OVERFLOW] += overflow;
        if (v->state == AUDIO_JITTER_PACKET) {
            v->pkt = fr.data;
            v->pkt_len = fr.len;
        } else if (v->state == AUDIO_JITTER_MISSING) {
            v->pkt = fr.next; /* FEC source, if buffered */
            v->pkt_len = fr.next_len;
        }
    }
}

static void decode_voice(audio_mixer *m, audio_voice *v)
{
    int n = -1;

    if (v->decoder_tick + 1 != m->tick)
        opus_decoder_ctl(v->decoder, OPUS_RESET_STATE);
    v->decoder_tick = m->tick;
    if (v->state == AUDIO_JITTER_PACKET) {
        n = opus_decode(v->decoder, v->pkt, (opus_int32)v->pkt_len, v->pcm,
                        AUDIO_FRAME_SAMPLES, 0);
        if (n != AUDIO_FRAME_SAMPLES)
            m->stats.dropped[AUDIO_ERR_DECODE]++;
    }
    if (n != AUDIO_FRAME_SAMPLES) {
        /* A gap, or a packet libopus refused: rebuild from the next
         * packet's in-band FEC if there is one, else plain PLC (libopus
         * falls back to PLC itself when the next packet has no FEC). */
        if (v->state == AUDIO_JITTER_MISSING && v->pkt)
            n = opus_decode(v->decoder, v->pkt, (opus_int32)v->pkt_len, v->pcm,
                            AUDIO_FRAME_SAMPLES, 1);
        else
            n = opus_decode(v->decoder, NULL, 0, v->pcm, AUDIO_FRAME_SAMPLES,
                            0);
        m->stats.frames_concealed++;
    }
    m->stats.frames_decoded++;
    if (n != AUDIO_FRAME_SAMPLES)
        memset(v->pcm, 0, sizeof(v->pcm));
    v->decoded = true;
}

static void decode_all(audio_mixer *m)
{
    for (size_t i = 0; i < m->n_parts; i++) {
        audio_voice *v = m->parts[i]->voice;
        float db;

        if (!v)
            continue;
        if (v->state == AUDIO_JITTER_IDLE) {
            v->level_db = AUDIO_MIX_SILENCE_DB;
            continue;
        }
        decode_voice(m, v);
        db = audio_mix_level_db(v->pcm, AUDIO_FRAME_SAMPLES);
        v->level_db = db > v->level_db - LEVEL_DECAY_DB
                          ? db
                          : v->level_db - LEVEL_DECAY_DB;
    }
}

static void activate(audio_mixer *m, audio_participant *p, int64_t now_ms)
{
    p->active = m->n_active;
    m->active[m->n_active++] = p;
    p->active_since_ms = now_ms;
    p->loud_ms = now_ms;
}

/* Drops active speakers who stopped, lost permission, or stayed under the
 * threshold for release_ms. */
static void release_quiet(audio_mixer *m, int64_t now_ms)
{
    for (int i = m->n_active - 1; i >= 0; i--) {
        audio_participant *p = m->active[i];
        audio_voice *v = p->voice;

        if (!audio_mixer__speaks(p) || !v || !v->decoded)
            audio_mixer__deactivate(m, p);
        else if (v->level_db >= (float)m->cfg.level_threshold_db)
            p->loud_ms = now_ms;
        else if (now_ms - p->loud_ms >= m->cfg.release_ms)
            audio_mixer__deactivate(m, p);
    }
}

/* Returns the loudest inactive speaker above the threshold, or NULL. */
static audio_participant *loudest_candidate(const audio_mixer *m)
{
    audio_participant *best = NULL;

    for (size_t i = 0; i < m->n_parts; i++) {
        audio_participant *p = m->parts[i];
        audio_voice *v = p->voice;

        if (p->active >= 0 || !v || !v->decoded || !audio_mixer__speaks(p) ||
            v->level_db < (float)m->cfg.level_threshold_db)
            continue;
        if (!best || v->level_db > best->voice->level_db)
            best = p;
    }
    return best;
}

/* Returns the quietest active speaker held at least min_hold_ms, or NULL. */
static audio_participant *weakest_replaceable(const audio_mixer *m,
                                              int64_t now_ms)
{
    audio_participant *weak = NULL;

    for (int i = 0; i < m->n_active; i++) {
        audio_participant *p = m->active[i];

        if (now_ms - p->active_since_ms < m->cfg.min_hold_ms)
            continue;
        if (!weak || p->voice->level_db < weak->voice->level_db)
            weak = p;
    }
    return weak;
}

/* Keeps the loudest K speakers. A newcomer takes a free place, or replaces
 * the quietest held speaker only when louder by more than the margin: the
 * set changes only on a clear difference, so it does not flap. */
static void select_active(audio_mixer *m, int64_t now_ms)
{
    release_quiet(m, now_ms);
    /* A room that was two may hold more than K: keep the loudest. */
    while (m->n_active > m->cfg.max_speakers) {
        audio_participant *weak = m->active[0];
        for (int i = 1; i < m->n_active; i++)
            if (m->active[i]->voice->level_db < weak->voice->level_db)
                weak = m->active[i];
        audio_mixer__deactivate(m, weak);
    }
    /* Each round activates one speaker; K + parts bounds the rounds. */
    for (size_t round = 0; round < m->n_parts + AUDIO_MAX_ACTIVE; round++) {
        audio_participant *c = loudest_candidate(m), *w;

        if (!c)
            break;
        if (m->n_active < m->cfg.max_speakers) {
            activate(m, c, now_ms);
            continue;
        }
        w = weakest_replaceable(m, now_ms);
        if (!w || !(c->voice->level_db >
                    w->voice->level_db + (float)m->cfg.switch_margin_db))
            break;
        audio_mixer__deactivate(m, w);
        activate(m, c, now_ms);
    }
}

/* In a room of two, the active set is whoever has a frame. */
static void select_all_sending(audio_mixer *m, int64_t now_ms)
{
    for (size_t i = 0; i < m->n_parts; i++) {
        audio_participant *p = m->parts[i];
        bool sending = audio_mixer__speaks(p) && p->voice &&
                       p->voice->state != AUDIO_JITTER_IDLE;

        if (p->voice && !m->levels_known)
            p->voice->level_db = AUDIO_MIX_SILENCE_DB;

        if (sending && p->active < 0 && m->n_active < AUDIO_MAX_ACTIVE)
            activate(m, p, now_ms);
        else if (!sending)
            audio_mixer__deactivate(m, p);
    }
}

static void run_pcm_cb(audio_mixer *m)
{
    memset(m->acc, 0, sizeof(m->acc));
    for (size_t i = 0; i < m->n_parts; i++) {
        audio_voice *v = m->parts[i]->voice;
        if (v && v->decoded)
            audio_mix_add(m->acc, v->pcm, AUDIO_FRAME_SAMPLES);
    }
    audio_mix_clamp(m->pcm_out, m->acc, NULL, AUDIO_FRAME_SAMPLES);
    m->pcm_cb(m->pcm_data, m->pcm_out, AUDIO_FRAME_SAMPLES);
}

static void emit_slot(tick_ctx *t, const audio_participant *listener,
                      audio_stream_kind kind, uint32_t stream_id, int slot)
{
    audio_mixer *m = t->m;
    audio_out out = {
        .listener_id = listener->id,
        .kind = kind,
        .stream_id = stream_id,
        .seq = (uint16_t)m->tick,
        .ts = (uint32_t)(m->tick * AUDIO_FRAME_SAMPLES),
        .data = m->slots[slot].data,
        .len = m->slots[slot].len,
    };
    m->stats.packets_emitted++;
    if (t->emit)
        t->emit(t->data, &out);
}

/* Encodes m->pcm_out with enc into a new slot, timing opus_encode() with
 * the config's clock when there is one. Returns the slot or NOTHING.
 * *last_tick tracks when enc last ran, to reset it after a gap. */
static int encode_slot(audio_mixer *m, OpusEncoder *enc, uint64_t *last_tick)
{
    int slot = take_slot(m), n;
    uint64_t start;

    if (*last_tick + 1 != m->tick)
        opus_encoder_ctl(enc, OPUS_RESET_STATE);
    *last_tick = m->tick;
    start = m->cfg.now_ns ? m->cfg.now_ns(m->cfg.now_data) : 0;
    n = opus_encode(enc, m->pcm_out, AUDIO_FRAME_SAMPLES, m->slots[slot].data,
                    AUDIO_MAX_PACKET);
    if (m->cfg.now_ns) {
        uint64_t end = m->cfg.now_ns(m->cfg.now_data);
        m->stats.encode_ns += end > start ? end - start : 0;
    }
    m->stats.frames_encoded++;
    if (n <= 0) {
        m->stats.dropped[AUDIO_ERR_ENCODE]++;
        return NOTHING;
    }
    m->slots[slot].len = (size_t)n;
    return slot;
}

/* Returns the slot holding active speaker i's packet of this tick, copied
 * once however many listeners get it, or NOTHING during a gap. */
static int forward_slot(tick_ctx *t, int i)
{
    audio_mixer *m = t->m;
    audio_voice *v = m->active[i]->voice;
    int slot;

    if (t->forward[i] != NONE_YET)
        return t->forward[i];
    if (v->state != AUDIO_JITTER_PACKET) {
        t->forward[i] = NOTHING;
        return NOTHING;
    }
    slot = take_slot(m);
    memcpy(m->slots[slot].data, v->pkt, v->pkt_len);
    m->slots[slot].len = v->pkt_len;
    m->stats.packets_forwarded++;
    t->forward[i] = slot;
    return slot;
}

static void sum_active(audio_mixer *m)
{
    memset(m->acc, 0, sizeof(m->acc));
    for (int i = 0; i < m->n_active; i++)
        audio_mix_add(m->acc, m->active[i]->voice->pcm, AUDIO_FRAME_SAMPLES);
}

/* A listener who is not an active speaker: the shared stream. */
static void give_shared(tick_ctx *t, const audio_participant *l)
{
    audio_mixer *m = t->m;

    if (m->n_active == 1) {
        int slot = forward_slot(t, 0);
        if (slot >= 0)
            emit_slot(t, l, AUDIO_STREAM_FORWARD, m->active[0]->id, slot);
        return;
    }
    if (t->shared == NONE_YET) {
        if (!m->shared_encoder)
            m->shared_encoder = audio_mixer__encoder_new(m);
        audio_mix_clamp(m->pcm_out, m->acc, NULL, AUDIO_FRAME_SAMPLES);
        t->shared = encode_slot(m, m->shared_encoder, &m->shared_tick);
    }
    if (t->shared >= 0)
        emit_slot(t, l, AUDIO_STREAM_MIX, 0, t->shared);
}

/* An active speaker: the others, never themselves. */
static void give_minus(tick_ctx *t, audio_participant *l)
{
    audio_mixer *m = t->m;
    audio_voice *v = l->voice;
    int slot;

    if (m->n_active == 1)
        return; /* alone: nothing to hear */
    if (m->n_active == 2) {
        int other = l->active == 0 ? 1 : 0;
        slot = forward_slot(t, other);
        if (slot >= 0)
            emit_slot(t, l, AUDIO_STREAM_FORWARD, m->active[other]->id, slot);
        return;
    }
    if (!v->minus_encoder)
        v->minus_encoder = audio_mixer__encoder_new(m);
    audio_mix_clamp(m->pcm_out, m->acc, v->pcm, AUDIO_FRAME_SAMPLES);
    slot = encode_slot(m, v->minus_encoder, &v->minus_tick);
    if (slot >= 0)
        emit_slot(t, l, AUDIO_STREAM_MIX_MINUS, l->id, slot);
}

/* The per-listener design: every listener who hears anyone gets an encode
 * of its own. */
static void give_own(tick_ctx *t, audio_participant *l)
{
    audio_mixer *m = t->m;
    const int16_t *minus = l->active >= 0 ? l->voice->pcm : NULL;
    int slot;

    if (m->n_active - (l->active >= 0 ? 1 : 0) == 0)
        return;
    if (!l->own_encoder)
        l->own_encoder = audio_mixer__encoder_new(m);
    audio_mix_clamp(m->pcm_out, m->acc, minus, AUDIO_FRAME_SAMPLES);
    slot = encode_slot(m, l->own_encoder, &l->own_tick);
    if (slot >= 0)
        emit_slot(t, l, AUDIO_STREAM_OWN, l->id, slot);
}

/* A room of two: each hears the other's packet as it came. */
static void give_forwarded(tick_ctx *t)
{
    audio_mixer *m = t->m;

    for (size_t i = 0; i < m->n_parts; i++) {
        audio_participant *l = m->parts[i], *o = m->parts[1 - i];
        if (!audio_mixer__listens(l) || o->active < 0)
            continue;
        int slot = forward_slot(t, o->active);
        if (slot >= 0)
            emit_slot(t, l, AUDIO_STREAM_FORWARD, o->id, slot);
    }
}

void audio_mixer_tick(audio_mixer *m, int64_t now_ms, audio_mixer_emit_cb emit,
                      void *data)
{
    tick_ctx t = {.m = m, .emit = emit, .data = data, .shared = NONE_YET};
    bool pair = m->cfg.mode == AUDIO_MIX_SHARED && m->n_parts == 2;

    for (int i = 0; i < AUDIO_MAX_ACTIVE; i++)
        t.forward[i] = NONE_YET;
    m->tick++;
    m->stats.ticks++;
    ensure_slots(m);
    pop_all(m);
    m->levels_known = !pair || m->pcm_cb;
    if (m->levels_known)
        decode_all(m);
    if (m->pcm_cb)
        run_pcm_cb(m);
    if (pair) {
        select_all_sending(m, now_ms);
        give_forwarded(&t);
        return;
    }
    select_active(m, now_ms);
    if (m->n_active == 0)
        return;
    sum_active(m);
    for (size_t i = 0; i < m->n_parts; i++) {
        audio_participant *l = m->parts[i];
        if (!audio_mixer__listens(l))
            continue;
        if (m->cfg.mode == AUDIO_MIX_PER_LISTENER)
            give_own(&t, l);
        else if (l->active >= 0)
            give_minus(&t, l);
        else
            give_shared(&t, l);
    }
}
