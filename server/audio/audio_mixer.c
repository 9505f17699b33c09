/* audio_mixer.c: a room mixer's configuration, membership, packet intake
 * and queries (see audio_mixer.h). The 20 ms tick lives in
 * audio_mixer_tick.c. Called by the app layer, one mixer per room. */
#include "server/audio/audio_mixer_int.h"

#include <stdlib.h>
#include <string.h>

#include "server/audio/audio_mix.h"
#include "server/audio/audio_packet.h"

#define KNOWN_FLAGS (AUDIO_MAY_SPEAK | AUDIO_LISTEN_ONLY | AUDIO_SEND_ONLY)

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

void audio_mixer_config_init(audio_mixer_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->mode = AUDIO_MIX_SHARED;
    cfg->codec = AUDIO_CODEC_LOWDELAY;
    cfg->max_speakers = 3;
    cfg->complexity = 5;
    cfg->bitrate = 32000;
    cfg->max_packet = AUDIO_MAX_PACKET;
    cfg->max_packet_rate = 75;
    cfg->rate_burst = 25;
    cfg->jitter_delay = 2;
    cfg->jitter_depth = 6;
    cfg->level_threshold_db = -50;
    cfg->switch_margin_db = 6;
    cfg->min_hold_ms = 600;
    cfg->release_ms = 300;
}

static bool in_range(int v, int lo, int hi)
{
    return v >= lo && v <= hi;
}

audio_error audio_mixer_config_check(const audio_mixer_config *cfg)
{
    bool ok = (cfg->mode == AUDIO_MIX_SHARED ||
               cfg->mode == AUDIO_MIX_PER_LISTENER) &&
              (cfg->codec == AUDIO_CODEC_LOWDELAY ||
               cfg->codec == AUDIO_CODEC_VOIP) &&
              in_range(cfg->max_speakers, 1, AUDIO_MAX_ACTIVE) &&
              in_range(cfg->complexity, 0, 10) &&
              in_range(cfg->bitrate, 6000, 128000) &&
              in_range(cfg->max_packet, 2, AUDIO_MAX_PACKET) &&
              in_range(cfg->max_packet_rate, 50, 1000) &&
              in_range(cfg->rate_burst, 1, 1000) &&
              in_range(cfg->jitter_delay, 1, AUDIO_JITTER_MAX_DEPTH) &&
              in_range(cfg->jitter_depth, cfg->jitter_delay,
                       AUDIO_JITTER_MAX_DEPTH) &&
              in_range(cfg->level_threshold_db, -96, 0) &&
              in_range(cfg->switch_margin_db, 0, 60) &&
              in_range(cfg->min_hold_ms, 0, 60000) &&
              in_range(cfg->release_ms, 0, 60000);
    return ok ? AUDIO_OK : AUDIO_ERR_CONFIG;
}

audio_mixer *audio_mixer_new(const audio_mixer_config *cfg)
{
    audio_mixer *m;
    audio_mixer_config defaults;

    if (!cfg) {
        audio_mixer_config_init(&defaults);
        cfg = &defaults;
    }
    if (audio_mixer_config_check(cfg) != AUDIO_OK)
        return NULL;
    m = xcalloc(1, sizeof(*m));
    m->cfg = *cfg;
    m->levels_known = true;
    return m;
}

static void voice_free(audio_voice *v)
{
    if (!v)
        return;
    audio_jitter_free(v->jitter);
    opus_decoder_destroy(v->decoder);
    if (v->minus_encoder)
        opus_encoder_destroy(v->minus_encoder);
    free(v);
}

static void participant_free(audio_participant *p)
{
    voice_free(p->voice);
    if (p->own_encoder)
        opus_encoder_destroy(p->own_encoder);
    free(p);
}

void audio_mixer_free(audio_mixer *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_parts; i++)
        participant_free(m->parts[i]);
    free(m->parts);
    if (m->shared_encoder)
        opus_encoder_destroy(m->shared_encoder);
    free(m->slots);
    free(m);
}

OpusEncoder *audio_mixer__encoder_new(const audio_mixer *m)
{
    int err = OPUS_OK;
    int app = m->cfg.codec == AUDIO_CODEC_VOIP
                  ? OPUS_APPLICATION_VOIP
                  : OPUS_APPLICATION_RESTRICTED_LOWDELAY;
    OpusEncoder *enc = opus_encoder_create(AUDIO_SAMPLE_RATE, 1, app, &err);
    if (!enc || err != OPUS_OK)
        abort();
    opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(m->cfg.complexity));
    opus_encoder_ctl(enc, OPUS_SET_BITRATE(m->cfg.bitrate));
    return enc;
}

bool audio_mixer__speaks(const audio_participant *p)
{
    return (p->flags & AUDIO_MAY_SPEAK) && !(p->flags & AUDIO_LISTEN_ONLY);
}

bool audio_mixer__listens(const audio_participant *p)
{
    return !(p->flags & AUDIO_SEND_ONLY);
}

void audio_mixer__deactivate(audio_mixer *m, audio_participant *p)
{
    int i = p->active;

    if (i < 0)
        return;
    m->n_active--;
    m->active[i] = m->active[m->n_active];
    m->active[i]->active = i;
    m->active[m->n_active] = NULL;
    p->active = -1;
}

/* Returns the index of id in m->parts, or where it would go (with *found
 * false). */
static size_t find(const audio_mixer *m, uint32_t id, bool *found)
{
    size_t lo = 0, hi = m->n_parts;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->parts[mid]->id < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < m->n_parts && m->parts[lo]->id == id;
    return lo;
}

static audio_participant *lookup(const audio_mixer *m, uint32_t id)
{
    bool found;
    size_t i = find(m, id, &found);
    return found ? m->parts[i] : NULL;
}

static bool flags_valid(unsigned flags)
{
    if (flags & ~(unsigned)KNOWN_FLAGS)
        return false;
    return !((flags & AUDIO_LISTEN_ONLY) && (flags & AUDIO_SEND_ONLY));
}

audio_error audio_mixer_add(audio_mixer *m, uint32_t participant_id,
                            unsigned flags)
{
    audio_participant *p;
    bool found;
    size_t at;

    if (participant_id == 0)
        return AUDIO_ERR_BAD_ID;
    if (!flags_valid(flags))
        return AUDIO_ERR_FLAGS;
    at = find(m, participant_id, &found);
    if (found)
        return AUDIO_ERR_EXISTS;
    if (m->n_parts == m->cap_parts) {
        m->cap_parts = m->cap_parts ? m->cap_parts * 2 : 8;
        m->parts = realloc(m->parts, m->cap_parts * sizeof(*m->parts));
        if (!m->parts)
            abort();
    }
    p = xcalloc(1, sizeof(*p));
    p->id = participant_id;
    p->flags = flags;
    p->active = -1;
    memmove(m->parts + at + 1, m->parts + at,
            (m->n_parts - at) * sizeof(*m->parts));
    m->parts[at] = p;
    m->n_parts++;
    return AUDIO_OK;
}

audio_error audio_mixer_set_flags(audio_mixer *m, uint32_t participant_id,
                                  unsigned flags)
{
    audio_participant *p = lookup(m, participant_id);

    if (!p)
        return AUDIO_ERR_UNKNOWN_PARTICIPANT;
    if (!flags_valid(flags))
        return AUDIO_ERR_FLAGS;
    p->flags = flags;
    if (!audio_mixer__speaks(p)) {
        audio_mixer__deactivate(m, p);
        if (p->voice)
            audio_jitter_reset(p->voice->jitter);
    }
    return AUDIO_OK;
}

audio_error audio_mixer_remove(audio_mixer *m, uint32_t participant_id)
{
    bool found;
    size_t at = find(m, participant_id, &found);

    if (!found)
        return AUDIO_ERR_UNKNOWN_PARTICIPANT;
    audio_mixer__deactivate(m, m->parts[at]);
    participant_free(m->parts[at]);
    memmove(m->parts + at, m->parts + at + 1,
            (m->n_parts - at - 1) * sizeof(*m->parts));
    m->n_parts--;
    return AUDIO_OK;
}

size_t audio_mixer_count(const audio_mixer *m)
{
    return m->n_parts;
}

/* Token bucket: max_packet_rate per second, rate_burst deep. Returns true
 * and takes a token if p may send a packet at now_ms. */
static bool take_token(const audio_mixer *m, audio_participant *p,
                       int64_t now_ms)
{
    const int64_t cost = 1000, full = (int64_t)m->cfg.rate_burst * cost;
    int64_t elapsed;

    if (!p->tokens_init) {
        p->tokens_init = true;
        p->tokens = full;
        p->tokens_ms = now_ms;
    }
    elapsed = now_ms - p->tokens_ms;
    if (elapsed > 0) {
        if (elapsed > 100000)
            elapsed = 100000;
        p->tokens += elapsed * m->cfg.max_packet_rate;
        if (p->tokens > full)
            p->tokens = full;
        p->tokens_ms = now_ms;
    }
    if (p->tokens < cost)
        return false;
    p->tokens -= cost;
    return true;
}

static audio_voice *voice_new(const audio_mixer *m)
{
    int err = OPUS_OK;
    audio_voice *v = xcalloc(1, sizeof(*v));

    v->jitter = audio_jitter_new(m->cfg.jitter_delay, m->cfg.jitter_depth,
                                 (size_t)m->cfg.max_packet);
    v->decoder = opus_decoder_create(AUDIO_SAMPLE_RATE, 1, &err);
    if (!v->jitter || !v->decoder || err != OPUS_OK)
        abort();
    v->level_db = AUDIO_MIX_SILENCE_DB;
    return v;
}

static audio_error admit(audio_mixer *m, audio_participant *p, uint16_t seq,
                         const uint8_t *pkt, size_t len, int64_t now_ms)
{
    audio_error err;
    unsigned overflow = 0;

    if (!audio_mixer__speaks(p))
        return AUDIO_ERR_NOT_PERMITTED;
    err = audio_packet_check(pkt, len, (size_t)m->cfg.max_packet);
    if (err != AUDIO_OK)
        return err;
    if (!take_token(m, p, now_ms))
        return AUDIO_ERR_RATE;
    if (!p->voice)
        p->voice = voice_new(m);
    err = audio_jitter_put(p->voice->jitter, seq, pkt, len, &overflow);
    m->stats.dropped[AUDIO_ERR_OVERFLOW] += overflow;
    return err;
}

audio_error audio_mixer_push(audio_mixer *m, uint32_t participant_id,
                             uint16_t seq, uint32_t ts, const uint8_t *pkt,
                             size_t len, int64_t now_ms)
{
    audio_participant *p = lookup(m, participant_id);
    audio_error err =
        p ? admit(m, p, seq, pkt, len, now_ms) : AUDIO_ERR_UNKNOWN_PARTICIPANT;

    (void)ts;
    if (err == AUDIO_OK)
        m->stats.packets_accepted++;
    else
        m->stats.dropped[err]++;
    return err;
}

void audio_mixer_set_pcm_cb(audio_mixer *m, audio_mixer_pcm_cb cb, void *data)
{
    m->pcm_cb = cb;
    m->pcm_data = cb ? data : NULL;
}

size_t audio_mixer_active_speakers(const audio_mixer *m, audio_speaker *out,
                                   size_t cap)
{
    size_t n = 0;

    for (int i = 0; i < m->n_active; i++) {
        const audio_participant *p = m->active[i];
        audio_speaker s = {
            .participant_id = p->id,
            .level_db = AUDIO_MIX_SILENCE_DB,
            .level_known = m->levels_known,
        };
        if (!m->levels_known)
            s.level_db = 0.0f;
        else if (p->voice)
            s.level_db = p->voice->level_db;
        /* Insertion sort, loudest first (then by id); K is at most 8. */
        size_t j = n < cap ? n : cap;
        while (j > 0 && (out[j - 1].level_db < s.level_db ||
                         (out[j - 1].level_db == s.level_db &&
                          out[j - 1].participant_id > s.participant_id))) {
            if (j < cap)
                out[j] = out[j - 1];
            j--;
        }
        if (j < cap)
            out[j] = s;
        n++;
    }
    return n;
}

void audio_mixer_get_stats(const audio_mixer *m, audio_mixer_stats *out)
{
    *out = m->stats;
}
