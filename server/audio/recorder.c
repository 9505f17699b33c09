/* recorder.c: Ogg Opus recording of a mix through libopusenc (see
 * recorder.h). The app owns the recorder; the mixer's pcm callback feeds
 * it. libopusenc handles the Ogg pages, granule positions and pre-skip. */
#include "server/audio/recorder.h"

#include <stdbool.h>
#include <stdlib.h>

#include <opusenc.h>

struct recorder {
    OggOpusEnc *enc;
    uint64_t samples;
    bool failed;
};

static bool config_ok(const recorder_config *cfg)
{
    int bitrate = cfg->bitrate, complexity = cfg->complexity;

    return cfg->path && cfg->path[0] &&
           (bitrate == 0 || (bitrate >= 6000 && bitrate <= 256000)) &&
           complexity >= -1 && complexity <= 10;
}

static bool add_comment(OggOpusComments *c, const char *tag, const char *val)
{
    return !val || ope_comments_add(c, tag, val) == OPE_OK;
}

audio_error recorder_start(const recorder_config *cfg, recorder **out)
{
    OggOpusComments *comments = NULL;
    OggOpusEnc *enc = NULL;
    audio_error err = AUDIO_ERR_CONFIG;
    int ope_err = OPE_OK;

    *out = NULL;
    if (!config_ok(cfg))
        goto fail;
    comments = ope_comments_create();
    if (!comments)
        abort();
    if (!add_comment(comments, "TITLE", cfg->title) ||
        !add_comment(comments, "KOPA_SESSION", cfg->session_id) ||
        !add_comment(comments, "DATE", cfg->date))
        goto fail;
    enc = ope_encoder_create_file(cfg->path, comments, AUDIO_SAMPLE_RATE, 1, 0,
                                  &ope_err);
    if (ope_err == OPE_ALLOC_FAIL)
        abort();
    if (!enc || ope_err != OPE_OK) {
        err = AUDIO_ERR_IO;
        goto fail;
    }
    ope_encoder_ctl(enc, OPUS_SET_BITRATE(cfg->bitrate ? cfg->bitrate : 32000));
    ope_encoder_ctl(
        enc, OPUS_SET_COMPLEXITY(cfg->complexity < 0 ? 5 : cfg->complexity));
    ope_encoder_ctl(enc, OPUS_SET_SIGNAL(OPUS_SIGNAL_VOICE));
    *out = calloc(1, sizeof(**out));
    if (!*out)
        abort();
    (*out)->enc = enc;
    ope_comments_destroy(comments);
    return AUDIO_OK;

fail:
    if (enc)
        ope_encoder_destroy(enc);
    if (comments)
        ope_comments_destroy(comments);
    return err;
}

audio_error recorder_write(recorder *r, const int16_t *pcm, size_t samples)
{
    if (r->failed)
        return AUDIO_ERR_STATE;
    while (samples > 0) {
        int n = samples > 48000 ? 48000 : (int)samples;
        if (ope_encoder_write(r->enc, pcm, n) != OPE_OK) {
            r->failed = true;
            return AUDIO_ERR_IO;
        }
        r->samples += (uint64_t)n;
        pcm += n;
        samples -= (size_t)n;
    }
    return AUDIO_OK;
}

uint64_t recorder_samples(const recorder *r)
{
    return r->samples;
}

audio_error recorder_stop(recorder *r)
{
    audio_error err = AUDIO_OK;

    if (!r)
        return AUDIO_OK;
    /* libopusenc 0.2.1 asserts when a stream without a single sample is
     * drained (a recording stopped as soon as it started): give it 20 ms
     * of silence, so the file is a valid, silent stream. */
    if (!r->failed && r->samples == 0) {
        static const int16_t silence[AUDIO_FRAME_SAMPLES];
        recorder_write(r, silence, AUDIO_FRAME_SAMPLES);
    }
    if (r->failed || ope_encoder_drain(r->enc) != OPE_OK)
        err = AUDIO_ERR_IO;
    ope_encoder_destroy(r->enc);
    free(r);
    return err;
}
