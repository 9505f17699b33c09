/* config: parses `kopa serve` flags and KOPA_* variables. Called once by
 * main.c before anything starts. */
#include "server/config.h"

#include "server/audio/audio.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef KOPA_DEFAULT_WEB_ROOT
#define KOPA_DEFAULT_WEB_ROOT "web-client"
#endif

static const char usage[] =
    "usage: kopa [serve] [options]\n"
    "       kopa token --help\n"
    "\n"
    "  --host H             listen address (KOPA_HOST, 127.0.0.1)\n"
    "  --port N             listen port (KOPA_PORT, 8080)\n"
    "  --redis HOST:PORT    Redis (KOPA_REDIS, 127.0.0.1:6379)\n"
    "  --secret S           token secret, >= 32 bytes (KOPA_SECRET)\n"
    "  --secret-file F      read the secret from F (KOPA_SECRET_FILE)\n"
    "  --web-root DIR       web client folder (KOPA_WEB_ROOT)\n"
    "  --origins LIST       allowed Origins, comma-separated (KOPA_ORIGINS;\n"
    "                       default: same origin only)\n"
    "  --node-id ID         this node's name (KOPA_NODE_ID, host name)\n"
    "  --issuer S           expected token iss (KOPA_ISSUER, kopa)\n"
    "  --audience S         expected token aud (KOPA_AUDIENCE, kopa)\n"
    "  --rate N             messages per second per connection (KOPA_RATE, "
    "20)\n"
    "  --burst N            burst of messages (KOPA_BURST, 40)\n"
    "  --auth-timeout-ms N  close sockets without auth (KOPA_AUTH_TIMEOUT_MS, "
    "10000)\n"
    "  --redis-timeout-ms N Redis command timeout (KOPA_REDIS_TIMEOUT_MS, "
    "2000)\n"
    "  --stream-max N       events kept per channel in Redis (KOPA_STREAM_MAX, "
    "100000)\n"
    "  --store-queue N      Redis writes held while Redis is away; past it,\n"
    "                       new messages are refused (KOPA_STORE_QUEUE, "
    "100000)\n"
    "  --flush-ms N         a connection written to less than 5 x N ms ago\n"
    "                       waits up to N ms for more events to send in the\n"
    "                       same frame (KOPA_FLUSH_MS, 2; 0: never waits)\n"
    "  --keepalive-s N      ping a WebSocket silent for N s, close it after\n"
    "                       2 x N s (KOPA_KEEPALIVE_S, 30)\n"
    "  --log-level L        error|warn|info|debug (KOPA_LOG_LEVEL, info)\n"
    "  --recordings DIR     audio recordings folder (KOPA_RECORDINGS,\n"
    "                       var/recordings)\n"
    "  --audio-speakers N   loudest speakers mixed per room, 1-8\n"
    "                       (KOPA_AUDIO_SPEAKERS, 3)\n"
    "  --network ID         whose profiles and pair history (KOPA_NETWORK,\n"
    "                       default)\n"
    "  --help               this text\n";

static const char *env_or(const char *name, const char *def)
{
    const char *v = getenv(name);
    return v && *v ? v : def;
}

static int parse_long(const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || end == s || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

static int read_secret(config *cfg, const char *file)
{
    FILE *f = fopen(file, "rb");
    if (f == NULL) {
        fprintf(stderr, "kopa: cannot read secret file %s\n", file);
        return -1;
    }
    char buf[1024];
    size_t n = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    cfg->secret = malloc(n + 1);
    if (cfg->secret == NULL)
        abort();
    memcpy(cfg->secret, buf, n);
    cfg->secret[n] = '\0';
    cfg->secret_len = n;
    return 0;
}

static int set_redis(config *cfg, const char *v)
{
    const char *colon = strrchr(v, ':');
    long port = 6379;
    size_t hlen = colon ? (size_t)(colon - v) : strlen(v);
    if ((colon && parse_long(colon + 1, 1, 65535, &port) != 0) || hlen == 0 ||
        hlen >= sizeof(cfg->redis_host)) {
        fprintf(stderr, "kopa: --redis wants HOST:PORT, got '%s'\n", v);
        return -1;
    }
    memcpy(cfg->redis_host, v, hlen);
    cfg->redis_host[hlen] = '\0';
    cfg->redis_port = (int)port;
    return 0;
}

/* A network id goes into Redis keys: [A-Za-z0-9_.-]{1,64}. */
static int valid_network(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!strchr("abcdefghijklmnopqrstuvwxyz"
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
                    s[i]))
            return 0;
    return 1;
}

enum {
    O_HOST = 1,
    O_PORT,
    O_REDIS,
    O_SECRET,
    O_SECRET_FILE,
    O_WEB,
    O_ORIGINS,
    O_NODE,
    O_ISS,
    O_AUD,
    O_RATE,
    O_BURST,
    O_AUTH_TO,
    O_REDIS_TO,
    O_STREAM,
    O_FLUSH,
    O_KEEPALIVE,
    O_LOG,
    O_RECORDINGS,
    O_NETWORK,
    O_SPEAKERS,
    O_STORE_QUEUE,
    O_HELP
};

static const struct option options[] = {{"host", 1, 0, O_HOST},
                                        {"port", 1, 0, O_PORT},
                                        {"redis", 1, 0, O_REDIS},
                                        {"secret", 1, 0, O_SECRET},
                                        {"secret-file", 1, 0, O_SECRET_FILE},
                                        {"web-root", 1, 0, O_WEB},
                                        {"origins", 1, 0, O_ORIGINS},
                                        {"node-id", 1, 0, O_NODE},
                                        {"issuer", 1, 0, O_ISS},
                                        {"audience", 1, 0, O_AUD},
                                        {"rate", 1, 0, O_RATE},
                                        {"burst", 1, 0, O_BURST},
                                        {"auth-timeout-ms", 1, 0, O_AUTH_TO},
                                        {"redis-timeout-ms", 1, 0, O_REDIS_TO},
                                        {"stream-max", 1, 0, O_STREAM},
                                        {"flush-ms", 1, 0, O_FLUSH},
                                        {"keepalive-s", 1, 0, O_KEEPALIVE},
                                        {"log-level", 1, 0, O_LOG},
                                        {"recordings", 1, 0, O_RECORDINGS},
                                        {"network", 1, 0, O_NETWORK},
                                        {"audio-speakers", 1, 0, O_SPEAKERS},
                                        {"store-queue", 1, 0, O_STORE_QUEUE},
                                        {"help", 0, 0, O_HELP},
                                        {0, 0, 0, 0}};

/* The value of each option: the flag, else the environment, else default. */
typedef struct raw {
    const char *v[O_HELP];
} raw;

static const char *const env_names[O_HELP] = {
    [O_HOST] = "KOPA_HOST",
    [O_PORT] = "KOPA_PORT",
    [O_REDIS] = "KOPA_REDIS",
    [O_SECRET] = "KOPA_SECRET",
    [O_SECRET_FILE] = "KOPA_SECRET_FILE",
    [O_WEB] = "KOPA_WEB_ROOT",
    [O_ORIGINS] = "KOPA_ORIGINS",
    [O_NODE] = "KOPA_NODE_ID",
    [O_ISS] = "KOPA_ISSUER",
    [O_AUD] = "KOPA_AUDIENCE",
    [O_RATE] = "KOPA_RATE",
    [O_BURST] = "KOPA_BURST",
    [O_AUTH_TO] = "KOPA_AUTH_TIMEOUT_MS",
    [O_REDIS_TO] = "KOPA_REDIS_TIMEOUT_MS",
    [O_STREAM] = "KOPA_STREAM_MAX",
    [O_FLUSH] = "KOPA_FLUSH_MS",
    [O_KEEPALIVE] = "KOPA_KEEPALIVE_S",
    [O_LOG] = "KOPA_LOG_LEVEL",
    [O_RECORDINGS] = "KOPA_RECORDINGS",
    [O_NETWORK] = "KOPA_NETWORK",
    [O_SPEAKERS] = "KOPA_AUDIO_SPEAKERS",
    [O_STORE_QUEUE] = "KOPA_STORE_QUEUE"};

static const char *const defaults[O_HELP] = {[O_HOST] = "127.0.0.1",
                                             [O_PORT] = "8080",
                                             [O_REDIS] = "127.0.0.1:6379",
                                             [O_WEB] = KOPA_DEFAULT_WEB_ROOT,
                                             [O_ORIGINS] = "",
                                             [O_ISS] = "kopa",
                                             [O_AUD] = "kopa",
                                             [O_RATE] = "20",
                                             [O_BURST] = "40",
                                             [O_AUTH_TO] = "10000",
                                             [O_REDIS_TO] = "2000",
                                             [O_STREAM] = "100000",
                                             [O_FLUSH] = "2",
                                             [O_KEEPALIVE] = "30",
                                             [O_LOG] = "info",
                                             [O_RECORDINGS] = "var/recordings",
                                             [O_NETWORK] = "default",
                                             [O_SPEAKERS] = "3",
                                             [O_STORE_QUEUE] = "100000"};

static int numbers(config *cfg, const raw *r)
{
    long port, rate, burst, auth_to, redis_to, stream, flush, keepalive, queue;
    if (parse_long(r->v[O_PORT], 1, 65535, &port) ||
        parse_long(r->v[O_RATE], 1, 100000, &rate) ||
        parse_long(r->v[O_BURST], 1, 100000, &burst) ||
        parse_long(r->v[O_AUTH_TO], 100, 600000, &auth_to) ||
        parse_long(r->v[O_REDIS_TO], 50, 600000, &redis_to) ||
        parse_long(r->v[O_STREAM], 100, 100000000, &stream) ||
        parse_long(r->v[O_FLUSH], 0, 50, &flush) ||
        parse_long(r->v[O_KEEPALIVE], 1, 3600, &keepalive) ||
        parse_long(r->v[O_STORE_QUEUE], 16, 10000000, &queue)) {
        fprintf(stderr, "kopa: a numeric option is out of range\n%s", usage);
        return -1;
    }
    cfg->port = (int)port;
    cfg->rate = (double)rate;
    cfg->burst = (double)burst;
    cfg->auth_timeout_ms = (unsigned)auth_to;
    cfg->redis_timeout_ms = (unsigned)redis_to;
    cfg->stream_maxlen = stream;
    cfg->flush_ms = (unsigned)flush;
    cfg->keepalive_ms = (unsigned)keepalive * 1000u;
    cfg->store_queue_max = (size_t)queue;
    return 0;
}

_Static_assert(AUDIO_MAX_ACTIVE == 8, "--help and README say 1-8");

/* K, the loudest speakers a room's mixer mixes at once. */
static int audio_speakers(config *cfg, const char *v)
{
    long k;
    if (parse_long(v, 1, AUDIO_MAX_ACTIVE, &k) != 0) {
        fprintf(stderr,
                "kopa: --audio-speakers (KOPA_AUDIO_SPEAKERS) wants a number "
                "from 1 to %d, got '%s'\n",
                AUDIO_MAX_ACTIVE, v);
        return -1;
    }
    cfg->audio_speakers = (int)k;
    return 0;
}

static int log_level(const char *s)
{
    const char *names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

int config_load(config *cfg, int argc, char **argv)
{
    raw r;
    memset(cfg, 0, sizeof(*cfg));
    for (int i = 1; i < O_HELP; i++)
        r.v[i] = env_or(env_names[i], defaults[i]);
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (opt == O_HELP) {
            fputs(usage, stdout);
            return 1;
        }
        if (opt <= 0 || opt >= O_HELP) {
            fputs(usage, stderr);
            return -1;
        }
        r.v[opt] = optarg;
    }
    if (optind < argc) {
        fprintf(stderr, "kopa: unexpected argument '%s'\n%s", argv[optind],
                usage);
        return -1;
    }
    if (numbers(cfg, &r) || set_redis(cfg, r.v[O_REDIS]) ||
        audio_speakers(cfg, r.v[O_SPEAKERS]))
        return -1;
    if ((cfg->log_level = log_level(r.v[O_LOG])) < 0) {
        fprintf(stderr, "kopa: unknown log level '%s'\n", r.v[O_LOG]);
        return -1;
    }
    if (r.v[O_SECRET_FILE] && read_secret(cfg, r.v[O_SECRET_FILE]))
        return -1;
    if (cfg->secret == NULL && r.v[O_SECRET]) {
        cfg->secret = strdup(r.v[O_SECRET]);
        cfg->secret_len = strlen(r.v[O_SECRET]);
    }
    if (cfg->secret == NULL) {
        fprintf(stderr, "kopa: no secret: set KOPA_SECRET or --secret-file\n");
        return -1;
    }
    cfg->host = r.v[O_HOST];
    cfg->web_root = r.v[O_WEB];
    cfg->origins = r.v[O_ORIGINS];
    cfg->issuer = r.v[O_ISS];
    cfg->audience = r.v[O_AUD];
    cfg->recordings_dir = r.v[O_RECORDINGS];
    cfg->network = r.v[O_NETWORK];
    if (!valid_network(cfg->network)) {
        fprintf(stderr, "kopa: --network wants 1 to 64 of A-Z a-z 0-9 _ . -\n");
        return -1;
    }
    if (r.v[O_NODE])
        snprintf(cfg->node_id, sizeof(cfg->node_id), "%s", r.v[O_NODE]);
    else if (gethostname(cfg->node_id, sizeof(cfg->node_id) - 1) != 0)
        snprintf(cfg->node_id, sizeof(cfg->node_id), "node");
    return 0;
}

void config_free(config *cfg)
{
    if (cfg->secret) {
        memset(cfg->secret, 0, cfg->secret_len);
        free(cfg->secret);
    }
    cfg->secret = NULL;
}
