/* kopa_loadgen: the bench's load generator. Parses the command line, raises
 * its own file limit, reads the secret and hands one scenario to
 * scenario.c. Talks only to loopback addresses and stops by itself. */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "audio_net.h"
#include "dialect.h"
#include "scenario.h"

static const char usage[] =
    "usage: kopa_loadgen --port N --scenario S [options]\n"
    "       kopa_loadgen --free-port    print a free loopback TCP port\n"
    "  --dialect D        kopa (default), plain (the ws peer) or sio\n"
    "                     (Socket.IO)\n"
    "  --host A           server address, 127.x.y.z only (127.0.0.1)\n"
    "  --port N           server port\n"
    "  --scenario S       fanout, rooms, idle, storm or audio (Kopa only)\n"
    "  --secret-file F    token secret (Kopa's; the peers use the same)\n"
    "  --label L          the server's name in the CSV (the dialect)\n"
    "  --csv F            append result rows to F\n"
    "  --server-pid P     process whose CPU and RSS are measured\n"
    "  --redis-pid P      Redis process whose CPU is reported too\n"
    "  --prefix P         room/session name prefix (a random one)\n"
    "  --rooms N          rooms (fanout 1, rooms 50, storm 10, audio 10;\n"
    "                     audio 0: the workshop only)\n"
    "  --members N        members per room (fanout 100, rooms 20, idle 50,\n"
    "                     storm 100, audio 20)\n"
    "  --connections N    idle: connections in all (10000)\n"
    "  --writers N        storm: senders per room that stay (1)\n"
    "  --speakers N       audio: members per room who speak (3, 1-8)\n"
    "  --listeners N      audio: the workshop's audience (500; 0: no\n"
    "                     workshop)\n"
    "  --stage N          audio: who speak in the workshop, its host\n"
    "                     included (1, 1-8)\n"
    "  --rate R           chats/s per sender (rooms 1, storm 20)\n"
    "  --steps R1,R2,...  fanout: rates per member, tried until saturation\n"
    "                     (2,5,10,20,50,100,200,500)\n"
    "  --seconds S        measured seconds per step (fanout 2.5, rooms 8,\n"
    "                     storm 1, audio 10)\n"
    "  --warmup S         unmeasured seconds before (1, audio 2; idle:\n"
    "                     settle time)\n"
    "  --drain S          stop waiting for late deliveries after S quiet\n"
    "                     seconds (2; never more than 30 in all)\n"
    "  --window N         chats in flight per sender (16)\n"
    "  --concurrency N    connections opening at once (200)\n"
    "  --text-bytes N     chat text length (100)\n"
    "  --max-seconds S    stop everything after S seconds (300)\n"
    "  --check            exit 1 when chats were lost or errors happened\n"
    "                     (audio: when a member heard nothing)\n"
    "  --quiet            do not print protocol errors\n";

static int free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        perror("kopa_loadgen: free port");
        return 1;
    }
    printf("%d\n", ntohs(a.sin_port));
    close(fd);
    return 0;
}

static int read_secret(const char *file, char *buf, size_t cap, size_t *len)
{
    FILE *f = fopen(file, "rb");
    if (f == NULL) {
        fprintf(stderr, "kopa_loadgen: cannot read %s\n", file);
        return -1;
    }
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    buf[n] = '\0';
    *len = n;
    return 0;
}

static void raise_file_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
}

static int parse_steps(const char *s, scenario_opts *o)
{
    char *end;
    o->nsteps = 0;
    while (*s && o->nsteps < SCENARIO_MAX_STEPS) {
        double v = strtod(s, &end);
        if (end == s || v <= 0)
            return -1;
        o->steps[o->nsteps++] = v;
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
            return -1;
    }
    return o->nsteps > 0 ? 0 : -1;
}

/* Whether the audio scenario's sizes are out of bounds (says so). */
static int bad_audio_opts(const scenario_opts *o, const lg_opts *lo)
{
    const char *why = NULL;
    if (lo->d != &dialect_kopa)
        why = "the audio scenario speaks Kopa's protocol only (--dialect kopa)";
    else if (o->speakers > AUDIO_NET_MAX_SPEAKERS ||
             o->stage > AUDIO_NET_MAX_SPEAKERS)
        why = "--speakers and --stage are 1 to 8";
    else if (o->rooms > 0 && (o->members < o->speakers || o->members > 1000))
        why = "--members must be --speakers to 1000";
    else if (o->rooms > 1000 || o->listeners > 20000)
        why = "at most 1000 rooms and 20000 listeners";
    else if (o->rooms == 0 && o->listeners == 0)
        why = "nothing to run (--rooms 0 and --listeners 0)";
    else if (o->seconds <= 0 || o->warmup < 0)
        why = "--seconds must be positive";
    if (why)
        fprintf(stderr, "kopa_loadgen: %s\n", why);
    return why != NULL;
}

/* The defaults of scenario o->name, applied where no flag set a value. */
static void defaults(scenario_opts *o, int connections)
{
    int fan = strcmp(o->name, "fanout") == 0;
    int many = strcmp(o->name, "rooms") == 0;
    int idle = strcmp(o->name, "idle") == 0;
    int audio = strcmp(o->name, "audio") == 0;
    if (o->members <= 0)
        o->members = fan ? 100 : many || audio ? 20 : idle ? 50 : 100;
    if (idle)
        o->rooms = (connections > 0 ? connections : 10000) / o->members;
    if (o->rooms < 0 || (o->rooms == 0 && !audio))
        o->rooms = fan ? 1 : many ? 50 : 10;
    if (o->speakers <= 0)
        o->speakers = 3;
    if (o->listeners < 0)
        o->listeners = 500;
    if (o->stage <= 0)
        o->stage = 1;
    if (o->warmup < 0)
        o->warmup = audio ? 2 : 1;
    if (o->writers < 0)
        o->writers = strcmp(o->name, "storm") == 0 ? 1 : 0;
    if (o->rate <= 0)
        o->rate = many ? 1 : 20;
    if (o->seconds <= 0)
        o->seconds = fan ? 2.5 : many ? 8 : audio ? 10 : 1;
    if (o->nsteps == 0)
        parse_steps("2,5,10,20,50,100,200,500", o);
}

int main(int argc, char **argv)
{
    enum {
        O_DIALECT = 1,
        O_HOST,
        O_PORT,
        O_SCEN,
        O_SECRET,
        O_LABEL,
        O_CSV,
        O_SPID,
        O_RPID,
        O_PREFIX,
        O_ROOMS,
        O_MEMBERS,
        O_CONNS,
        O_WRITERS,
        O_SPEAKERS,
        O_LISTENERS,
        O_STAGE,
        O_RATE,
        O_STEPS,
        O_SECONDS,
        O_WARMUP,
        O_DRAIN,
        O_WINDOW,
        O_CONC,
        O_TEXT,
        O_MAX,
        O_CHECK,
        O_QUIET,
        O_FREE,
        O_HELP
    };
    static const struct option opts[] = {{"dialect", 1, 0, O_DIALECT},
                                         {"host", 1, 0, O_HOST},
                                         {"port", 1, 0, O_PORT},
                                         {"scenario", 1, 0, O_SCEN},
                                         {"secret-file", 1, 0, O_SECRET},
                                         {"label", 1, 0, O_LABEL},
                                         {"csv", 1, 0, O_CSV},
                                         {"server-pid", 1, 0, O_SPID},
                                         {"redis-pid", 1, 0, O_RPID},
                                         {"prefix", 1, 0, O_PREFIX},
                                         {"rooms", 1, 0, O_ROOMS},
                                         {"members", 1, 0, O_MEMBERS},
                                         {"connections", 1, 0, O_CONNS},
                                         {"writers", 1, 0, O_WRITERS},
                                         {"speakers", 1, 0, O_SPEAKERS},
                                         {"listeners", 1, 0, O_LISTENERS},
                                         {"stage", 1, 0, O_STAGE},
                                         {"rate", 1, 0, O_RATE},
                                         {"steps", 1, 0, O_STEPS},
                                         {"seconds", 1, 0, O_SECONDS},
                                         {"warmup", 1, 0, O_WARMUP},
                                         {"drain", 1, 0, O_DRAIN},
                                         {"window", 1, 0, O_WINDOW},
                                         {"concurrency", 1, 0, O_CONC},
                                         {"text-bytes", 1, 0, O_TEXT},
                                         {"max-seconds", 1, 0, O_MAX},
                                         {"check", 0, 0, O_CHECK},
                                         {"quiet", 0, 0, O_QUIET},
                                         {"free-port", 0, 0, O_FREE},
                                         {"help", 0, 0, O_HELP},
                                         {0, 0, 0, 0}};
    scenario_opts so = {.writers = -1,
                        .rooms = -1,
                        .listeners = -1,
                        .warmup = -1,
                        .drain = 2,
                        .window = 16,
                        .concurrency = 200,
                        .saturated = 0.85};
    lg_opts lo = {.host = "127.0.0.1", .d = &dialect_kopa, .text_bytes = 100};
    const char *secret_file = NULL, *csv = NULL;
    char secret[1024], prefix[32];
    double max_seconds = 300;
    int check = 0, connections = 0, opt;

    snprintf(prefix, sizeof(prefix), "b%x%04x", (unsigned)getpid(),
             (unsigned)(lg_now_us() & 0xffff));
    lo.prefix = prefix;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (opt) {
        case O_DIALECT:
            lo.d = strcmp(optarg, "plain") == 0  ? &dialect_plain
                   : strcmp(optarg, "sio") == 0  ? &dialect_sio
                   : strcmp(optarg, "kopa") == 0 ? &dialect_kopa
                                                 : NULL;
            if (lo.d == NULL) {
                fprintf(stderr, "kopa_loadgen: unknown dialect %s\n", optarg);
                return 2;
            }
            break;
        case O_HOST:
            lo.host = optarg;
            break;
        case O_PORT:
            lo.port = atoi(optarg);
            break;
        case O_SCEN:
            so.name = optarg;
            break;
        case O_SECRET:
            secret_file = optarg;
            break;
        case O_LABEL:
            so.label = optarg;
            break;
        case O_CSV:
            csv = optarg;
            break;
        case O_SPID:
            so.server_pid = atoi(optarg);
            break;
        case O_RPID:
            so.redis_pid = atoi(optarg);
            break;
        case O_PREFIX:
            lo.prefix = optarg;
            break;
        case O_ROOMS:
            so.rooms = atoi(optarg);
            break;
        case O_MEMBERS:
            so.members = atoi(optarg);
            break;
        case O_CONNS:
            connections = atoi(optarg);
            break;
        case O_WRITERS:
            so.writers = atoi(optarg);
            break;
        case O_SPEAKERS:
            so.speakers = atoi(optarg);
            break;
        case O_LISTENERS:
            so.listeners = atoi(optarg);
            break;
        case O_STAGE:
            so.stage = atoi(optarg);
            break;
        case O_RATE:
            so.rate = atof(optarg);
            break;
        case O_STEPS:
            if (parse_steps(optarg, &so) != 0) {
                fprintf(stderr, "kopa_loadgen: bad --steps %s\n", optarg);
                return 2;
            }
            break;
        case O_SECONDS:
            so.seconds = atof(optarg);
            break;
        case O_WARMUP:
            so.warmup = atof(optarg);
            break;
        case O_DRAIN:
            so.drain = atof(optarg);
            break;
        case O_WINDOW:
            so.window = atoi(optarg);
            break;
        case O_CONC:
            so.concurrency = atoi(optarg);
            break;
        case O_TEXT:
            lo.text_bytes = atoi(optarg);
            break;
        case O_MAX:
            max_seconds = atof(optarg);
            break;
        case O_CHECK:
            check = 1;
            break;
        case O_QUIET:
            lo.quiet = 1;
            break;
        case O_FREE:
            return free_port();
        case O_HELP:
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (so.name == NULL || lo.port <= 0 || lo.port > 65535 ||
        secret_file == NULL || so.window < 1 || so.concurrency < 1 ||
        lo.text_bytes < 40 || lo.text_bytes > 4000) {
        fputs(usage, stderr);
        return 2;
    }
    if (read_secret(secret_file, secret, sizeof(secret), &lo.secret_len))
        return 2;
    lo.secret = secret;
    defaults(&so, connections);
    if (strcmp(so.name, "audio") == 0 && bad_audio_opts(&so, &lo))
        return 2;
    if (so.label == NULL)
        so.label = lo.d->name;
    so.deadline_us = lg_now_us() + (int64_t)(max_seconds * 1e6);
    signal(SIGPIPE, SIG_IGN);
    raise_file_limit();
    if (csv && (so.csv = fopen(csv, "a")) == NULL) {
        perror("kopa_loadgen: csv");
        return 2;
    }
    int rc = scenario_run(&so, &lo);
    if (so.csv)
        fclose(so.csv);
    return rc == 2 ? 2 : check ? rc : 0;
}
