/* session_store: Kopa's Redis keys and scripts for sessions, on top of
 * redis_client. The only place that knows the key layout; it turns Redis
 * replies into plain C values so the app never sees a redisReply.
 *
 * Keys (the session id is a hash tag, so one session stays on one shard):
 *   kopa:{S}:meta              hash: epoch, prev_epoch
 *   kopa:{S}:tops              hash: channel -> last stored offset
 *   kopa:{S}:log:<channel>     stream: id "<offset>-0", field e = event JSON
 *   kopa:{S}:dedup:<user>:<id> string "<channel> <offset>", 7 days
 *   kopa:{S}:roster            set of user ids that ever joined
 *   kopa:{S}:presence:<node>   set of user ids online on that node (TTL)
 *   kopa:{S}:ops               hash: op seq -> a change to the session's
 *                              agenda, hands, topics, stage, questions or
 *                              pulses, replayed on load (session_state.h,
 *                              which also writes :log and :tops)
 *   kopa:{prog:P}:doc|notes|attend  a programme (session_state.h)
 *   kopa:node:<node>           the node's heartbeat (TTL) */
#ifndef KOPA_STORE_SESSION_STORE_H
#define KOPA_STORE_SESSION_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/store/redis_client.h"

typedef struct session_store_top {
    const char *channel;
    int64_t top;
} session_store_top;

typedef struct session_store_loaded {
    const char *prev_epoch; /* "" for a new session */
    const session_store_top *tops;
    size_t ntops;
    const char *const *roster;
    size_t nroster;
} session_store_loaded;

typedef struct session_store_event {
    int64_t offset;
    const char *data;
    size_t len;
} session_store_event;

/* All callbacks run once, from the loop. On failure the result is NULL and
 * err says why (a static string); everything passed is borrowed for the
 * call only. */
typedef void (*session_store_load_cb)(const session_store_loaded *res,
                                      const char *err, void *data);
typedef void (*session_store_done_cb)(const char *err, void *data);
typedef void (*session_store_range_cb)(const session_store_event *events,
                                       size_t n, const char *err, void *data);
/* found is 0 when the id is unknown; channel and offset are set when 1. */
typedef void (*session_store_dedup_cb)(int found, const char *channel,
                                       int64_t offset, const char *err,
                                       void *data);

/* Starts a new incarnation of session sid: atomically reads the stored
 * tops, roster and epoch and replaces the epoch with new_epoch (keeping the
 * old one as prev_epoch). A read: fails fast when Redis is unreachable.
 * Returns 0, or -1 when the command could not be issued (cb not called). */
int session_store_load(redis_client *c, const char *sid, const char *new_epoch,
                       session_store_load_cb cb, void *data);

/* Durably appends the event with this offset to the channel's stream and
 * moves the channel's top, unless the top is already >= offset (so a resent
 * write is harmless). When user and id are non-NULL it also records the
 * client message id for de-duplication. Keeps about maxlen events per
 * stream. cb (may be NULL) runs once Redis stored it. Returns -1 when the
 * write queue is full (nothing queued, cb not called). */
int session_store_append(redis_client *c, const char *sid, const char *channel,
                         int64_t offset, const char *event, size_t len,
                         const char *user, const char *id, long maxlen,
                         session_store_done_cb cb, void *data);

/* Reads the stored events of a channel with offsets from..to (inclusive),
 * in order. A read. */
int session_store_range(redis_client *c, const char *sid, const char *channel,
                        int64_t from, int64_t to, session_store_range_cb cb,
                        void *data);

/* Looks up a client message id recorded by session_store_append. A read. */
int session_store_dedup_get(redis_client *c, const char *sid, const char *user,
                            const char *id, session_store_dedup_cb cb,
                            void *data);

/* Durable, fire-and-forget writes. */
int session_store_roster_add(redis_client *c, const char *sid,
                             const char *user);
/* Marks user online (1) or offline (0) on node; the set expires ttl_s
 * seconds after the last heartbeat. */
int session_store_presence(redis_client *c, const char *sid, const char *node,
                           const char *user, int online, int ttl_s);
/* Refreshes the node heartbeat and the TTL of the node's presence set of
 * session sid (call for every live session, every few seconds). */
int session_store_heartbeat(redis_client *c, const char *node,
                            const char *const *sids, size_t nsids, int ttl_s);

#endif
