/* redis_server: spawns, signals and reaps the redis-server used by the
 * store tests, and removes its temporary dir. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "tests/unit/store/redis_server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *redis_path(void)
{
    static char path[1024];
    const char *env = getenv("PATH");

    while (env != NULL && *env != '\0') {
        const char *end = strchr(env, ':');
        size_t n = end != NULL ? (size_t)(end - env) : strlen(env);
        if (n > 0 && n < sizeof(path) - 16) {
            snprintf(path, sizeof(path), "%.*s/redis-server", (int)n, env);
            if (access(path, X_OK) == 0)
                return path;
        }
        env = end != NULL ? end + 1 : NULL;
    }
    return "/usr/bin/redis-server";
}

/* A port below the ephemeral range, so no client socket can take it (and
 * a connect to it while nothing listens can never connect to itself). */
static int pick_port(void)
{
    unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL);

    for (int tries = 0; tries < 200; tries++) {
        struct sockaddr_in a;
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        int port = 20000 + (int)(rand_r(&seed) % 12000);
        int ok;

        if (fd < 0)
            return -1;
        memset(&a, 0, sizeof(a));
        a.sin_family = AF_INET;
        a.sin_port = htons((uint16_t)port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ok = bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
        close(fd);
        if (ok)
            return port;
    }
    return -1;
}

int redis_server_init(redis_server *s)
{
    memset(s, 0, sizeof(*s));
    strcpy(s->dir, "/tmp/kopa-store-XXXXXX");
    if (mkdtemp(s->dir) == NULL) {
        s->dir[0] = '\0';
        return -1;
    }
    s->port = pick_port();
    return s->port > 0 ? 0 : -1;
}

int redis_server_start(redis_server *s, int appendonly)
{
    char port[16], log[128];
    const char *path = redis_path();
    pid_t pid;

    if (s->pid != 0)
        return -1;
    snprintf(port, sizeof(port), "%d", s->port);
    snprintf(log, sizeof(log), "%s/redis.log", s->dir);
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int fd = open("/dev/null", O_RDWR);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (fd >= 0) {
            dup2(fd, 0);
            dup2(fd, 1);
            dup2(fd, 2);
        }
        execl(path, path, "--port", port, "--bind", "127.0.0.1", "--save", "",
              "--appendonly", appendonly ? "yes" : "no", "--dir", s->dir,
              "--logfile", log, "--daemonize", "no", "--enable-debug-command",
              "yes", (char *)NULL);
        _exit(127);
    }
    s->pid = pid;
    return 0;
}

int redis_server_wait_ready(const redis_server *s, int timeout_ms)
{
    struct timespec pause = {0, 20 * 1000 * 1000};
    struct timeval tv = {0, 200 * 1000};

    for (int waited = 0; waited < timeout_ms; waited += 20) {
        redisContext *ctx = redisConnectWithTimeout("127.0.0.1", s->port, tv);
        if (ctx != NULL && ctx->err == 0) {
            redisReply *r = redisCommand(ctx, "PING");
            int ok = r != NULL && r->type == REDIS_REPLY_STATUS &&
                     strcmp(r->str, "PONG") == 0;
            freeReplyObject(r);
            redisFree(ctx);
            if (ok)
                return 0;
        } else if (ctx != NULL) {
            redisFree(ctx);
        }
        if (s->pid == 0 || waitpid(s->pid, NULL, WNOHANG) != 0)
            return -1; /* not started, or it exited */
        nanosleep(&pause, NULL);
    }
    return -1;
}

int redis_server_signal(const redis_server *s, int sig)
{
    return s->pid > 0 ? kill(s->pid, sig) : -1;
}

void redis_server_kill(redis_server *s)
{
    if (s->pid > 0) {
        kill(s->pid, SIGKILL);
        while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
            ;
        s->pid = 0;
    }
}

static int remove_cb(const char *path, const struct stat *st, int flag,
                     struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void redis_server_cleanup(redis_server *s)
{
    redis_server_kill(s);
    if (s->dir[0] != '\0')
        nftw(s->dir, remove_cb, 8, FTW_DEPTH | FTW_PHYS);
    s->dir[0] = '\0';
}

redisContext *redis_server_connect(const redis_server *s)
{
    struct timeval tv = {2, 0};
    redisContext *ctx = redisConnectWithTimeout("127.0.0.1", s->port, tv);

    if (ctx != NULL && ctx->err != 0) {
        redisFree(ctx);
        return NULL;
    }
    if (ctx != NULL)
        redisSetTimeout(ctx, tv);
    return ctx;
}
