/* redis_client: one Redis connection on the server's libuv loop, with a
 * durable FIFO of writes and fail-fast reads. Part of kopa_store; used by
 * the store layer and, through it, by server/app.
 *
 * Writes are kept until Redis answers them. When the connection breaks, or
 * a command gets no reply within command_timeout_ms (a hung Redis), the
 * client drops the connection, reconnects with exponential backoff (forever),
 * and sends every unanswered write again, in the original order, before any
 * newer one. A write may therefore run more than once: after a timeout the
 * old connection's copy may still be executed by Redis (for instance after
 * SIGSTOP/SIGCONT, when Redis drains the dropped socket), possibly after
 * the re-sent copy and after later writes. Every write must be idempotent
 * and must not depend on running before a later write (SET k v, ZADD with
 * explicit scores, XADD with an explicit id, HSET, EXPIRE, ...). A
 * MULTI ... EXEC spread over several writes is not safe either: after a
 * reconnect its unanswered tail would run outside the transaction. Use one
 * EVAL (or FCALL) instead; EVALSHA answers NOSCRIPT after a Redis restart.
 *
 * Reads are never retried: they fail with "disconnected" when the client is
 * not connected or the connection is lost, and with "timeout" when they
 * were the command that timed out.
 *
 * A command times out when it is the oldest unanswered one and
 * command_timeout_ms have passed since it was sent and since the previous
 * reply; the connection is then dropped (the timed-out read gets "timeout",
 * other reads in flight "disconnected", writes are re-sent). Connecting is
 * bounded by connect_timeout_ms.
 *
 * Everything runs on the loop's thread; nothing here blocks the loop except
 * redis_client_new() resolving a host name (see there). Callbacks are never
 * called re-entrantly from inside redis_client_write/read. hiredis sends
 * with write(2): the process must ignore SIGPIPE. Pub/sub and MONITOR need
 * a connection of their own and are refused here. */
#ifndef KOPA_STORE_REDIS_CLIENT_H
#define KOPA_STORE_REDIS_CLIENT_H

#include <hiredis/hiredis.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

typedef struct redis_client redis_client;

typedef enum redis_client_state {
    REDIS_CLIENT_DISCONNECTED, /* waiting for the next connection attempt */
    REDIS_CLIENT_CONNECTING,   /* TCP connect in progress */
    REDIS_CLIENT_CONNECTED     /* commands are sent as they come */
} redis_client_state;

typedef enum redis_client_error {
    REDIS_CLIENT_OK = 0,
    REDIS_CLIENT_ERR_DISCONNECTED, /* "disconnected": read while not connected,
                                      or connection lost */
    REDIS_CLIENT_ERR_TIMEOUT, /* "timeout": no reply within command_timeout_ms
                               */
    REDIS_CLIENT_ERR_CLOSED,  /* "closed": redis_client_free() ran first */
    REDIS_CLIENT_ERR_QUEUE_FULL, /* "queue full": max_queue writes are waiting
                                  */
    REDIS_CLIENT_ERR_INVALID     /* "invalid argument" */
} redis_client_error;

/* Returns a static string for e; the err argument of a reply callback is
 * always one of these pointers, so callers may compare pointers. */
const char *redis_client_strerror(redis_client_error e);

/* Called once per command, from the loop: exactly one of reply and err is
 * non-NULL. An error reply from Redis (REDIS_REPLY_ERROR) is a reply, not
 * an err. reply is borrowed for the call only. The callback may issue new
 * commands; it must not call redis_client_free(). */
typedef void (*redis_client_reply_cb)(redis_client *c, const redisReply *reply,
                                      const char *err, void *data);

/* Called from the loop when the state changes (not from redis_client_new or
 * redis_client_free). It may issue commands; it must not call
 * redis_client_free(). */
typedef void (*redis_client_state_cb)(redis_client *c, redis_client_state state,
                                      void *data);

/* Zero (or NULL) fields take the default shown. */
typedef struct redis_client_config {
    const char *host;            /* "127.0.0.1" */
    int port;                    /* 6379 */
    unsigned connect_timeout_ms; /* 1000 */
    unsigned command_timeout_ms; /* 2000 */
    unsigned backoff_min_ms; /* 100: first reconnect delay (before jitter) */
    unsigned backoff_max_ms; /* 2000: delays double up to this */
    size_t max_queue;        /* 100000 writes, queued plus in flight */
    uint64_t seed;           /* seeds the backoff jitter */
    redis_client_state_cb state_cb; /* optional */
    void *state_data;               /* passed to state_cb */
} redis_client_config;

typedef struct redis_client_stats {
    uint64_t
        commands_sent; /* commands written to a connection, re-sends included */
    uint64_t resends;  /* writes sent again on a new connection */
    uint64_t replies;  /* replies received, error replies included */
    uint64_t timeouts; /* command and connect timeouts */
    uint64_t connects; /* connections established */
    uint64_t reconnects; /* connection attempts after the first */
} redis_client_stats;

/* Returns a new client on loop, already connecting; the caller frees it with
 * redis_client_free(). cfg is borrowed for the call. A host that is not a
 * numeric IPv4/IPv6 address is resolved here, once, with a blocking
 * getaddrinfo(): do that at start-up, never on a loop serving traffic.
 * Returns NULL if the host does not resolve or the config is invalid
 * (port out of range, backoff_min_ms > backoff_max_ms). Aborts on OOM. */
redis_client *redis_client_new(uv_loop_t *loop, const redis_client_config *cfg);

/* Closes the connection and calls every pending callback (queued and
 * in-flight writes, in-flight and failing reads) exactly once with err
 * "closed" before it returns; commands issued from those callbacks are
 * refused (-1). Must be called from outside this client's callbacks (not
 * from a reply_cb or state_cb); it aborts if it is not. It closes all of
 * the client's libuv handles; their close callbacks release the memory, so
 * the caller must let the loop run again (uv_run returns once they are
 * done) before uv_loop_close(). redis_client_free(NULL) is a no-op. */
void redis_client_free(redis_client *c);

/* Queues a durable write of the command argv[0..argc) (argvlen[i] bytes
 * each; argvlen NULL means C strings). The arguments are copied. Writes are
 * sent in order, pipelined, whenever connected; cb runs once, from the loop,
 * with Redis's reply, however many reconnects that takes (or with "closed"
 * from redis_client_free). cb may be NULL. Returns 0, or -1 when max_queue
 * writes are already waiting, argc < 1, argv[0] is a (un)subscribe or
 * MONITOR command, or the client is closing: then nothing is queued and cb
 * is never called. */
int redis_client_write(redis_client *c, redis_client_reply_cb cb, void *data,
                       int argc, const char **argv, const size_t *argvlen);

/* Sends a read (any command that is not retried). If the client is not
 * connected, cb runs soon from the loop (never inside this call) with
 * "disconnected"; otherwise with the reply, "timeout", or "disconnected" if
 * the connection is lost first. cb must not be NULL. Returns 0, or -1 (cb
 * is never called) for the same invalid commands as redis_client_write or
 * when the client is closing. */
int redis_client_read(redis_client *c, redis_client_reply_cb cb, void *data,
                      int argc, const char **argv, const size_t *argvlen);

redis_client_state redis_client_get_state(const redis_client *c);

/* Writes not yet answered: queued plus in flight. */
size_t redis_client_queue_depth(const redis_client *c);

redis_client_stats redis_client_get_stats(const redis_client *c);

#endif
