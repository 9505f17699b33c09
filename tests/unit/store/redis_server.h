/* redis_server: a throwaway redis-server for the store tests, on a free
 * loopback port with its own temporary --dir. Used by every test file in
 * tests/unit/store. These helpers block (fork, waitpid, a PING loop): call
 * them from test code, not from loop callbacks, except redis_server_start,
 * redis_server_kill and redis_server_signal, which return at once. */
#ifndef KOPA_TESTS_STORE_REDIS_SERVER_H
#define KOPA_TESTS_STORE_REDIS_SERVER_H

#include <hiredis/hiredis.h>
#include <sys/types.h>

typedef struct redis_server {
    pid_t pid; /* 0 when not running */
    int port;
    char dir[64];
} redis_server;

/* Makes the temporary dir and picks a free port; starts nothing.
 * Returns 0, or -1 (errno set). */
int redis_server_init(redis_server *s);

/* Starts redis-server (found on PATH, else /usr/bin/redis-server) on
 * s->port with --save '', --appendonly yes|no and DEBUG enabled (for
 * DEBUG SLEEP); does not wait for it.
 * The child dies with the test process (PR_SET_PDEATHSIG). Returns 0 or -1. */
int redis_server_start(redis_server *s, int appendonly);

/* Waits until the server answers PING. Returns 0, or -1 after timeout_ms. */
int redis_server_wait_ready(const redis_server *s, int timeout_ms);

/* Sends sig to the running server. Returns 0 or -1. */
int redis_server_signal(const redis_server *s, int sig);

/* SIGKILLs the server, if running, and reaps it. */
void redis_server_kill(redis_server *s);

/* Kills the server and removes its dir. Safe to call twice. */
void redis_server_cleanup(redis_server *s);

/* Returns a blocking connection for checks (caller frees with redisFree),
 * or NULL. */
redisContext *redis_server_connect(const redis_server *s);

#endif
