/* recording_store: audio recording metadata in Redis (keys in the header).
 * Called by the app's recorder (server/app/audio_record.c) when a
 * recording starts and stops. */
#include "server/store/recording_store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int id_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-';
}

static int safe_id(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!id_char(s[i]))
            return 0;
    return 1;
}

int recording_store_start(redis_client *c, const char *sid, const char *id,
                          const char *room, const char *file,
                          int64_t started_ms, const char *by)
{
    char key[256], list[160], ms[24];
    snprintf(key, sizeof(key), "kopa:{%s}:recording:%s", sid, id);
    snprintf(list, sizeof(list), "kopa:{%s}:recordings", sid);
    snprintf(ms, sizeof(ms), "%" PRId64, started_ms);
    const char *hset[] = {"HSET", key,  "session",    sid, "room",       room,
                          "file", file, "started_ms", ms,  "started_by", by};
    const char *zadd[] = {"ZADD", list, ms, id};
    if (redis_client_write(c, NULL, NULL, 12, hset, NULL) != 0)
        return -1;
    return redis_client_write(c, NULL, NULL, 4, zadd, NULL);
}

/* A new JSON array of the safe ids among present. */
static char *id_array(const char *const *present, size_t n)
{
    size_t cap = 3, len = 0;
    for (size_t i = 0; i < n; i++)
        cap += strlen(present[i]) + 3;
    char *out = malloc(cap);
    if (out == NULL)
        abort();
    out[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        if (!safe_id(present[i]))
            continue;
        len += (size_t)sprintf(out + len, "%s\"%s\"", len > 1 ? "," : "",
                               present[i]);
    }
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

int recording_store_stop(redis_client *c, const char *sid, const char *id,
                         int64_t ended_ms, const char *by, const char *status,
                         const char *const *present, size_t npresent)
{
    char key[256], ms[24];
    snprintf(key, sizeof(key), "kopa:{%s}:recording:%s", sid, id);
    snprintf(ms, sizeof(ms), "%" PRId64, ended_ms);
    char *who = id_array(present, npresent);
    const char *hset[] = {"HSET", key,      "ended_ms", ms,        "stopped_by",
                          by,     "status", status,     "present", who};
    int r = redis_client_write(c, NULL, NULL, 10, hset, NULL);
    free(who);
    return r;
}
