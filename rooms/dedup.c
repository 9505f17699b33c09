/* dedup: a fixed-size hash table with FIFO eviction of client message ids.
 * Called by the app's chat and dm handlers on every kept message. */
#include "rooms/dedup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int make_key(char *out, const char *user, const char *id)
{
    int n = snprintf(out, DEDUP_KEY_MAX + 1, "%s\n%s", user, id);
    return n > 0 && n <= DEDUP_KEY_MAX ? 0 : -1;
}

dedup *dedup_new(size_t cap)
{
    dedup *d = calloc(1, sizeof(*d));
    if (d == NULL || cap == 0)
        goto fail;
    d->cap = cap;
    d->nbuckets = cap * 2;
    d->entries = calloc(cap, sizeof(*d->entries));
    d->buckets = malloc(d->nbuckets * sizeof(*d->buckets));
    if (d->entries == NULL || d->buckets == NULL)
        goto fail;
    for (size_t i = 0; i < d->nbuckets; i++)
        d->buckets[i] = -1;
    return d;
fail:
    dedup_free(d);
    return NULL;
}

void dedup_free(dedup *d)
{
    if (d == NULL)
        return;
    free(d->entries);
    free(d->buckets);
    free(d);
}

dedup_entry *dedup_find(dedup *d, const char *user, const char *id)
{
    char key[DEDUP_KEY_MAX + 1];
    if (make_key(key, user, id) != 0)
        return NULL;
    int32_t i = d->buckets[hash_key(key) % d->nbuckets];
    for (; i >= 0; i = d->entries[i].next)
        if (strcmp(d->entries[i].key, key) == 0)
            return &d->entries[i];
    return NULL;
}

static void unlink_entry(dedup *d, int32_t idx)
{
    int32_t *link = &d->buckets[hash_key(d->entries[idx].key) % d->nbuckets];
    while (*link >= 0 && *link != idx)
        link = &d->entries[*link].next;
    if (*link == idx)
        *link = d->entries[idx].next;
    d->entries[idx].used = 0;
}

dedup_entry *dedup_put(dedup *d, const char *user, const char *id,
                       const char *channel, int64_t offset)
{
    char key[DEDUP_KEY_MAX + 1];
    if (make_key(key, user, id) != 0)
        return NULL;
    int32_t idx;
    if (d->count == d->cap) {
        idx = (int32_t)d->head;
        unlink_entry(d, idx);
        d->head = (d->head + 1) % d->cap;
    } else {
        idx = (int32_t)((d->head + d->count) % d->cap);
        d->count++;
    }
    dedup_entry *e = &d->entries[idx];
    memset(e, 0, sizeof(*e));
    memcpy(e->key, key, strlen(key) + 1);
    snprintf(e->channel, sizeof(e->channel), "%s", channel);
    e->offset = offset;
    e->used = 1;
    size_t b = hash_key(key) % d->nbuckets;
    e->next = d->buckets[b];
    d->buckets[b] = idx;
    return e;
}
