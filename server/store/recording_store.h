/* recording_store: the metadata of audio recordings in Redis, next to
 * session_store (same hash-tagged key space):
 *   kopa:{S}:recording:<id>   hash: session, room, file, started_ms,
 *                             started_by, then ended_ms, stopped_by,
 *                             present (a JSON array of user ids), status
 *                             ("stopped" or "failed")
 *   kopa:{S}:recordings       sorted set: recording id by started_ms
 * Durable, fire-and-forget writes through redis_client_write (queued while
 * Redis is away). */
#ifndef KOPA_STORE_RECORDING_STORE_H
#define KOPA_STORE_RECORDING_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "server/store/redis_client.h"

/* Records that recording id of room in session sid started at started_ms
 * (wall clock) into file, started by user by ("" when the server did).
 * Strings are borrowed for the call. Returns 0, or -1 when the write
 * queue is full (nothing is written). */
int recording_store_start(redis_client *c, const char *sid, const char *id,
                          const char *room, const char *file,
                          int64_t started_ms, const char *by);

/* Records its end: ended_ms, who stopped it ("" for the server), status
 * ("stopped" or "failed") and the user ids of everyone present (npresent
 * ids of [A-Za-z0-9_.-]; others are left out). Returns 0 or -1 as above. */
int recording_store_stop(redis_client *c, const char *sid, const char *id,
                         int64_t ended_ms, const char *by, const char *status,
                         const char *const *present, size_t npresent);

#endif
