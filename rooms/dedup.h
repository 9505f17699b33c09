/* dedup: remembers the most recent client message ids per session, so a
 * resent message (same sender, same id) is answered with its original
 * offset instead of being kept twice. Bounded: the oldest entry leaves
 * when full (storage keeps a longer memory). Pure. */
#ifndef KOPA_ROOMS_DEDUP_H
#define KOPA_ROOMS_DEDUP_H

#include <stddef.h>
#include <stdint.h>

#define DEDUP_KEY_MAX 130 /* "<user id>\n<client id>" */

typedef struct dedup_entry {
    char key[DEDUP_KEY_MAX + 1];
    char channel[81];
    int64_t offset;
    int stored;          /* 1 once storage confirmed it */
    uint64_t waiter;     /* connection to acknowledge when stored, or 0 */
    char waiter_ref[65]; /* the reference that connection gave, or "" */
    int32_t next;        /* bucket chain, -1 ends */
    int used;
} dedup_entry;

typedef struct dedup {
    dedup_entry *entries; /* ring of cap entries */
    int32_t *buckets;     /* nbuckets chain heads, -1 empty */
    size_t cap, nbuckets, count, head;
} dedup;

/* Returns a new table holding up to cap ids, or NULL when out of memory.
 * The caller frees it with dedup_free(). */
dedup *dedup_new(size_t cap);
void dedup_free(dedup *d);

/* Returns the entry for (user, id), or NULL. The pointer stays valid until
 * the next dedup_put(). */
dedup_entry *dedup_find(dedup *d, const char *user, const char *id);

/* Adds (user, id) -> (channel, offset), not yet stored, evicting the oldest
 * entry when full; returns the new entry, or NULL when the key is too long.
 * The caller checks dedup_find() first. */
dedup_entry *dedup_put(dedup *d, const char *user, const char *id,
                       const char *channel, int64_t offset);

#endif
