/* main: wires the pieces together and runs the one event loop.
 *   kopa [serve] [options]  the server
 *   kopa token [options]    mint a token and print a join link
 * Reads like a checklist: config, loop, Redis, app, WebSocket server,
 * signals, run; then the shutdown in reverse. */
#include <libwebsockets.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uv.h>

#include "server/app/app.h"
#include "server/auth/token_cli.h"
#include "server/config.h"
#include "server/net/net.h"
#include "server/store/redis_client.h"

#define SHUTDOWN_POLL_MS 50
#define SHUTDOWN_GRACE_MS 3000

typedef struct server {
    uv_loop_t loop;
    config cfg;
    redis_client *redis;
    app *app;
    net *net;
    uv_signal_t sigterm, sigint;
    uv_timer_t drain;
    unsigned drained_ms;
} server;

static void close_handle(uv_handle_t *h)
{
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

/* Runs until every socket said goodbye (or the grace time passed). */
static void drain_cb(uv_timer_t *t)
{
    server *s = t->data;
    s->drained_ms += SHUTDOWN_POLL_MS;
    size_t len;
    int status;
    char *health = app_render_health(s->app, &len, &status);
    int idle = strstr(health, "\"connections\":0,") != NULL;
    free(health);
    if (!idle && s->drained_ms < SHUTDOWN_GRACE_MS)
        return;
    close_handle((uv_handle_t *)&s->drain);
    redis_client_free(s->redis);
    s->redis = NULL;
    net_stop(s->net);
}

static void signal_cb(uv_signal_t *sig, int signum)
{
    server *s = sig->data;
    fprintf(stderr, "kopa: signal %d, shutting down\n", signum);
    close_handle((uv_handle_t *)&s->sigterm);
    close_handle((uv_handle_t *)&s->sigint);
    app_shutdown(s->app);
    uv_timer_init(&s->loop, &s->drain);
    s->drain.data = s;
    uv_timer_start(&s->drain, drain_cb, SHUTDOWN_POLL_MS, SHUTDOWN_POLL_MS);
}

static int lws_level(int level)
{
    int l = LLL_ERR;
    if (level >= 1)
        l |= LLL_WARN;
    if (level >= 3)
        l |= LLL_NOTICE | LLL_INFO;
    return l;
}

static int serve(server *s)
{
    jwt_keyring keys;
    if (jwt_keyring_init(&keys, s->cfg.secret, s->cfg.secret_len, s->cfg.issuer,
                         s->cfg.audience) != 0) {
        fprintf(stderr, "kopa: the secret must be 32 to 512 bytes\n");
        return 1;
    }
    lws_set_log_level(lws_level(s->cfg.log_level), NULL);
    uv_loop_init(&s->loop);
    redis_client_config rc = {.host = s->cfg.redis_host,
                              .port = s->cfg.redis_port,
                              .command_timeout_ms = s->cfg.redis_timeout_ms,
                              .max_queue = s->cfg.store_queue_max,
                              .seed = (uint64_t)uv_hrtime()};
    s->redis = redis_client_new(&s->loop, &rc);
    if (s->redis == NULL) {
        fprintf(stderr, "kopa: bad Redis address %s:%d\n", s->cfg.redis_host,
                s->cfg.redis_port);
        return 1;
    }
    app_config ac = {.node_id = s->cfg.node_id,
                     .keys = keys,
                     .rate = s->cfg.rate,
                     .burst = s->cfg.burst,
                     .auth_timeout_ms = s->cfg.auth_timeout_ms,
                     .ring_cap = 1024,
                     .stream_maxlen = s->cfg.stream_maxlen,
                     .store_queue_max = s->cfg.store_queue_max,
                     .send_queue_bytes = 4u << 20,
                     .max_batch = 60000,
                     .flush_ms = s->cfg.flush_ms,
                     .recordings_dir = s->cfg.recordings_dir,
                     .audio_speakers = s->cfg.audio_speakers,
                     .network = s->cfg.network};
    jwt_keyring_wipe(&keys);
    s->app = app_new(&s->loop, &ac, s->redis);
    net_config nc = {.host = s->cfg.host,
                     .port = s->cfg.port,
                     .web_root = s->cfg.web_root,
                     .origins = s->cfg.origins,
                     .max_message = 65536,
                     .keepalive_ms = s->cfg.keepalive_ms};
    s->net = net_new(&s->loop, &nc, s->app);
    if (s->net == NULL) {
        fprintf(stderr, "kopa: cannot listen on %s:%d\n", s->cfg.host,
                s->cfg.port);
        return 1;
    }
    uv_signal_init(&s->loop, &s->sigterm);
    uv_signal_init(&s->loop, &s->sigint);
    s->sigterm.data = s->sigint.data = s;
    uv_signal_start(&s->sigterm, signal_cb, SIGTERM);
    uv_signal_start(&s->sigint, signal_cb, SIGINT);
    fprintf(stderr, "kopa: listening on http://%s:%d (node %s, redis %s:%d)\n",
            s->cfg.host, s->cfg.port, s->cfg.node_id, s->cfg.redis_host,
            s->cfg.redis_port);
    uv_run(&s->loop, UV_RUN_DEFAULT);
    net_free(s->net);
    app_free(s->app);
    uv_run(&s->loop, UV_RUN_NOWAIT);
    uv_loop_close(&s->loop);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "token") == 0)
        return token_cli_main(argc - 1, argv + 1, stdout, stderr);
    int skip = argc > 1 && strcmp(argv[1], "serve") == 0;
    signal(SIGPIPE, SIG_IGN);
    static server s;
    int r = config_load(&s.cfg, argc - skip, argv + skip);
    if (r != 0)
        return r > 0 ? 0 : 2;
    r = serve(&s);
    config_free(&s.cfg);
    return r;
}
