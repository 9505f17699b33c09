/* store_int: private helpers shared by the store's key-layout files
 * (session_store.c, session_state.c, breakout_store.c). Not part of the
 * store's public API; nothing outside server/store includes this. */
#ifndef KOPA_STORE_INT_H
#define KOPA_STORE_INT_H

#include <stddef.h>
#include <stdint.h>

#include "server/store/redis_client.h"

/* The size of a key buffer filled by store__key(). */
#define STORE__KEY_MAX 320

/* The start of the Lua scripts that append an event to a channel's log
 * (session_store_append, session_state_append): KEYS[1] is the stream,
 * KEYS[2] the tops hash; ARGV[1] the channel, ARGV[2] the offset, ARGV[3]
 * the event, ARGV[4] the stream's approximate MAXLEN. Returns 0 (from the
 * script) when the offset is not above the channel's top, else appends,
 * raises the top and goes on. */
#define STORE__APPEND_LUA                                                      \
    "local top = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')\n"      \
    "if tonumber(ARGV[2]) <= top then return 0 end\n"                          \
    "redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], ARGV[2]..'-0',"       \
    " 'e', ARGV[3])\n"                                                         \
    "redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])\n"

/* Writes "kopa:{<tag><id>}:<suffix>" into out (STORE__KEY_MAX bytes,
 * truncated to fit). tag is "" for a session, "prog:" or "net:". */
void store__key(char *out, const char *tag, const char *id, const char *suffix);

/* A pending command's caller callback and its data. The callback is
 * stored untyped; each reply callback casts it back to its own type. */
typedef struct store__request {
    void *cb;
    void *data;
} store__request;

/* Returns a new request holding cb and data; aborts when out of memory.
 * The reply callback frees it with store__take(). */
store__request *store__request_new(void *cb, void *data);

/* Frees the request passed as a reply callback's data; sets *cb_data to
 * the caller's data and returns the caller's callback (may be NULL). */
void *store__take(void *request, void **cb_data);

/* The error of a reply: err when set, "redis error" for an error reply,
 * otherwise NULL. */
const char *store__reply_error(const redisReply *r, const char *err);

/* The error of a reply that must be an array: store__reply_error(), else
 * "unexpected reply" unless r is an array (of exactly n elements, when n
 * is not 0, of which those from index first on are arrays), else NULL. */
const char *store__reply_array(const redisReply *r, const char *err, size_t n,
                               size_t first);

/* A caller callback that only learns whether a write succeeded; the shape
 * of session_store_done_cb and breakout_store_done_cb. */
typedef void (*store__done_cb)(const char *err, void *data);

/* Reply callback for a request whose callback is a store__done_cb (or
 * NULL): calls it with the reply's error. */
void store__done_reply_cb(redis_client *c, const redisReply *r, const char *err,
                          void *data);

/* Sends argv (lens NULL: C strings) as a read or a durable write with a
 * new request of cb and data, answered through done. Returns 0, or -1
 * (the request freed, neither callback called). */
int store__read(redis_client *c, redis_client_reply_cb done, void *cb,
                void *data, int argc, const char **argv, const size_t *lens);
int store__write(redis_client *c, redis_client_reply_cb done, void *cb,
                 void *data, int argc, const char **argv, const size_t *lens);

/* Parses the len bytes at s with strtoll. Returns 0 with *v the value and
 * *stop the first byte not parsed ('\0' at the end), or -1 when len is 0
 * or 31 or more. */
int store__strtoll(const char *s, size_t len, long long *v, char *stop);

#endif
