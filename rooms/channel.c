/* channel: offsets and the in-memory ring of recent events of one channel.
 * The app appends every kept event here before fan-out and reads the ring
 * to replay missed events on resume; older events come from storage. */
#include "rooms/channel.h"

#include <stdlib.h>
#include <string.h>

channel *channel_new(const char *name, int64_t top, size_t cap)
{
    if (cap == 0)
        return NULL;
    channel *c = calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    size_t n = strlen(name);
    if (n > CHANNEL_NAME_MAX)
        n = CHANNEL_NAME_MAX;
    memcpy(c->name, name, n);
    c->top = top < 0 ? 0 : top;
    c->base = c->top;
    c->cap = cap; /* the ring itself grows with the first events */
    return c;
}

void channel_free(channel *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->count; i++)
        free(c->ring[(c->head + i) % c->alloc].data);
    free(c->ring);
    free(c);
}

int64_t channel_next_offset(const channel *c)
{
    return c->top + 1;
}

/* Doubles the ring (at least 8 slots, at most cap), oldest event first. */
static int grow(channel *c)
{
    size_t n = c->alloc ? c->alloc * 2 : 8;
    if (n > c->cap)
        n = c->cap;
    channel_event *ring = malloc(n * sizeof(*ring));
    if (ring == NULL)
        return -1;
    for (size_t i = 0; i < c->count; i++)
        ring[i] = c->ring[(c->head + i) % c->alloc];
    free(c->ring);
    c->ring = ring;
    c->alloc = n;
    c->head = 0;
    return 0;
}

channel_error channel_append(channel *c, int64_t offset, const char *data,
                             size_t len)
{
    if (offset != c->top + 1)
        return CHANNEL_ERR_ORDER;
    if (c->count == c->alloc && c->alloc < c->cap && grow(c) != 0)
        return CHANNEL_ERR_NOMEM;
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return CHANNEL_ERR_NOMEM;
    memcpy(copy, data, len);
    copy[len] = '\0';
    size_t slot;
    if (c->count == c->alloc) {
        slot = c->head;
        free(c->ring[slot].data);
        c->head = (c->head + 1) % c->alloc;
    } else {
        slot = (c->head + c->count) % c->alloc;
        c->count++;
    }
    c->ring[slot] = (channel_event){offset, copy, len};
    c->top = offset;
    return CHANNEL_OK;
}

int64_t channel_first_held(const channel *c)
{
    if (c->count == 0)
        return c->top + 1;
    return c->ring[c->head].offset;
}

const channel_event *channel_get(const channel *c, int64_t offset)
{
    int64_t first = channel_first_held(c);
    if (offset < first || offset > c->top)
        return NULL;
    size_t i = (size_t)(offset - first);
    return &c->ring[(c->head + i) % c->alloc];
}

int channel_covers_after(const channel *c, int64_t after)
{
    return after >= c->top || after + 1 >= channel_first_held(c);
}

const char *channel_strerror(channel_error e)
{
    switch (e) {
    case CHANNEL_OK:
        return "ok";
    case CHANNEL_ERR_NOMEM:
        return "out of memory";
    case CHANNEL_ERR_ORDER:
        return "offset out of order";
    }
    return "unknown error";
}
