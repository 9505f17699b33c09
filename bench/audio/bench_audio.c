/* bench_audio.c: CPU cost of kopa_audio's room mixer, side by side with the
 * per-listener encoder design (Janus AudioBridge), in one run.
 *
 * Scenarios: (a) many rooms of 20 with 3 people talking at once; (b) one
 * workshop with 500 listeners and 1, 2 or 3 speakers on stage. Speakers
 * send speech-like synthetic audio encoded by a browser-like Opus encoder
 * beforehand (not timed). The timed part is what the server does every
 * 20 ms: push each speaker's packet and tick every mixer, handing each
 * listener's packet to a callback that only counts bytes. CPU time is this
 * thread's (CLOCK_THREAD_CPUTIME_ID). Output is CSV on stdout.
 *
 * Usage: bench_audio [--smoke] [--ticks N] [--rooms N] [--listeners N]
 *                    [--complexity N] [--codec lowdelay|voip]
 * --smoke runs a tiny size in well under a second (registered as a test;
 * nothing is asserted about time). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <opus.h>

#include "server/audio/audio_mixer.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

#define MAX_VOICES 3

typedef struct bench_opts {
    int ticks;      /* ticks timed in the shared mode */
    int ticks_pl;   /* ticks timed in the per-listener mode (it is slow) */
    int rooms;      /* rooms of 20 in scenario (a) */
    int listeners;  /* workshop audience in scenario (b) */
    int complexity; /* the mixer's encoder complexity */
    audio_codec codec;
} bench_opts;

/* Pre-encoded packets of one synthetic talker. */
typedef struct stream {
    uint8_t *data;
    size_t *off, *len;
    int n;
} stream;

typedef struct result {
    double cpu_us_per_tick;
    double encodes_per_tick, decodes_per_tick;
    uint64_t bytes;
} result;

/* A voiced, syllable-paced harmonic signal with a wandering pitch and a
 * little noise: enough like speech to keep Opus in its speech modes. */
static void make_speech(int voice, int ticks, int16_t *pcm)
{
    double base = 110.0 + 45.0 * voice, phase[12] = {0}, t;
    uint32_t rng = 12345u + (uint32_t)voice * 777u;

    for (int i = 0; i < ticks * AUDIO_FRAME_SAMPLES; i++) {
        double f0, env, v = 0.0;
        t = (double)i / AUDIO_SAMPLE_RATE;
        f0 = base * (1.0 + 0.15 * sin(2 * M_PI * 0.4 * t + voice));
        env = 0.35 + 0.65 * fabs(sin(2 * M_PI * (1.7 + 0.3 * voice) * t));
        for (int h = 0; h < 12; h++) {
            phase[h] += 2 * M_PI * f0 * (h + 1) / AUDIO_SAMPLE_RATE;
            v += sin(phase[h]) / (h + 1);
        }
        rng = rng * 1664525u + 1013904223u;
        v = env * v * 0.12 + ((double)(rng >> 16) / 65536.0 - 0.5) * 0.01;
        pcm[i] = (int16_t)lrint(v * 32767.0);
    }
}

static void stream_make(stream *s, int voice, int ticks)
{
    int16_t *pcm = malloc((size_t)ticks * AUDIO_FRAME_SAMPLES * sizeof(*pcm));
    int err = 0;
    OpusEncoder *enc =
        opus_encoder_create(AUDIO_SAMPLE_RATE, 1, OPUS_APPLICATION_VOIP, &err);
    size_t used = 0;

    if (!pcm || !enc || err != OPUS_OK)
        abort();
    opus_encoder_ctl(enc, OPUS_SET_BITRATE(32000));
    make_speech(voice, ticks, pcm);
    s->n = ticks;
    s->data = malloc((size_t)ticks * AUDIO_MAX_PACKET);
    s->off = malloc((size_t)ticks * sizeof(*s->off));
    s->len = malloc((size_t)ticks * sizeof(*s->len));
    if (!s->data || !s->off || !s->len)
        abort();
    for (int t = 0; t < ticks; t++) {
        int n =
            opus_encode(enc, pcm + (size_t)t * AUDIO_FRAME_SAMPLES,
                        AUDIO_FRAME_SAMPLES, s->data + used, AUDIO_MAX_PACKET);
        if (n <= 1)
            abort();
        s->off[t] = used;
        s->len[t] = (size_t)n;
        used += (size_t)n;
    }
    opus_encoder_destroy(enc);
    free(pcm);
}

static void stream_free(stream *s)
{
    free(s->data);
    free(s->off);
    free(s->len);
}

static void count_cb(void *data, const audio_out *out)
{
    *(uint64_t *)data += out->len;
}

static double thread_cpu_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

/* Runs `rooms` mixers of `size` participants, the first `speakers` of
 * which talk, for `ticks` ticks; returns the cost per tick of all rooms. */
static result run(const bench_opts *o, audio_mix_mode mode, int rooms, int size,
                  int speakers, int ticks, const stream *voices)
{
    audio_mixer_config cfg;
    audio_mixer **m = calloc((size_t)rooms, sizeof(*m));
    audio_mixer_stats st;
    result r = {0};
    double t0, used;
    int64_t now = 0;

    if (!m)
        abort();
    audio_mixer_config_init(&cfg);
    cfg.mode = mode;
    cfg.complexity = o->complexity;
    cfg.codec = o->codec;
    for (int i = 0; i < rooms; i++) {
        m[i] = audio_mixer_new(&cfg);
        if (!m[i])
            abort();
        /* Speakers are on stage; the audience may not speak. */
        for (int p = 0; p < size; p++)
            audio_mixer_add(m[i], (uint32_t)(p + 1),
                            p < speakers ? AUDIO_MAY_SPEAK : 0);
    }
    t0 = thread_cpu_us();
    for (int t = 0; t < ticks; t++, now += AUDIO_FRAME_MS) {
        for (int i = 0; i < rooms; i++) {
            for (int s = 0; s < speakers; s++) {
                const stream *v = &voices[s];
                audio_error e =
                    audio_mixer_push(m[i], (uint32_t)(s + 1), (uint16_t)t,
                                     (uint32_t)t * AUDIO_FRAME_SAMPLES,
                                     v->data + v->off[t], v->len[t], now);
                if (e != AUDIO_OK)
                    abort();
            }
            audio_mixer_tick(m[i], now, count_cb, &r.bytes);
        }
    }
    used = thread_cpu_us() - t0;
    r.cpu_us_per_tick = used / ticks;
    for (int i = 0; i < rooms; i++) {
        audio_mixer_get_stats(m[i], &st);
        r.encodes_per_tick += (double)st.frames_encoded / ticks;
        r.decodes_per_tick += (double)st.frames_decoded / ticks;
        audio_mixer_free(m[i]);
    }
    free(m);
    return r;
}

static void print_row(const char *scenario, const char *mode, int rooms,
                      int participants, int speakers, int ticks,
                      const result *r)
{
    double core = r->cpu_us_per_tick / (AUDIO_FRAME_MS * 1000.0);

    printf("%s,%s,%d,%d,%d,%d,%.1f,%.2f,%.0f,%.1f,%.1f\n", scenario, mode,
           rooms, participants, speakers, ticks, r->cpu_us_per_tick,
           100.0 * core, core > 0 ? participants / core : 0.0,
           r->encodes_per_tick, r->decodes_per_tick);
}

/* Runs one scenario in both modes and prints both rows and their ratio. */
static void compare(const bench_opts *o, const char *scenario, int rooms,
                    int size, int speakers, const stream *voices)
{
    result shared =
        run(o, AUDIO_MIX_SHARED, rooms, size, speakers, o->ticks, voices);
    result per = run(o, AUDIO_MIX_PER_LISTENER, rooms, size, speakers,
                     o->ticks_pl, voices);

    print_row(scenario, "shared", rooms, rooms * size, speakers, o->ticks,
              &shared);
    print_row(scenario, "per_listener", rooms, rooms * size, speakers,
              o->ticks_pl, &per);
    printf("ratio,%s,per_listener_cpu/shared_cpu,%.1f\n", scenario,
           shared.cpu_us_per_tick > 0
               ? per.cpu_us_per_tick / shared.cpu_us_per_tick
               : 0.0);
}

static int parse(int argc, char **argv, bench_opts *o)
{
    *o = (bench_opts){.ticks = 500,
                      .ticks_pl = 25,
                      .rooms = 10,
                      .listeners = 500,
                      .complexity = 5,
                      .codec = AUDIO_CODEC_LOWDELAY};
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int *dst = NULL;
        if (strcmp(a, "--smoke") == 0) {
            *o = (bench_opts){.ticks = 10,
                              .ticks_pl = 4,
                              .rooms = 2,
                              .listeners = 40,
                              .complexity = o->complexity,
                              .codec = o->codec};
            continue;
        }
        if (strcmp(a, "--codec") == 0 && i + 1 < argc) {
            const char *c = argv[++i];
            if (strcmp(c, "voip") == 0)
                o->codec = AUDIO_CODEC_VOIP;
            else if (strcmp(c, "lowdelay") == 0)
                o->codec = AUDIO_CODEC_LOWDELAY;
            else
                return -1;
            continue;
        }
        if (strcmp(a, "--ticks") == 0)
            dst = &o->ticks;
        else if (strcmp(a, "--rooms") == 0)
            dst = &o->rooms;
        else if (strcmp(a, "--listeners") == 0)
            dst = &o->listeners;
        else if (strcmp(a, "--complexity") == 0)
            dst = &o->complexity;
        if (!dst || i + 1 >= argc)
            return -1;
        *dst = atoi(argv[++i]);
        if (dst == &o->ticks)
            o->ticks_pl = o->ticks / 20 > 4 ? o->ticks / 20 : 4;
    }
    if (o->ticks < 1 || o->rooms < 1 || o->listeners < 1 || o->complexity < 0 ||
        o->complexity > 10)
        return -1;
    return 0;
}

int main(int argc, char **argv)
{
    stream voices[MAX_VOICES];
    bench_opts o;
    int n_ticks;

    if (parse(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: bench_audio [--smoke] [--ticks N] "
                        "[--rooms N] [--listeners N] [--complexity 0-10] "
                        "[--codec lowdelay|voip]\n");
        return 2;
    }
    n_ticks = o.ticks > o.ticks_pl ? o.ticks : o.ticks_pl;
    for (int v = 0; v < MAX_VOICES; v++)
        stream_make(&voices[v], v, n_ticks);
    printf("# bench_audio: codec %s, complexity %d, 20 ms ticks; core_pct = "
           "CPU per tick / 20 ms; participants_per_core = participants / "
           "core\n",
           o.codec == AUDIO_CODEC_VOIP ? "voip" : "lowdelay", o.complexity);
    printf("scenario,mode,rooms,participants,speakers,ticks,cpu_us_per_tick,"
           "core_pct,participants_per_core,encodes_per_tick,"
           "decodes_per_tick\n");
    compare(&o, "rooms_of_20_with_3_speakers", o.rooms, 20, 3, voices);
    for (int s = 1; s <= MAX_VOICES; s++) {
        char name[64];
        snprintf(name, sizeof(name), "workshop_%d_listeners_%d_on_stage",
                 o.listeners, s);
        compare(&o, name, 1, o.listeners + s, s, voices);
    }
    for (int v = 0; v < MAX_VOICES; v++)
        stream_free(&voices[v]);
    return 0;
}
