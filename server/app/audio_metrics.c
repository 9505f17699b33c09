/* audio_metrics: the audio lines of GET /metrics (Prometheus text): mixers
 * and recordings running, packets in, frames decoded, concealed, encoded
 * and forwarded, frames sent, dropped packets by reason, the time spent
 * encoding and the time the 20 ms tick takes. metrics.c appends them to its
 * body. */
#include "server/app/audio_app_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct text {
    char *p;
    size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void put(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (n < 0)
            abort();
        if ((size_t)n < t->cap - t->len) {
            t->len += (size_t)n;
            return;
        }
        t->cap = (t->cap + (size_t)n + 1) * 2;
        t->p = realloc(t->p, t->cap);
        if (t->p == NULL)
            abort();
    }
}

static void metric(text *t, const char *name, const char *type,
                   const char *help, unsigned long long v)
{
    put(t, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name, type,
        name, v);
}

/* Labels of the drop reasons, by audio_error. */
static const char *const reasons[AUDIO_ERR_COUNT] = {
    [AUDIO_ERR_EMPTY] = "empty",
    [AUDIO_ERR_TOO_SHORT] = "too_short",
    [AUDIO_ERR_TOO_LONG] = "too_long",
    [AUDIO_ERR_MALFORMED] = "malformed",
    [AUDIO_ERR_DURATION] = "duration",
    [AUDIO_ERR_CHANNELS] = "stereo",
    [AUDIO_ERR_RATE] = "rate",
    [AUDIO_ERR_NOT_PERMITTED] = "not_speaker",
    [AUDIO_ERR_UNKNOWN_PARTICIPANT] = "unknown_participant",
    [AUDIO_ERR_LATE] = "late",
    [AUDIO_ERR_DUPLICATE] = "duplicate",
    [AUDIO_ERR_OVERFLOW] = "jitter_overflow",
    [AUDIO_ERR_DECODE] = "decode_failed",
    [AUDIO_ERR_ENCODE] = "encode_failed",
};

/* The counters of every mixer, freed ones included. */
static void totals(const app_audio *aa, audio_mixer_stats *sum,
                   size_t *participants)
{
    *sum = aa->retired;
    *participants = 0;
    for (const audio_sess *as = aa->sessions; as; as = as->next) {
        for (const audio_room *r = as->rooms; r; r = r->next) {
            audio_mixer_stats s;
            audio_mixer_get_stats(r->mixer, &s);
            sum->ticks += s.ticks;
            sum->packets_accepted += s.packets_accepted;
            for (int i = 0; i < AUDIO_ERR_COUNT; i++)
                sum->dropped[i] += s.dropped[i];
            sum->frames_decoded += s.frames_decoded;
            sum->frames_concealed += s.frames_concealed;
            sum->frames_encoded += s.frames_encoded;
            sum->encode_ns += s.encode_ns;
            sum->packets_forwarded += s.packets_forwarded;
            sum->packets_emitted += s.packets_emitted;
            *participants += audio_mixer_count(r->mixer);
        }
    }
}

static void drops(text *t, const app_audio *aa, const audio_mixer_stats *s)
{
    put(t, "# HELP kopa_audio_dropped_total Audio packets and frames "
           "dropped, by reason.\n# TYPE kopa_audio_dropped_total counter\n");
    put(t, "kopa_audio_dropped_total{reason=\"bad_header\"} %llu\n",
        (unsigned long long)aa->bad_header);
    for (int e = 1; e < AUDIO_ERR_COUNT; e++)
        if (reasons[e])
            put(t, "kopa_audio_dropped_total{reason=\"%s\"} %llu\n", reasons[e],
                (unsigned long long)(aa->refused[e] + s->dropped[e]));
    put(t, "kopa_audio_dropped_total{reason=\"slow_listener\"} %llu\n",
        (unsigned long long)aa->slow_listener);
    put(t, "kopa_audio_dropped_total{reason=\"recording_backlog\"} %llu\n",
        (unsigned long long)(aa->rec_dropped_samples / AUDIO_FRAME_SAMPLES));
}

char *app__audio_metrics(app *a, size_t *len)
{
    const app_audio *aa = a->audio;
    text t = {malloc(4096), 0, 4096};
    if (t.p == NULL)
        abort();
    audio_mixer_stats s;
    size_t participants;
    totals(aa, &s, &participants);
    metric(&t, "kopa_audio_mixers", "gauge", "Room mixers running.",
           aa->nrooms);
    metric(&t, "kopa_audio_participants", "gauge",
           "Participants in all mixers.", participants);
    metric(&t, "kopa_audio_packets_in_total", "counter",
           "Audio packets accepted into a mixer.", s.packets_accepted);
    metric(&t, "kopa_audio_frames_decoded_total", "counter",
           "Opus frames decoded (concealment included).", s.frames_decoded);
    metric(&t, "kopa_audio_frames_concealed_total", "counter",
           "Lost frames concealed.", s.frames_concealed);
    metric(&t, "kopa_audio_frames_encoded_total", "counter", "Mixes encoded.",
           s.frames_encoded);
    put(&t,
        "# HELP kopa_audio_encode_seconds Time spent in opus_encode, per "
        "mix encoded.\n"
        "# TYPE kopa_audio_encode_seconds summary\n"
        "kopa_audio_encode_seconds_sum %.9f\n"
        "kopa_audio_encode_seconds_count %llu\n",
        (double)s.encode_ns / 1e9, (unsigned long long)s.frames_encoded);
    metric(&t, "kopa_audio_packets_forwarded_total", "counter",
           "Packets forwarded without decoding.", s.packets_forwarded);
    metric(&t, "kopa_audio_frames_out_total", "counter",
           "Audio frames queued to listeners.", aa->frames_out);
    metric(&t, "kopa_audio_speakers_events_total", "counter",
           "Speakers events sent.", aa->speakers_events);
    drops(&t, aa, &s);
    metric(&t, "kopa_audio_ticks_total", "counter", "20 ms ticks run.",
           aa->ticks_total);
    metric(&t, "kopa_audio_ticks_skipped_total", "counter",
           "20 ms ticks skipped after a stall.", aa->ticks_skipped);
    put(&t,
        "# HELP kopa_audio_tick_seconds Time the audio timer takes to "
        "tick every mixer (once, or more after a stall).\n"
        "# TYPE kopa_audio_tick_seconds summary\n"
        "kopa_audio_tick_seconds_sum %.9f\n"
        "kopa_audio_tick_seconds_count %llu\n",
        (double)aa->tick_ns_sum / 1e9, (unsigned long long)aa->tick_runs);
    put(&t,
        "# HELP kopa_audio_tick_seconds_max Longest tick.\n"
        "# TYPE kopa_audio_tick_seconds_max gauge\n"
        "kopa_audio_tick_seconds_max %.9f\n",
        (double)aa->tick_ns_max / 1e9);
    metric(&t, "kopa_recordings_active", "gauge",
           "Recordings whose file is not yet closed.", aa->nrecs);
    metric(&t, "kopa_recordings_total", "counter", "Recordings started.",
           aa->recordings_total);
    metric(&t, "kopa_recordings_failed_total", "counter",
           "Recordings that could not be written.", aa->recordings_failed);
    *len = t.len;
    return t.p;
}
