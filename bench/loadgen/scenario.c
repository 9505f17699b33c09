/* scenario: fan-out (one room, stepped rates until the server saturates),
 * many rooms (a realistic chat rate), idle connections (memory per
 * connection) and the reconnect storm (everyone drops and resumes); audio
 * is audio_net.c's. Called by main.c; drives lg.c; writes one CSV row per
 * measurement. */
#include "scenario.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "audio_net.h"
#include "dialect.h"
#include "procstat.h"

static const char csv_header[] =
    "server,scenario,step,rooms,members,rate,seconds,connections,sent,"
    "delivered,expected,lost,dup,deliveries_per_s,offered_per_s,"
    "server_cpu_s,server_util,cpu_s_per_m,redis_cpu_s,loadgen_util,"
    "rss_before_kb,rss_after_kb,rss_per_conn_b,p50_ms,p99_ms,max_ms,acks,"
    "recovered,not_recovered,connect_ms,recover_ms,errors,saturated,"
    "server_wait_s,join_retries\n";

#define US(s) ((int64_t)((s)*1e6))

typedef struct snap {
    int64_t t;
    double cpu, redis_cpu, self_cpu, wait;
    long rss;
    lg_counts n;
} snap;

typedef struct row {
    int step, connections, saturated;
    double rate, seconds;
    uint64_t sent, delivered, expected, lost, dup, acks;
    uint64_t recovered, not_recovered, errors, retries;
    double dps, offered, cpu, util, cpu_per_m, redis_cpu, self_util, wait;
    long rss_before, rss_after;
    double rss_per_conn, connect_ms, recover_ms;
    const hist *lat;
} row;

typedef struct driver {
    lg g;
    const scenario_opts *o;
    int sending;
    double rate;
    int receivers; /* connections per room */
    snap base;     /* counts where the current measurement started */
} driver;

static double self_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void take(const driver *d, snap *s)
{
    s->t = lg_now_us();
    procstat_cpu(d->o->server_pid, &s->cpu);
    procstat_cpu(d->o->redis_pid, &s->redis_cpu);
    procstat_rss(d->o->server_pid, &s->rss);
    procstat_wait(d->o->server_pid, &s->wait);
    s->self_cpu = self_cpu();
    s->n = d->g.n;
}

static void write_row(const driver *d, const row *r)
{
    const scenario_opts *o = d->o;
    const double ms = 1e-3;
    printf("%-8s %-7s step %2d rate %7.1f: %9.0f deliveries/s, util %.2f, "
           "%.3f cpu-s/M, p50 %.2f p99 %.2f max %.2f ms, lost %llu%s\n",
           o->label, o->name, r->step, r->rate, r->dps, r->util, r->cpu_per_m,
           (double)hist_quantile(r->lat, 0.5) * ms,
           (double)hist_quantile(r->lat, 0.99) * ms,
           (double)hist_quantile(r->lat, 1.0) * ms, (unsigned long long)r->lost,
           r->saturated ? " (saturated)" : "");
    fflush(stdout);
    if (o->csv == NULL)
        return;
    if (ftell(o->csv) == 0)
        fputs(csv_header, o->csv);
    fprintf(o->csv,
            "%s,%s,%d,%d,%d,%.3f,%.3f,%d,%llu,%llu,%llu,%llu,%llu,%.1f,"
            "%.1f,%.3f,%.3f,%.4f,%.3f,%.3f,%ld,%ld,%.0f,%.3f,%.3f,%.3f,"
            "%llu,%llu,%llu,%.1f,%.1f,%llu,%d,%.3f,%llu\n",
            o->label, o->name, r->step, d->g.nrooms, o->members, r->rate,
            r->seconds, r->connections, (unsigned long long)r->sent,
            (unsigned long long)r->delivered, (unsigned long long)r->expected,
            (unsigned long long)r->lost, (unsigned long long)r->dup, r->dps,
            r->offered, r->cpu, r->util, r->cpu_per_m, r->redis_cpu,
            r->self_util, r->rss_before, r->rss_after, r->rss_per_conn,
            (double)hist_quantile(r->lat, 0.5) * ms,
            (double)hist_quantile(r->lat, 0.99) * ms,
            (double)hist_quantile(r->lat, 1.0) * ms,
            (unsigned long long)r->acks, (unsigned long long)r->recovered,
            (unsigned long long)r->not_recovered, r->connect_ms, r->recover_ms,
            (unsigned long long)r->errors, r->saturated, r->wait,
            (unsigned long long)r->retries);
    fflush(o->csv);
}

/* Sends every chat that is due, keeping at most window in flight. */
static void send_due(driver *d)
{
    lg *g = &d->g;
    int64_t now = lg_now_us();
    double interval = 1e6 / d->rate;
    for (int i = 0; i < g->nconns; i++) {
        conn *c = &g->conns[i];
        if (!c->is_sender || c->state != CONN_READY)
            continue;
        while (c->next_send_us <= now && c->inflight < (uint32_t)d->o->window) {
            lg_send_chat(g, c);
            c->next_send_us += (int64_t)interval;
        }
        if (now - c->next_send_us > (int64_t)(interval * d->o->window))
            c->next_send_us = now; /* held back: do not burst later */
    }
}

/* Spreads the senders' first chats over one interval. */
static void start_sending(driver *d, double rate)
{
    int64_t now = lg_now_us();
    d->rate = rate;
    d->sending = 1;
    for (int i = 0; i < d->g.nconns; i++)
        d->g.conns[i].next_send_us =
            now + (int64_t)((double)rand() / RAND_MAX * 1e6 / rate);
}

/* Runs the loop until until_us, or until done(d) is true. Returns 1 when
 * done, 0 at until_us, -1 past the deadline or when epoll fails. */
static int run_until(driver *d, int64_t until_us, int (*done)(driver *))
{
    for (;;) {
        int64_t now = lg_now_us();
        if (done && done(d))
            return 1;
        if (now >= d->o->deadline_us)
            return -1;
        if (now >= until_us)
            return 0;
        if (d->sending)
            send_due(d);
        if (lg_poll(&d->g, 1) < 0)
            return -1;
    }
}

static int64_t expected_since(const driver *d)
{
    return (int64_t)(d->g.n.sent - d->base.n.sent) * d->receivers;
}

/* Every chat sent since base reached every member (and, for Kopa, was
 * acknowledged). */
static int drained(driver *d)
{
    const lg_counts *n = &d->g.n;
    if ((int64_t)(n->delivered - d->base.n.delivered) < expected_since(d))
        return 0;
    return d->g.o.d != &dialect_kopa ||
           n->acks - d->base.n.acks >= n->sent - d->base.n.sent;
}

/* Waits until drained, or until nothing arrived for o->drain seconds (a
 * saturated server may still be working off its backlog: wait while it
 * makes progress), at most 30 s. Returns -1 past the deadline. */
static int drain(driver *d)
{
    int64_t stop = lg_now_us() + US(30);
    uint64_t seen = d->g.n.delivered + d->g.n.acks;
    int64_t quiet_since = lg_now_us();
    while (!drained(d)) {
        int64_t now = lg_now_us();
        if (d->g.n.delivered + d->g.n.acks != seen) {
            seen = d->g.n.delivered + d->g.n.acks;
            quiet_since = now;
        }
        if (now >= stop || now - quiet_since >= US(d->o->drain))
            return 0;
        if (now >= d->o->deadline_us || lg_poll(&d->g, 1) < 0)
            return -1;
    }
    return 0;
}

static int all_opened(driver *d)
{
    return d->g.busy == 0;
}

/* Opens connections [from, to) with at most o->concurrency opening at once
 * and waits until none is opening. Returns the time it took in ms, or -1
 * past the deadline. */
static double open_range(driver *d, int from, int to)
{
    int64_t t0 = lg_now_us();
    int next = from;
    while (next < to) {
        while (next < to && d->g.busy < d->o->concurrency)
            lg_open(&d->g, &d->g.conns[next++]);
        if (lg_poll(&d->g, 1) < 0 || lg_now_us() >= d->o->deadline_us)
            return -1;
        if (d->sending)
            send_due(d);
    }
    if (run_until(d, d->o->deadline_us, all_opened) < 0)
        return -1;
    return (double)(lg_now_us() - t0) / 1e3;
}

/* Fills r from two snapshots (the measured window). */
static void measure(const driver *d, const snap *a, const snap *b, row *r)
{
    double wall = (double)(b->t - a->t) / 1e6;
    uint64_t del = b->n.delivered - a->n.delivered;
    r->seconds = wall;
    r->dps = wall > 0 ? (double)del / wall : 0;
    r->cpu = b->cpu - a->cpu;
    r->util = wall > 0 ? r->cpu / wall : 0;
    r->cpu_per_m = del ? r->cpu / (double)del * 1e6 : 0;
    r->redis_cpu = b->redis_cpu - a->redis_cpu;
    r->wait = b->wait - a->wait;
    r->self_util = wall > 0 ? (b->self_cpu - a->self_cpu) / wall : 0;
    r->rss_before = a->rss;
    r->rss_after = b->rss;
    r->connections = d->g.ready;
    r->lat = &d->g.lat;
}

/* Fills r's counts from base to now. */
static void totals(const driver *d, row *r)
{
    const lg_counts *n = &d->g.n, *b = &d->base.n;
    r->sent = n->sent - b->sent;
    r->delivered = n->delivered - b->delivered;
    r->expected = (uint64_t)expected_since(d);
    r->lost = r->expected > r->delivered ? r->expected - r->delivered : 0;
    r->dup = n->dup - b->dup;
    r->acks = n->acks - b->acks;
    r->errors = n->errors - b->errors;
    r->recovered = n->recovered - b->recovered;
    r->not_recovered = n->not_recovered - b->not_recovered;
    r->retries = n->retries - b->retries;
}

/* One measured load at rate: warm up, measure, stop, wait for the last
 * deliveries. Returns 0, or -1 past the deadline. */
static int one_step(driver *d, double rate, row *r)
{
    const scenario_opts *o = d->o;
    snap a, b;
    int senders = 0;
    for (int i = 0; i < d->g.nconns; i++)
        senders += d->g.conns[i].is_sender;
    hist_reset(&d->g.lat);
    take(d, &d->base);
    start_sending(d, rate);
    int64_t t0 = d->base.t;
    if (run_until(d, t0 + US(o->warmup), NULL) < 0)
        return -1;
    take(d, &a);
    if (run_until(d, t0 + US(o->warmup + o->seconds), NULL) < 0)
        return -1;
    take(d, &b);
    d->sending = 0;
    if (drain(d) < 0)
        return -1;
    r->rate = rate;
    measure(d, &a, &b, r);
    totals(d, r);
    r->offered = rate * senders * d->receivers;
    r->saturated = r->dps < o->saturated * r->offered || r->util > 0.95;
    return 0;
}

static int fanout(driver *d)
{
    const scenario_opts *o = d->o;
    int rc = 0;
    double connect_ms = open_range(d, 0, d->g.nconns);
    if (connect_ms < 0 || d->g.ready == 0)
        return 2;
    for (int i = 0; i < o->nsteps; i++) {
        row r;
        memset(&r, 0, sizeof(r));
        r.step = i + 1;
        r.connect_ms = connect_ms;
        if (one_step(d, o->steps[i], &r) < 0)
            return 2;
        write_row(d, &r);
        if (r.lost || r.errors || r.delivered == 0)
            rc = 1;
        if (r.saturated)
            break;
    }
    return rc;
}

static int rooms(driver *d)
{
    row r;
    memset(&r, 0, sizeof(r));
    r.step = 1;
    r.connect_ms = open_range(d, 0, d->g.nconns);
    if (r.connect_ms < 0 || d->g.ready == 0 || one_step(d, d->o->rate, &r))
        return 2;
    write_row(d, &r);
    return r.lost || r.errors || r.delivered == 0 ? 1 : 0;
}

static int idle(driver *d)
{
    row r;
    snap b;
    memset(&r, 0, sizeof(r));
    r.step = 1;
    hist_reset(&d->g.lat);
    take(d, &d->base);
    r.connect_ms = open_range(d, 0, d->g.nconns);
    if (r.connect_ms < 0 ||
        run_until(d, lg_now_us() + US(d->o->warmup), NULL) < 0)
        return 2;
    take(d, &b);
    measure(d, &d->base, &b, &r);
    totals(d, &r);
    if (r.connections > 0)
        r.rss_per_conn = (double)(b.rss - d->base.rss) * 1024.0 / r.connections;
    write_row(d, &r);
    printf("%-8s idle    %d connections: %.0f bytes of RSS each, "
           "connected in %.0f ms (%llu joins asked again)\n",
           d->o->label, r.connections, r.rss_per_conn, r.connect_ms,
           (unsigned long long)r.retries);
    return r.connections == d->g.nconns && r.errors == 0 ? 0 : 1;
}

static int storm(driver *d)
{
    lg *g = &d->g;
    row r;
    snap b;
    memset(&r, 0, sizeof(r));
    r.step = 1;
    r.connect_ms = open_range(d, 0, g->nconns);
    if (r.connect_ms < 0 || g->ready == 0)
        return 2;
    hist_reset(&g->lat);
    take(d, &d->base);
    start_sending(d, d->o->rate);
    if (run_until(d, lg_now_us() + US(d->o->warmup), NULL) < 0)
        return 2;
    int64_t t_drop = lg_now_us();
    for (int i = 0; i < g->nconns; i++)
        if (!g->conns[i].is_sender)
            lg_drop(g, &g->conns[i]);
    for (int i = 0; i < g->nconns; i++)
        if (!g->conns[i].is_sender)
            lg_open(g, &g->conns[i]);
    if (run_until(d, d->o->deadline_us, all_opened) < 0)
        return 2;
    r.recover_ms = (double)(lg_now_us() - t_drop) / 1e3;
    if (run_until(d, lg_now_us() + US(d->o->seconds), NULL) < 0)
        return 2;
    d->sending = 0;
    if (drain(d) < 0)
        return 2;
    take(d, &b);
    r.rate = d->o->rate;
    measure(d, &d->base, &b, &r);
    totals(d, &r);
    write_row(d, &r);
    printf("%-8s storm   %d dropped, all back in %.0f ms: %llu recovered, "
           "%llu not, %llu chats missed, %llu offset gaps\n",
           d->o->label, d->o->rooms * d->o->members, r.recover_ms,
           (unsigned long long)r.recovered, (unsigned long long)r.not_recovered,
           (unsigned long long)r.lost, (unsigned long long)g->n.offset_gaps);
    return r.lost || r.errors || r.not_recovered || r.dup || g->n.offset_gaps ||
                   g->ready != g->nconns
               ? 1
               : 0;
}

/* Places rooms x (members + writers) connections; writers always send,
 * members when members_send. */
static int setup(driver *d, const lg_opts *lo, int members_send)
{
    const scenario_opts *o = d->o;
    int size = o->members + o->writers;
    if (lg_init(&d->g, lo, o->rooms * size, o->rooms, size) != 0)
        return -1;
    for (int room = 0; room < o->rooms; room++)
        for (int s = 0; s < size; s++)
            lg_place(&d->g, room * size + s, room, s,
                     s >= o->members ? 1 : members_send);
    d->receivers = size;
    return 0;
}

int scenario_run(const scenario_opts *o, const lg_opts *lo)
{
    static driver d; /* large: keep it off the stack */
    int rc = 2;
    if (strcmp(o->name, "audio") == 0)
        return audio_net_run(o, lo);
    memset(&d, 0, sizeof(d));
    d.o = o;
    int send = strcmp(o->name, "fanout") == 0 || strcmp(o->name, "rooms") == 0;
    if (setup(&d, lo, send) != 0)
        return 2;
    if (strcmp(o->name, "fanout") == 0)
        rc = fanout(&d);
    else if (strcmp(o->name, "rooms") == 0)
        rc = rooms(&d);
    else if (strcmp(o->name, "idle") == 0)
        rc = idle(&d);
    else if (strcmp(o->name, "storm") == 0)
        rc = storm(&d);
    else
        fprintf(stderr, "loadgen: unknown scenario %s\n", o->name);
    if (lg_now_us() >= o->deadline_us)
        fprintf(stderr, "loadgen: stopped at the time limit\n");
    lg_free(&d.g);
    return rc;
}
