/* session_state: the Redis side of running a session (agenda, hands,
 * topics, stage, questions, pulses) and of a network's programme (its
 * sessions, notes and attendance). Part of kopa_store, next to
 * session_store (which owns the event logs); the app never sees Redis.
 *
 * A session's live state is rebuilt, after a restart or on another node,
 * by replaying its ops: every accepted change, with the server time and
 * the member that made it, in the order the node applied it. The domain
 * modules (rooms/agenda.h, hands.h, ...) promise that replaying the same
 * calls with the same times rebuilds the same state, ids and running
 * timers included; a snapshot could not give back their ids and sequences
 * through their APIs. An op is written in the same script as the kept
 * event it caused, so both are stored or neither.
 *
 * Keys (S a session id, P a programme id; the hash tags keep each group on
 * one shard of a Redis Cluster):
 *   kopa:{S}:ops          hash: op seq -> the op record ("<ms> <user>
 *                         <frame>", opaque here)
 *   kopa:{prog:P}:doc     string "<version> <document>": the programme's
 *                         sessions (proto_encode_programme_doc)
 *   kopa:{prog:P}:notes   hash: note id -> "<version> <note JSON>", or
 *                         "<version> -" once removed
 *   kopa:{prog:P}:attend  hash: "<entry id> <user id>" -> "1 <display
 *                         name>", or "1" when the name is not known (as
 *                         every record written before names were kept)
 * Versions grow with every programme write of a node; a write older than
 * what is stored is ignored, so writes re-sent after a reconnect (see
 * redis_client.h) never undo newer ones. */
#ifndef KOPA_STORE_SESSION_STATE_H
#define KOPA_STORE_SESSION_STATE_H

#include <stddef.h>
#include <stdint.h>

#include "server/store/redis_client.h"
#include "server/store/session_store.h"

typedef struct session_state_op {
    int64_t seq; /* > 0, unique per session */
    const char *rec;
    size_t len;
} session_state_op;

typedef struct session_state_note {
    uint32_t id;
    int64_t version;
    const char *json; /* NULL when removed */
    size_t len;
} session_state_note;

typedef struct session_state_attend {
    uint32_t entry;
    const char *user;
    const char *name; /* "" when not stored */
} session_state_attend;

typedef struct session_state_programme {
    const char *doc; /* NULL when nothing is stored */
    size_t doc_len;
    int64_t doc_version;
    const session_state_note *notes;
    size_t nnotes;
    const session_state_attend *attend;
    size_t nattend;
} session_state_programme;

/* Callbacks run once, from the loop; results are borrowed for the call.
 * On failure the result is NULL and err says why (a static string). */
typedef void (*session_state_ops_cb)(const session_state_op *ops, size_t n,
                                     const char *err, void *data);
typedef void (*session_state_programme_cb)(const session_state_programme *p,
                                           const char *err, void *data);

/* Appends a kept event exactly as session_store_append() does (same keys,
 * same guard: nothing happens when the channel's stored top is already >=
 * offset) and, in the same script, records the nops ops. cb (may be NULL)
 * runs once it is stored. Returns -1 when the write queue is full (nothing
 * queued, cb not called). */
int session_state_append(redis_client *c, const char *sid, const char *channel,
                         int64_t offset, const char *event, size_t len,
                         const session_state_op *ops, size_t nops, long maxlen,
                         session_store_done_cb cb, void *data);
/* Records ops that come with no kept event (pulses). Idempotent. */
int session_state_put_ops(redis_client *c, const char *sid,
                          const session_state_op *ops, size_t nops,
                          session_store_done_cb cb, void *data);
/* Reads every op of session sid, in seq order. A read (fails fast while
 * Redis is unreachable). Returns -1 when it could not be issued. */
int session_state_load_ops(redis_client *c, const char *sid,
                           session_state_ops_cb cb, void *data);

/* Reads programme pid: its document, notes and attendance. A read. */
int session_state_load_programme(redis_client *c, const char *pid,
                                 session_state_programme_cb cb, void *data);
/* Stores the programme document (len bytes) unless a newer version is
 * stored. A durable write; cb may be NULL. */
int session_state_save_doc(redis_client *c, const char *pid, int64_t version,
                           const char *doc, size_t len,
                           session_store_done_cb cb, void *data);
/* Stores note id (json of len bytes, or NULL when it was removed) unless a
 * newer version of it is stored. A durable write. */
int session_state_save_note(redis_client *c, const char *pid, uint32_t id,
                            int64_t version, const char *json, size_t len,
                            session_store_done_cb cb, void *data);
/* Records that user attended programme entry `entry`, under display name
 * `name` (NULL or "": not known); recording it again replaces the name. A
 * durable write. Returns -1 when the write queue is full. */
int session_state_save_attend(redis_client *c, const char *pid, uint32_t entry,
                              const char *user, const char *name);

#endif
