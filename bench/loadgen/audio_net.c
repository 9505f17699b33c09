/* audio_net: the load generator's audio scenario (audio_net.h). Every
 * speaker's voice is a few seconds of a tone with a slow swell, encoded
 * once at start with libopus (48 kHz mono, 20 ms packets) and looped with
 * increasing seq and timestamp (docs/protocol.md section 8.2), each
 * speaker on its own absolute 20 ms grid at a random phase. Listeners
 * count the frames the server sends them and the seq numbers skipped,
 * without decoding (dialect_kopa.c). A workshop is a session whose
 * programme entry has kind workshop: its host (a coordinator here) adds
 * the entry before the audience joins and puts the other speakers on the
 * stage (sections 10.5 and 10.8). Called by scenario.c; drives lg.c. */
#define _GNU_SOURCE
#include "audio_net.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <opus.h>

#include "dialect.h"
#include "procstat.h"
#include "srvmetrics.h"

#define TICK_US 20000
#define FRAME 960             /* samples per 20 ms at 48 kHz */
#define LOOP_FRAMES 150       /* 3 s of tone, looped */
#define OPUS_MAX 1275         /* the longest packet section 8.1 allows */
#define SKIP_US 100000        /* a speaker this far behind skips (a pause) */
#define WORKSHOP_BASE 1000000 /* user ids of the workshop: u1000000... */
#define US(s) ((int64_t)((s)*1e6))

static const char csv_header[] =
    "server,case,rooms,members,speakers,listeners,participants,seconds,"
    "ticks,server_cpu_s,server_util,cpu_ms_per_tick,participants_per_core,"
    "core_pct,packets_sent,frames_expected,frames_received,short_pct,"
    "seq_gaps,dup,silent_receivers,server_packets_in,server_dropped,"
    "server_slow_listener,server_concealed,server_ticks_skipped,"
    "server_tick_ms,send_late,send_late_max_ms,send_skipped,errors,"
    "loadgen_util,server_wait_s,rss_kb,connect_ms\n";

/* One speaker's looped packets. */
typedef struct voice {
    uint8_t *data;
    size_t off[LOOP_FRAMES];
    uint16_t len[LOOP_FRAMES];
} voice;

/* The server's own audio counters at one moment (-1: not known). */
typedef struct srv {
    double packets_in, dropped, slow, concealed, skipped, tick_sum, tick_n;
} srv;

typedef struct snap {
    int64_t t;
    double cpu, wait, self;
    long rss;
    lg_counts n;
    srv m;
} snap;

typedef struct an {
    lg g;
    const scenario_opts *o;
    const char *name; /* rooms or workshop */
    int workshop;
    int rooms, size, speakers; /* speakers per room */
    int *spk;                  /* connection indices of the speakers */
    int nspk;
    int sending;
    char prefix[64];     /* of its session names */
    uint64_t *frames_at; /* each connection's audio_frames at the start */
    uint64_t late, skipped;
    int64_t late_max_us;
    double connect_ms;
} an;

static voice voices[AUDIO_NET_MAX_SPEAKERS];

/* ---------------------------------------------------------------------
 * The voices. */

/* Encodes voice v: a tone of 200 + 70 v Hz swelling once a second, whole
 * cycles over the loop so that it joins up. Returns 0, or -1. */
static int voice_make(int v)
{
    int err = 0, rc = -1;
    int16_t pcm[FRAME];
    voice *vo = &voices[v];
    OpusEncoder *e = opus_encoder_create(48000, 1, OPUS_APPLICATION_VOIP, &err);
    vo->data = malloc((size_t)LOOP_FRAMES * OPUS_MAX);
    if (e == NULL || vo->data == NULL)
        goto fail;
    double hz = 200.0 + 70.0 * v;
    size_t off = 0;
    for (int f = 0; f < LOOP_FRAMES; f++) {
        for (int i = 0; i < FRAME; i++) {
            double t = (double)(f * FRAME + i) / 48000.0;
            double swell = 0.6 + 0.4 * sin(2 * M_PI * t);
            pcm[i] = (int16_t)(8000.0 * swell * sin(2 * M_PI * hz * t));
        }
        int n = opus_encode(e, pcm, FRAME, vo->data + off, OPUS_MAX);
        if (n < 2)
            goto fail;
        vo->off[f] = off;
        vo->len[f] = (uint16_t)n;
        off += (size_t)n;
    }
    rc = 0;
fail:
    if (e)
        opus_encoder_destroy(e);
    if (rc != 0)
        fprintf(stderr, "loadgen: cannot encode Opus (%s)\n",
                opus_strerror(err));
    return rc;
}

static void voices_free(void)
{
    for (int v = 0; v < AUDIO_NET_MAX_SPEAKERS; v++) {
        free(voices[v].data);
        voices[v].data = NULL;
    }
}

/* ---------------------------------------------------------------------
 * Sending at the real pace. */

/* Sends c's next packet of voice v (section 8.2). */
static void send_packet(an *a, conn *c, int v)
{
    const voice *vo = &voices[v];
    uint8_t buf[8 + OPUS_MAX];
    int k = (int)(c->audio_count % LOOP_FRAMES);
    uint32_t ts = c->audio_count * FRAME;
    buf[0] = 1;
    buf[1] = 0;
    buf[2] = (uint8_t)(c->audio_count >> 8);
    buf[3] = (uint8_t)c->audio_count;
    buf[4] = (uint8_t)(ts >> 24);
    buf[5] = (uint8_t)(ts >> 16);
    buf[6] = (uint8_t)(ts >> 8);
    buf[7] = (uint8_t)ts;
    memcpy(buf + 8, vo->data + vo->off[k], vo->len[k]);
    lg_send_binary(&a->g, c, buf, 8 + (size_t)vo->len[k]);
    a->g.n.audio_sent++;
}

/* Sends every packet that is due. A speaker held back more than SKIP_US
 * (the load generator was busy) moves seq and timestamp on over the time
 * lost, as a client does after a pause, and counts them as skipped. */
static void send_due(an *a, int64_t now)
{
    for (int i = 0; i < a->nspk; i++) {
        conn *c = &a->g.conns[a->spk[i]];
        if (c->state != CONN_READY)
            continue;
        while (c->next_send_us <= now) {
            int64_t late = now - c->next_send_us;
            if (late > SKIP_US) {
                int64_t n = late / TICK_US;
                c->audio_count += (uint32_t)n;
                c->next_send_us += n * TICK_US;
                a->skipped += (uint64_t)n;
                continue;
            }
            if (late > a->late_max_us)
                a->late_max_us = late;
            if (late >= TICK_US)
                a->late++;
            send_packet(a, c, c->slot % AUDIO_NET_MAX_SPEAKERS);
            c->audio_count++;
            c->next_send_us += TICK_US;
        }
    }
}

static void start_sending(an *a)
{
    int64_t now = lg_now_us();
    for (int i = 0; i < a->nspk; i++) {
        conn *c = &a->g.conns[a->spk[i]];
        c->next_send_us = now + (int64_t)((double)rand() / RAND_MAX * TICK_US);
        c->audio_count = (uint32_t)rand() & 0xffff;
    }
    a->sending = 1;
}

/* Runs the loop until until_us or until done(a). Returns 1 when done, 0
 * at until_us, -1 past the deadline or when epoll fails. */
static int run_until(an *a, int64_t until_us, int (*done)(an *))
{
    for (;;) {
        int64_t now = lg_now_us();
        if (done && done(a))
            return 1;
        if (now >= a->o->deadline_us)
            return -1;
        if (now >= until_us)
            return 0;
        if (a->sending)
            send_due(a, now);
        if (lg_poll(&a->g, 1) < 0)
            return -1;
    }
}

static int none_opening(an *a)
{
    return a->g.busy == 0;
}

/* Opens connections [from, to), at most o->concurrency at once, and waits
 * until none is opening. Returns -1 past the deadline. */
static int open_range(an *a, int from, int to)
{
    int next = from;
    while (next < to) {
        while (next < to && a->g.busy < a->o->concurrency)
            lg_open(&a->g, &a->g.conns[next++]);
        if (lg_poll(&a->g, 1) < 0 || lg_now_us() >= a->o->deadline_us)
            return -1;
    }
    return run_until(a, a->o->deadline_us, none_opening) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------------
 * The workshop: the programme entry and the stage. */

static int answered(an *a)
{
    return a->g.n.answers > 0 || a->g.n.errors > 0;
}

static int stage_ready(an *a)
{
    for (int i = 1; i < a->speakers; i++)
        if (!a->g.conns[i].may_speak)
            return a->g.n.errors > 0;
    return 1;
}

/* The host (connection 0, joined) makes the session a workshop it hosts.
 * Returns 0, or -1 when the server refused or did not answer. */
static int make_workshop(an *a)
{
    char msg[512], session[96];
    lg_room_name(&a->g, 0, session, sizeof(session));
    long long start = (long long)time(NULL) * 1000;
    int n = snprintf(msg, sizeof(msg),
                     "{\"type\":\"programme\",\"op\":\"add\",\"ref\":\"bench\","
                     "\"entry\":{\"session\":\"%s\",\"kind\":\"workshop\","
                     "\"title\":\"Bench workshop\",\"start\":%lld,"
                     "\"tz\":\"Europe/Riga\",\"duration_ms\":3600000,"
                     "\"host\":\"u%d\"}}",
                     session, start, a->g.o.user_base);
    lg_send_text(&a->g, &a->g.conns[0], msg, (size_t)n);
    int64_t until = lg_now_us() + US(10);
    if (run_until(a, until, answered) != 1 || a->g.n.errors > 0) {
        fprintf(stderr, "loadgen: the workshop's programme entry failed\n");
        return -1;
    }
    return 0;
}

/* The host puts speakers 1.. on the stage and waits until each may speak.
 * Returns 0, or -1. */
static int fill_stage(an *a)
{
    char msg[128];
    for (int i = 1; i < a->speakers; i++) {
        int n = snprintf(msg, sizeof(msg),
                         "{\"type\":\"stage\",\"op\":\"add\",\"user\":\"u%d\"}",
                         a->g.o.user_base + i);
        lg_send_text(&a->g, &a->g.conns[0], msg, (size_t)n);
    }
    int64_t until = lg_now_us() + US(10);
    if (run_until(a, until, stage_ready) != 1 || a->g.n.errors > 0) {
        fprintf(stderr, "loadgen: the workshop's stage was not filled\n");
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Measuring. */

static double self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void read_metrics(const an *a, srv *m)
{
    size_t len = 0;
    char *b = srvmetrics_fetch(a->g.o.host, a->g.o.port, 2000, &len);
    if (b == NULL) {
        *m = (srv){-1, -1, -1, -1, -1, -1, -1};
        return;
    }
    m->packets_in = srvmetrics_sum(b, len, "kopa_audio_packets_in_total", NULL);
    m->dropped = srvmetrics_sum(b, len, "kopa_audio_dropped_total", NULL);
    m->slow = srvmetrics_sum(b, len, "kopa_audio_dropped_total",
                             "reason=\"slow_listener\"");
    m->concealed =
        srvmetrics_sum(b, len, "kopa_audio_frames_concealed_total", NULL);
    m->skipped = srvmetrics_sum(b, len, "kopa_audio_ticks_skipped_total", NULL);
    m->tick_sum = srvmetrics_sum(b, len, "kopa_audio_tick_seconds_sum", NULL);
    m->tick_n = srvmetrics_sum(b, len, "kopa_audio_tick_seconds_count", NULL);
    free(b);
}

/* Snapshot s; the server's metrics are read before (at the start) or
 * after (at the end) the /proc figures, so the window holds none of it. */
static void take(an *a, snap *s, int start)
{
    if (start)
        read_metrics(a, &s->m);
    s->t = lg_now_us();
    procstat_cpu(a->o->server_pid, &s->cpu);
    procstat_wait(a->o->server_pid, &s->wait);
    procstat_rss(a->o->server_pid, &s->rss);
    s->self = self_cpu();
    s->n = a->g.n;
    if (!start)
        read_metrics(a, &s->m);
}

/* b's counter minus a's, or -1 when either is not known. */
static double delta(double a, double b)
{
    return a < 0 || b < 0 ? -1 : b - a;
}

/* Prints a server counter: empty when not known. */
static void put_num(FILE *f, double v, int digits)
{
    if (v >= 0)
        fprintf(f, ",%.*f", digits, v);
    else
        fputs(",", f);
}

/* Whether connection i should hear something: someone else in its room
 * speaks. */
static int hears(const an *a, int i)
{
    return a->speakers - (a->g.conns[i].is_sender ? 1 : 0) > 0;
}

/* Writes the row of the window [x, y]. Returns 0 when every member who
 * should hear received frames and nothing failed, else 1. */
static int report(an *a, const snap *x, const snap *y)
{
    const scenario_opts *o = a->o;
    double wall = (double)(y->t - x->t) / 1e6, ticks = wall * 50;
    double cpu = y->cpu - x->cpu, util = wall > 0 ? cpu / wall : 0;
    int participants = a->rooms * a->size, receivers = 0, silent = 0;
    for (int i = 0; i < a->g.nconns; i++) {
        if (!hears(a, i))
            continue;
        receivers++;
        silent += a->g.conns[i].audio_frames == a->frames_at[i];
    }
    uint64_t got = y->n.audio_in - x->n.audio_in;
    uint64_t gaps = y->n.audio_gaps - x->n.audio_gaps;
    uint64_t errors = y->n.errors;
    double expected = receivers * ticks;
    double short_pct =
        expected > 0 && got < expected ? 100.0 * (1 - got / expected) : 0;
    double tick_n = delta(x->m.tick_n, y->m.tick_n);
    double tick_ms =
        tick_n > 0 ? delta(x->m.tick_sum, y->m.tick_sum) / tick_n * 1e3 : -1;
    double ppc = util > 0 ? participants / util : 0;
    double per_tick = ticks > 0 ? cpu / ticks * 1e3 : 0;
    double dropped = delta(x->m.dropped, y->m.dropped);
    printf("%-8s audio   %s: %d x %d (%d speaking): util %.3f, %.3f ms CPU "
           "per tick, %.0f participants per core; frames %llu of %.0f "
           "(%.2f%% short), %llu seq gaps, server dropped %.0f\n",
           o->label, a->name, a->rooms, a->size, a->speakers, util, per_tick,
           ppc, (unsigned long long)got, expected, short_pct,
           (unsigned long long)gaps, dropped);
    fflush(stdout);
    if (o->csv) {
        if (ftell(o->csv) == 0)
            fputs(csv_header, o->csv);
        fprintf(o->csv,
                "%s,%s,%d,%d,%d,%d,%d,%.3f,%.0f,%.3f,%.4f,%.4f,%.0f,%.2f,"
                "%llu,%.0f,%llu,%.3f,%llu,%llu,%d",
                o->label, a->name, a->rooms, a->size, a->speakers,
                participants - a->rooms * a->speakers, participants, wall,
                ticks, cpu, util, per_tick, ppc, util * 100,
                (unsigned long long)(y->n.audio_sent - x->n.audio_sent),
                expected, (unsigned long long)got, short_pct,
                (unsigned long long)gaps,
                (unsigned long long)(y->n.audio_dup - x->n.audio_dup), silent);
        put_num(o->csv, delta(x->m.packets_in, y->m.packets_in), 0);
        put_num(o->csv, dropped, 0);
        put_num(o->csv, delta(x->m.slow, y->m.slow), 0);
        put_num(o->csv, delta(x->m.concealed, y->m.concealed), 0);
        put_num(o->csv, delta(x->m.skipped, y->m.skipped), 0);
        put_num(o->csv, tick_ms, 4);
        fprintf(o->csv, ",%llu,%.2f,%llu,%llu,%.3f,%.3f,%ld,%.0f\n",
                (unsigned long long)a->late, (double)a->late_max_us / 1e3,
                (unsigned long long)a->skipped, (unsigned long long)errors,
                wall > 0 ? (y->self - x->self) / wall : 0, y->wait - x->wait,
                y->rss, a->connect_ms);
        fflush(o->csv);
    }
    return errors || silent || got == 0 ? 1 : 0;
}

/* ---------------------------------------------------------------------
 * One case. */

/* Places rooms x size members; the first speakers of each room speak,
 * and in a workshop the first is the host. */
static int setup(an *a, const lg_opts *lo)
{
    lg_opts l = *lo;
    int n = a->rooms * a->size;
    l.audio = 1;
    l.user_base = a->workshop ? WORKSHOP_BASE : 0;
    snprintf(a->prefix, sizeof(a->prefix), "%s-%c", lo->prefix, a->name[0]);
    l.prefix = a->prefix;
    if (lg_init(&a->g, &l, n, a->rooms, a->size) != 0)
        return -1;
    a->spk = calloc((size_t)(a->rooms * a->speakers) + 1, sizeof(int));
    a->frames_at = calloc((size_t)n, sizeof(uint64_t));
    if (a->spk == NULL || a->frames_at == NULL)
        return -1;
    for (int r = 0; r < a->rooms; r++)
        for (int s = 0; s < a->size; s++) {
            int i = r * a->size + s;
            lg_place(&a->g, i, r, s, s < a->speakers);
            if (s < a->speakers)
                a->spk[a->nspk++] = i;
        }
    a->g.conns[0].coordinator = a->workshop;
    return 0;
}

/* Everyone joined with audio enabled, and may speak exactly when they
 * should (outside a workshop, everyone may). Returns 0, or -1. */
static int check_joined(an *a)
{
    int wrong = 0;
    if (a->g.ready != a->g.nconns) {
        fprintf(stderr, "loadgen: audio %s: %d of %d members joined\n", a->name,
                a->g.ready, a->g.nconns);
        return -1;
    }
    for (int i = 0; i < a->g.nconns; i++) {
        const conn *c = &a->g.conns[i];
        wrong += c->is_sender ? !c->may_speak : a->workshop && c->may_speak;
    }
    if (wrong > 0) {
        fprintf(stderr, "loadgen: audio %s: %d members may%s speak\n", a->name,
                wrong, a->workshop ? " or may not" : " not");
        return -1;
    }
    return 0;
}

/* Joins everyone (the workshop's host first, then its entry, the rest,
 * the stage). Returns 0, or -1. */
static int join_all(an *a)
{
    int64_t t0 = lg_now_us();
    int first = 0;
    if (a->workshop) {
        if (open_range(a, 0, 1) < 0 || a->g.ready != 1 || make_workshop(a) < 0)
            return -1;
        first = 1;
    }
    if (open_range(a, first, a->g.nconns) < 0)
        return -1;
    if (a->workshop && a->g.ready == a->g.nconns && fill_stage(a) < 0)
        return -1;
    a->connect_ms = (double)(lg_now_us() - t0) / 1e3;
    return check_joined(a);
}

static int run_case(an *a, const lg_opts *lo)
{
    snap x, y;
    int rc = 2;
    if (setup(a, lo) != 0 || join_all(a) != 0)
        goto done;
    start_sending(a);
    if (run_until(a, lg_now_us() + US(a->o->warmup), NULL) < 0)
        goto done;
    take(a, &x, 1);
    a->late = a->skipped = 0; /* counted in the window only */
    a->late_max_us = 0;
    for (int i = 0; i < a->g.nconns; i++)
        a->frames_at[i] = a->g.conns[i].audio_frames;
    if (run_until(a, x.t + US(a->o->seconds), NULL) < 0)
        goto done;
    take(a, &y, 0);
    a->sending = 0;
    rc = report(a, &x, &y);
done:
    if (rc == 2)
        fprintf(stderr, "loadgen: audio %s did not run to the end\n", a->name);
    lg_free(&a->g);
    free(a->spk);
    free(a->frames_at);
    return rc;
}

int audio_net_run(const scenario_opts *o, const lg_opts *lo)
{
    static an a; /* large: keep it off the stack */
    int rc = 0, most = o->speakers > o->stage ? o->speakers : o->stage;
    if (lo->d != &dialect_kopa) {
        fprintf(stderr, "loadgen: the audio scenario speaks Kopa's protocol "
                        "only (--dialect kopa)\n");
        return 2;
    }
    for (int v = 0; v < most && v < AUDIO_NET_MAX_SPEAKERS; v++)
        if (voice_make(v) != 0) {
            voices_free();
            return 2;
        }
    if (o->rooms > 0) {
        a = (an){.o = o,
                 .name = "rooms",
                 .rooms = o->rooms,
                 .size = o->members,
                 .speakers = o->speakers};
        rc = run_case(&a, lo);
    }
    if (o->listeners > 0 && rc != 2) {
        a = (an){.o = o,
                 .name = "workshop",
                 .workshop = 1,
                 .rooms = 1,
                 .size = o->listeners + o->stage,
                 .speakers = o->stage};
        int r = run_case(&a, lo);
        rc = r > rc ? r : rc;
    }
    voices_free();
    return rc;
}
