/* audio_latency: kopa_audio_latency, how much latency Kopa's audio path
 * adds, end to end through a running server on loopback (DESIGN.md
 * section 8: "audio adds under 60 ms in the server"). Run by bench/run.sh
 * (scenario audio-latency) and, with a few bursts, by the
 * bench_audio_latency_smoke test.
 *
 * Two cases, one session each:
 *  - mix: three members. B speaks a steady low noise the whole time (so
 *    the room has two voices and C gets the shared mix, not a forwarded
 *    packet); A speaks in talkspurts: a few frames of near-silence, then a
 *    loud tone burst, then nothing; C listens.
 *  - forward: two members; A talks as above, B listens (the server
 *    forwards A's packets without decoding).
 * Every frame is 20 ms of Opus sent at the real 20 ms pace (absolute
 * deadlines on CLOCK_MONOTONIC). Each talkspurt starts at a random phase
 * against the server's 20 ms tick. The listener decodes what it gets and
 * finds the first sample over a threshold; the latency of one burst is
 *   (receive time of that packet + its sample offset / 48 kHz)
 *   - (send time of the first loud frame) - (the client codec's own
 *   delay, measured once by encoding and decoding the same signal here),
 * all in this one process. A plain chat from A to the listener after each
 * burst gives the one-way time of the network and the server's message
 * path, reported next to it. One CSV row per case on stdout. */
#define _GNU_SOURCE
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "latsig.h"
#include "latws.h"
#include "token.h"
#include "wsc.h"

#define RATE LATSIG_RATE
#define FRAME LATSIG_FRAME
#define FRAME_US 20000
#define LEAD LATSIG_LEAD
#define BURST LATSIG_BURST
#define GAP 8 /* frames not sent: the server's stream stops (5 missing) */
#define CHAT_AT (LEAD + BURST + 2) /* the slot of the chat probe */
#define CYCLE (LEAD + BURST + GAP)
#define TIMEOUT_US 300000 /* a burst or chat not heard by then is missed */
#define MAX_DEC 8
#define MAX_BURSTS 1000
#define MEMBERS 3

typedef struct dec_slot {
    int kind;
    uint32_t stream;
    OpusDecoder *d;
    int have_seq;
    uint16_t last_seq;
} dec_slot;

typedef struct member {
    latws ws;
    char sub[80];
    int step; /* 1 welcomed, 2 joined, 3 audio enabled */
    int may_speak;
    dec_slot dec[MAX_DEC];
    int ndec;
} member;

typedef struct probe {
    int armed, id;
    int64_t sent_us;
    int n, missed;
    double *ms;     /* [n] */
    double *pkt_ms; /* [n] packet receive - send (the onset's packet) */
} probe;

typedef struct lat_case {
    const char *name;
    int members;
    int listener;   /* index in m */
    int background; /* m[1] speaks the steady noise */
    member m[MEMBERS];
    char session[64];
    OpusEncoder *enc_a, *enc_b;
    uint16_t seq_a, seq_b;
    uint32_t rng_a, rng_b;
    probe burst, chat;
    int kinds[3];  /* onsets found in a shared mix, a minus mix, a forward */
    int last_loud; /* the listener's last packet reached the threshold */
    int64_t last_pkt_us;  /* when the listener's last packet came */
    int packets, bunched; /* its packets; those within 2 ms of the last
                           * (ticks the server ran together) */
    int errors;
} lat_case;

typedef struct opts {
    const char *host;
    int port;
    char secret[1024];
    size_t secret_len;
    int bursts;
    double max_seconds;
    int check, do_mix, do_forward;
    uint32_t seed;
    int64_t stall_us;
    int phase_us;
} opts;

static int ref_samples; /* the client codec's delay to the onset */
static int verbose;     /* --verbose: one line per burst on stderr */
static int64_t t_end_us;

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* ---------------------------------------------------------------------
 * Messages from the server. */

static void on_audio_event(member *mb, const cJSON *obj)
{
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(obj, "enabled");
    const cJSON *ms = cJSON_GetObjectItemCaseSensitive(obj, "may_speak");
    if (cJSON_IsTrue(en)) {
        mb->step = 3;
        mb->may_speak = cJSON_IsTrue(ms);
    }
}

static void on_chat(lat_case *lc, int who, const cJSON *obj, int64_t at)
{
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(obj, "text");
    probe *p = &lc->chat;
    char want[32];
    if (who != lc->listener || !p->armed || !cJSON_IsString(text))
        return;
    snprintf(want, sizeof(want), "latency probe %d", p->id);
    if (strcmp(text->valuestring, want) != 0)
        return;
    p->ms[p->n] = (double)(at - p->sent_us) / 1000.0;
    p->pkt_ms[p->n] = p->ms[p->n];
    p->n++;
    p->armed = 0;
}

static void on_object(lat_case *lc, int who, const cJSON *obj, int64_t at)
{
    member *mb = &lc->m[who];
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(obj, "type");
    const char *t = cJSON_IsString(type) ? type->valuestring : "";
    if (strcmp(t, "welcome") == 0) {
        mb->step = 1;
    } else if (strcmp(t, "joined") == 0) {
        mb->step = 2;
    } else if (strcmp(t, "audio") == 0) {
        on_audio_event(mb, obj);
    } else if (strcmp(t, "chat") == 0) {
        on_chat(lc, who, obj, at);
    } else if (strcmp(t, "error") == 0) {
        char *s = cJSON_PrintUnformatted(obj);
        fprintf(stderr, "kopa_audio_latency: %s: %s: %s\n", lc->name, mb->sub,
                s ? s : "error");
        free(s);
        lc->errors++;
    }
}

static void on_text(lat_case *lc, int who, const uint8_t *p, size_t len,
                    int64_t at)
{
    cJSON *root = cJSON_ParseWithLength((const char *)p, len);
    const cJSON *obj;
    if (root == NULL) {
        fprintf(stderr, "kopa_audio_latency: bad JSON from the server\n");
        lc->errors++;
        return;
    }
    if (cJSON_IsArray(root)) {
        cJSON_ArrayForEach(obj, root) on_object(lc, who, obj, at);
    } else {
        on_object(lc, who, root, at);
    }
    cJSON_Delete(root);
}

/* The decoder of (kind, stream) for mb, reset when its packets skip. */
static OpusDecoder *decoder_for(member *mb, int kind, uint32_t stream,
                                uint16_t seq)
{
    dec_slot *s = NULL;
    for (int i = 0; i < mb->ndec && s == NULL; i++)
        if (mb->dec[i].kind == kind && mb->dec[i].stream == stream)
            s = &mb->dec[i];
    if (s == NULL) {
        if (mb->ndec == MAX_DEC)
            return NULL;
        s = &mb->dec[mb->ndec++];
        s->kind = kind;
        s->stream = stream;
        s->d = latsig_decoder_new();
    } else if (!s->have_seq || (uint16_t)(s->last_seq + 1) != seq) {
        opus_decoder_ctl(s->d, OPUS_RESET_STATE);
    }
    s->have_seq = 1;
    s->last_seq = seq;
    return s->d;
}

/* An audio frame (docs/protocol.md section 8.3) reached the listener. */
static void on_binary(lat_case *lc, const uint8_t *p, size_t len, int64_t at)
{
    member *mb = &lc->m[lc->listener];
    probe *b = &lc->burst;
    int16_t pcm[FRAME];
    if (len < 13 || p[0] != 2 || p[1] > 2) {
        fprintf(stderr, "kopa_audio_latency: a malformed audio frame\n");
        lc->errors++;
        return;
    }
    uint16_t seq = (uint16_t)(p[2] << 8 | p[3]);
    lc->packets++;
    if (lc->last_pkt_us != 0 && at - lc->last_pkt_us < 2000)
        lc->bunched++;
    lc->last_pkt_us = at;
    uint32_t stream = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 |
                      (uint32_t)p[10] << 8 | p[11];
    OpusDecoder *d = decoder_for(mb, p[1], stream, seq);
    if (d == NULL || opus_decode(d, p + 12, (opus_int32)(len - 12), pcm, FRAME,
                                 0) != FRAME) {
        lc->errors++;
        return;
    }
    int k = latsig_onset(pcm, FRAME);
    if (verbose && b->armed && k < 0)
        fprintf(stderr,
                "%s burst %d: quiet packet %.2f ms after the send "
                "(kind %d, seq %u)\n",
                lc->name, b->id, (double)(at - b->sent_us) / 1000.0, p[1], seq);
    int was_loud = lc->last_loud;
    lc->last_loud = k >= 0;
    if (!b->armed || k < 0 || was_loud)
        return; /* was_loud: an earlier burst held up, not an onset */
    b->pkt_ms[b->n] = (double)(at - b->sent_us) / 1000.0;
    b->ms[b->n] = b->pkt_ms[b->n] + (double)(k - ref_samples) * 1000.0 / RATE;
    lc->kinds[p[1]]++;
    if (verbose)
        fprintf(stderr,
                "%s burst %d: %.2f ms (packet %.2f ms after the send, kind %d, "
                "seq %u, onset at sample %d)\n",
                lc->name, b->id, b->ms[b->n], b->pkt_ms[b->n], p[1], seq, k);
    b->n++;
    b->armed = 0;
}

/* Reads member who's socket and handles every whole message. Returns -1
 * when the connection ended. */
static int pump(lat_case *lc, int who)
{
    member *mb = &lc->m[who];
    const uint8_t *data;
    size_t len;
    int op, r;
    if (latws_read(&mb->ws) < 0) {
        fprintf(stderr, "kopa_audio_latency: %s: the server closed %s\n",
                lc->name, mb->sub);
        return -1;
    }
    int64_t at = now_us();
    while ((r = latws_next(&mb->ws, &op, &data, &len)) == 1) {
        if (op == WSC_TEXT)
            on_text(lc, who, data, len, at);
        else if (op == WSC_BINARY && who == lc->listener)
            on_binary(lc, data, len, at);
    }
    return r < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------------
 * Joining: auth, join, audio enable, one member at a time. */

static int send_json(member *mb, const char *s)
{
    return latws_send(&mb->ws, WSC_TEXT, s, strlen(s));
}

/* Pumps member who until its step reaches step, for up to 5 s. */
static int wait_step(lat_case *lc, int who, int step)
{
    member *mb = &lc->m[who];
    int64_t deadline = now_us() + 5000000;
    while (mb->step < step && lc->errors == 0) {
        struct pollfd p = {.fd = mb->ws.fd, .events = POLLIN};
        int64_t left = deadline - now_us();
        if (left <= 0 || poll(&p, 1, (int)(left / 1000) + 1) < 0 ||
            pump(lc, who) < 0)
            break;
    }
    if (mb->step >= step)
        return 0;
    fprintf(stderr, "kopa_audio_latency: %s: %s did not get to step %d\n",
            lc->name, mb->sub, step);
    return -1;
}

static int member_join(const opts *o, lat_case *lc, int who)
{
    member *mb = &lc->m[who];
    char path[96], token[1024], msg[1200];
    snprintf(path, sizeof(path), "/ws/%s", lc->session);
    snprintf(mb->sub, sizeof(mb->sub), "%s-%c", lc->session, 'a' + who);
    if (token_mint(o->secret, o->secret_len, mb->sub,
                   (long long)time(NULL) + 3600, token, sizeof(token)) < 0 ||
        latws_open(&mb->ws, o->host, o->port, path, "kopa.v1", 5000) < 0)
        return -1;
    snprintf(msg, sizeof(msg), "{\"type\":\"auth\",\"v\":1,\"token\":\"%s\"}",
             token);
    if (send_json(mb, msg) < 0 || wait_step(lc, who, 1) < 0 ||
        send_json(mb, "{\"type\":\"join\"}") < 0 || wait_step(lc, who, 2) < 0 ||
        send_json(mb, "{\"type\":\"audio\",\"op\":\"enable\"}") < 0 ||
        wait_step(lc, who, 3) < 0)
        return -1;
    if (!mb->may_speak) {
        fprintf(stderr, "kopa_audio_latency: %s may not speak\n", mb->sub);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------------
 * Sending. */

static int send_audio(member *mb, OpusEncoder *e, uint16_t seq,
                      const int16_t *pcm)
{
    uint8_t buf[8 + 1275];
    uint32_t ts = (uint32_t)seq * FRAME;
    int n = opus_encode(e, pcm, FRAME, buf + 8, 1275);
    if (n < 2)
        return -1;
    buf[0] = 1;
    buf[1] = 0;
    buf[2] = (uint8_t)(seq >> 8);
    buf[3] = (uint8_t)seq;
    buf[4] = (uint8_t)(ts >> 24);
    buf[5] = (uint8_t)(ts >> 16);
    buf[6] = (uint8_t)(ts >> 8);
    buf[7] = (uint8_t)ts;
    return latws_send(&mb->ws, WSC_BINARY, buf, 8 + (size_t)n);
}

/* A's slot f of talkspurt cycle (cycle < 0: the unmeasured warm-up). */
static int talker_slot(lat_case *lc, int cycle, int f)
{
    member *a = &lc->m[0];
    int16_t pcm[FRAME];
    int rc = 0;
    if (f == 0) { /* every talkspurt encodes alike: the calibration holds */
        opus_encoder_ctl(lc->enc_a, OPUS_RESET_STATE);
        lc->rng_a = 1;
    }
    if (f < LEAD + BURST) {
        latsig_talk(f, &lc->rng_a, pcm);
        if (f == LEAD && cycle >= 0) {
            lc->burst.sent_us = now_us();
            lc->burst.armed = 1;
            lc->burst.id = cycle;
        }
        rc = send_audio(a, lc->enc_a, lc->seq_a, pcm);
    } else if (f == CHAT_AT && cycle >= 0) {
        char msg[128];
        snprintf(msg, sizeof(msg),
                 "{\"type\":\"chat\",\"id\":\"p%d\",\"text\":\"latency "
                 "probe %d\"}",
                 cycle, cycle);
        lc->chat.sent_us = now_us();
        lc->chat.armed = 1;
        lc->chat.id = cycle;
        rc = send_json(a, msg);
    }
    lc->seq_a++; /* seq counts captured frames, sent or not */
    return rc;
}

static int background_slot(lat_case *lc)
{
    int16_t pcm[FRAME];
    latsig_noise(pcm, LATSIG_BG_NOISE, &lc->rng_b);
    return send_audio(&lc->m[1], lc->enc_b, lc->seq_b++, pcm);
}

/* ---------------------------------------------------------------------
 * The run. */

static void expire(probe *p, int64_t now)
{
    if (p->armed && now - p->sent_us > TIMEOUT_US) {
        p->armed = 0;
        p->missed++;
    }
}

/* Handles whatever arrives until deadline (us). Returns -1 when a
 * connection ended. */
static int serve_until(lat_case *lc, int64_t deadline)
{
    struct pollfd pf[MEMBERS];
    for (;;) {
        int64_t left = deadline - now_us();
        if (left <= 0)
            return 0;
        struct timespec ts = {.tv_sec = left / 1000000,
                              .tv_nsec = (left % 1000000) * 1000};
        for (int i = 0; i < lc->members; i++)
            pf[i] = (struct pollfd){.fd = lc->m[i].ws.fd, .events = POLLIN};
        if (ppoll(pf, (nfds_t)lc->members, &ts, NULL) < 0)
            continue; /* EINTR */
        for (int i = 0; i < lc->members; i++)
            if (pf[i].revents && pump(lc, i) < 0)
                return -1;
    }
}

/* Sends on the 20 ms grid: B's steady noise, A's talkspurts (one
 * unmeasured warm-up, then o->bursts), each starting at a random phase.
 * With --stall-ms, A's frames stop for that long in the warm-up and then
 * go out at once, as after a stalled TCP stream. */
static int run_slots(const opts *o, lat_case *lc)
{
    int64_t a_next = now_us() + 50000, b_next = a_next + 7000, held = 0;
    uint32_t rng = o->seed;
    int cycle = -1, f = 0;
    while (cycle < o->bursts) {
        int64_t a_due = a_next > held ? a_next : held;
        int64_t next = lc->background && b_next < a_due ? b_next : a_due;
        if (serve_until(lc, next) < 0)
            return -1;
        int64_t now = now_us();
        expire(&lc->burst, now);
        expire(&lc->chat, now);
        if (now > t_end_us) {
            fprintf(stderr,
                    "kopa_audio_latency: out of time (--max-seconds)\n");
            return -1;
        }
        if (lc->background && now >= b_next) {
            if (background_slot(lc) < 0)
                return -1;
            b_next += FRAME_US;
        }
        if (now >= a_due) {
            if (o->stall_us > 0 && cycle < 0 && f == 2 && held == 0) {
                held = now + o->stall_us; /* A's uplink stalls, then rushes */
                continue;
            }
            if (talker_slot(lc, cycle, f) < 0)
                return -1;
            a_next += FRAME_US;
            if (++f == CYCLE) {
                f = 0;
                cycle++;
                if (o->phase_us > 0)
                    a_next += latsig_rand(&rng) % (uint32_t)o->phase_us;
            }
        }
    }
    if (serve_until(lc, now_us() + TIMEOUT_US) < 0)
        return -1;
    expire(&lc->burst, INT64_MAX / 2);
    expire(&lc->chat, INT64_MAX / 2);
    return 0;
}

static void case_free(lat_case *lc)
{
    for (int i = 0; i < MEMBERS; i++) {
        latws_close(&lc->m[i].ws);
        for (int j = 0; j < lc->m[i].ndec; j++)
            opus_decoder_destroy(lc->m[i].dec[j].d);
        lc->m[i].ndec = 0;
    }
    if (lc->enc_a)
        opus_encoder_destroy(lc->enc_a);
    if (lc->enc_b)
        opus_encoder_destroy(lc->enc_b);
    free(lc->burst.ms);
    free(lc->burst.pkt_ms);
    free(lc->chat.ms);
    free(lc->chat.pkt_ms);
}

static int run_case(const opts *o, lat_case *lc)
{
    size_t n = (size_t)o->bursts;
    for (int i = 0; i < MEMBERS; i++)
        lc->m[i].ws.fd = -1;
    lc->enc_a = latsig_encoder_new();
    lc->enc_b = latsig_encoder_new();
    lc->rng_b = o->seed ^ 0x9e3779b9u;
    lc->burst.ms = calloc(n, sizeof(double));
    lc->burst.pkt_ms = calloc(n, sizeof(double));
    lc->chat.ms = calloc(n, sizeof(double));
    lc->chat.pkt_ms = calloc(n, sizeof(double));
    if (!lc->burst.ms || !lc->burst.pkt_ms || !lc->chat.ms || !lc->chat.pkt_ms)
        abort();
    for (int i = 0; i < lc->members; i++)
        if (member_join(o, lc, i) < 0)
            return -1;
    return run_slots(o, lc);
}

/* ---------------------------------------------------------------------
 * Results. */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The q-quantile (nearest rank) of v[0..n), sorted in place; NAN when
 * empty. */
static double quantile(double *v, int n, double q)
{
    if (n == 0)
        return NAN;
    qsort(v, (size_t)n, sizeof(*v), cmp_double);
    int r = (int)ceil(q * n);
    return v[r < 1 ? 0 : r - 1];
}

static const char *path_name(const lat_case *lc)
{
    static const char *names[] = {"shared_mix", "minus_mix", "forward"};
    int best = 0;
    for (int k = 1; k < 3; k++)
        if (lc->kinds[k] > lc->kinds[best])
            best = k;
    return lc->kinds[best] ? names[best] : "none";
}

static void report(const opts *o, lat_case *lc)
{
    probe *b = &lc->burst, *c = &lc->chat;
    double sum = 0;
    for (int i = 0; i < b->n; i++)
        sum += b->ms[i];
    double p50 = quantile(b->ms, b->n, 0.5), p99 = quantile(b->ms, b->n, 0.99);
    double mx = b->n ? b->ms[b->n - 1] : NAN, mn = b->n ? b->ms[0] : NAN;
    double pkt = quantile(b->pkt_ms, b->n, 0.5);
    double chat = quantile(c->ms, c->n, 0.5);
    printf(
        "%s,%d,%s,%d,%d,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.3f,%.2f,%.2f,%d,%d\n",
        lc->name, lc->members, path_name(lc), o->bursts, b->n, p50, p99, mx, mn,
        b->n ? sum / b->n : NAN, pkt, chat, p50 - chat,
        ref_samples * 1000.0 / RATE, lc->packets, lc->bunched);
    fprintf(stderr,
            "kopa_audio_latency: %s (%d members, %s): %d of %d bursts heard; "
            "server adds p50 %.1f ms, p99 %.1f, max %.1f, min %.1f; "
            "chat one-way p50 %.2f ms; %d of %d packets bunched\n",
            lc->name, lc->members, path_name(lc), b->n, o->bursts, p50, p99, mx,
            mn, chat, lc->bunched, lc->packets);
}

/* ---------------------------------------------------------------------
 * Options. */

static const char usage[] =
    "usage: kopa_audio_latency --port N --secret-file F [options]\n"
    "  --host A          server address, 127.x.y.z only (127.0.0.1)\n"
    "  --port N          the Kopa server's port\n"
    "  --secret-file F   the server's token secret\n"
    "  --bursts N        measured tone bursts per case (30)\n"
    "  --cases L         mix,forward (both)\n"
    "  --max-seconds S   give up after S seconds (60)\n"
    "  --seed N          the random start phases (1)\n"
    "  --stall-ms N      hold the talker's frames N ms in the warm-up, then\n"
    "                    send them at once (a stalled uplink; 0)\n"
    "  --phase-ms N      each talkspurt starts up to N ms later (20; 0:\n"
    "                    a fixed phase against the server's tick)\n"
    "  --verbose         one line per burst on stderr\n"
    "  --check           exit 1 unless every case heard a burst, without\n"
    "                    errors (never checks a timing)\n"
    "CSV on stdout, one row per case; a summary on stderr.\n";

static int read_secret(opts *o, const char *file)
{
    FILE *f = fopen(file, "rb");
    if (f == NULL) {
        fprintf(stderr, "kopa_audio_latency: cannot read %s\n", file);
        return -1;
    }
    size_t n = fread(o->secret, 1, sizeof(o->secret) - 1, f);
    fclose(f);
    while (n && (o->secret[n - 1] == '\n' || o->secret[n - 1] == '\r'))
        n--;
    o->secret[n] = '\0';
    o->secret_len = n;
    return n > 0 ? 0 : -1;
}

/* Stores option c's value arg in o (the secret file and the cases in
 * *secret_file and *cases). Returns -1 for an unknown option. */
static int set_opt(opts *o, int c, const char *arg, const char **secret_file,
                   const char **cases)
{
    switch (c) {
    case 'h':
        o->host = arg;
        break;
    case 'p':
        o->port = atoi(arg);
        break;
    case 's':
        *secret_file = arg;
        break;
    case 'b':
        o->bursts = atoi(arg);
        break;
    case 'c':
        *cases = arg;
        break;
    case 'm':
        o->max_seconds = atof(arg);
        break;
    case 'r':
        o->seed = (uint32_t)strtoul(arg, NULL, 10);
        break;
    case 'k':
        o->check = 1;
        break;
    case 'v':
        verbose = 1;
        break;
    case 'f':
        o->phase_us = (int)(atof(arg) * 1000);
        break;
    case 't':
        o->stall_us = (int64_t)(atof(arg) * 1000);
        break;
    default:
        return -1;
    }
    return 0;
}

static int parse(int argc, char **argv, opts *o)
{
    static const struct option lo[] = {{"host", 1, 0, 'h'},
                                       {"port", 1, 0, 'p'},
                                       {"secret-file", 1, 0, 's'},
                                       {"bursts", 1, 0, 'b'},
                                       {"cases", 1, 0, 'c'},
                                       {"max-seconds", 1, 0, 'm'},
                                       {"seed", 1, 0, 'r'},
                                       {"check", 0, 0, 'k'},
                                       {"verbose", 0, 0, 'v'},
                                       {"stall-ms", 1, 0, 't'},
                                       {"phase-ms", 1, 0, 'f'},
                                       {"help", 0, 0, '?'},
                                       {0, 0, 0, 0}};
    const char *secret_file = NULL, *cases = "mix,forward";
    int c;
    *o = (opts){.host = "127.0.0.1",
                .bursts = 30,
                .max_seconds = 60,
                .seed = 1,
                .phase_us = FRAME_US};
    while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1)
        if (set_opt(o, c, optarg, &secret_file, &cases) < 0) {
            fputs(usage, stderr);
            return -1;
        }
    o->do_mix = strstr(cases, "mix") != NULL;
    o->do_forward = strstr(cases, "forward") != NULL;
    if (o->port <= 0 || o->port > 65535 || secret_file == NULL ||
        o->bursts < 1 || o->bursts > MAX_BURSTS || o->max_seconds <= 0 ||
        o->phase_us < 0 || o->stall_us < 0 || (!o->do_mix && !o->do_forward)) {
        fputs(usage, stderr);
        return -1;
    }
    return read_secret(o, secret_file);
}

int main(int argc, char **argv)
{
    static opts o;
    static lat_case cases[2];
    int n = 0, failed = 0;
    if (parse(argc, argv, &o) < 0)
        return 2;
    ref_samples = latsig_codec_delay();
    if (ref_samples < 0) {
        fprintf(stderr, "kopa_audio_latency: the tone did not survive Opus\n");
        return 1;
    }
    t_end_us = now_us() + (int64_t)(o.max_seconds * 1e6);
    if (o.do_mix)
        cases[n++] = (lat_case){
            .name = "mix", .members = 3, .listener = 2, .background = 1};
    if (o.do_forward)
        cases[n++] = (lat_case){.name = "forward", .members = 2, .listener = 1};
    printf("# kopa_audio_latency: %d tone bursts per case, 20 ms Opus frames "
           "at the real pace, each talkspurt 0 to %d ms later than the last "
           "(its phase against the server tick)%s; the client codec's own "
           "%.2f ms subtracted\n",
           o.bursts, o.phase_us / 1000,
           o.stall_us ? ", uplink stalled once" : "",
           ref_samples * 1000.0 / RATE);
    printf("case,members,path,bursts,detected,p50_ms,p99_ms,max_ms,min_ms,"
           "mean_ms,packet_p50_ms,chat_p50_ms,p50_minus_chat_ms,"
           "client_codec_ms,packets,bunched\n");
    for (int i = 0; i < n; i++) {
        lat_case *lc = &cases[i];
        snprintf(lc->session, sizeof(lc->session), "lat%x-%s",
                 (unsigned)getpid(), lc->name);
        if (run_case(&o, lc) < 0)
            failed = 1;
        else
            report(&o, lc);
        if (lc->burst.n == 0 || lc->errors > 0)
            failed |= o.check;
        case_free(lc);
    }
    fflush(stdout);
    return failed;
}
