/* frame and outq: shared encoded messages and per-connection send queues.
 * The app pushes frames on fan-out; the WebSocket layer pops one write per
 * WRITEABLE callback. Text frames waiting together leave as one JSON array
 * (docs/protocol.md section 1), which is what makes fan-out to a backlog
 * cheap. */
#include "server/app/frame.h"

#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (p == NULL)
        abort();
    return p;
}

frame *frame_new(const char *data, size_t len, int binary)
{
    frame *f = xmalloc(sizeof(*f) + len + 1);
    f->refs = 1;
    f->binary = binary;
    f->len = len;
    memcpy(f->data, data, len);
    f->data[len] = '\0';
    return f;
}

frame *frame_take(char *buf, size_t len, int binary)
{
    frame *f = frame_new(buf, len, binary);
    free(buf);
    return f;
}

frame *frame_ref(frame *f)
{
    f->refs++;
    return f;
}

void frame_unref(frame *f)
{
    if (f != NULL && --f->refs == 0)
        free(f);
}

void outq_init(outq *q, size_t max_bytes)
{
    memset(q, 0, sizeof(*q));
    q->max_bytes = max_bytes;
}

void outq_clear(outq *q)
{
    for (size_t i = 0; i < q->count; i++)
        frame_unref(q->items[(q->head + i) % q->cap]);
    free(q->items);
    size_t max = q->max_bytes;
    outq_init(q, max);
}

static void grow(outq *q)
{
    size_t ncap = q->cap ? q->cap * 2 : 8;
    frame **items = xmalloc(ncap * sizeof(*items));
    for (size_t i = 0; i < q->count; i++)
        items[i] = q->items[(q->head + i) % q->cap];
    free(q->items);
    q->items = items;
    q->cap = ncap;
    q->head = 0;
}

int outq_push(outq *q, frame *f)
{
    if (q->bytes + f->len > q->max_bytes)
        return -1;
    if (q->count == q->cap)
        grow(q);
    q->items[(q->head + q->count) % q->cap] = frame_ref(f);
    q->count++;
    q->bytes += f->len;
    return 0;
}

/* Removes the oldest frame. An emptied queue gives its ring back: after a
 * join burst it may have grown to dozens of slots, which an idle
 * connection would otherwise keep for good. */
static frame *take(outq *q)
{
    frame *f = q->items[q->head];
    q->head = (q->head + 1) % q->cap;
    q->count--;
    q->bytes -= f->len;
    if (q->count == 0) {
        free(q->items);
        q->items = NULL;
        q->cap = q->head = 0;
    }
    return f;
}

static frame *peek(const outq *q, size_t i)
{
    return q->items[(q->head + i) % q->cap];
}

int outq_pop(outq *q, size_t max_batch, size_t pre, char **out, size_t *len,
             int *binary)
{
    if (q->count == 0)
        return 0;
    /* Count the text frames that fit into one array. */
    size_t n = 0, total = 1;
    while (n < q->count && !peek(q, n)->binary &&
           total + peek(q, n)->len + 1 <= max_batch) {
        total += peek(q, n)->len + 1;
        n++;
    }
    if (n <= 1) {
        frame *f = take(q);
        *out = xmalloc(pre + f->len + 1);
        memcpy(*out + pre, f->data, f->len + 1);
        *len = f->len;
        *binary = f->binary;
        frame_unref(f);
        return 1;
    }
    char *buf = xmalloc(pre + total + 1);
    size_t pos = pre;
    buf[pos++] = '[';
    for (size_t i = 0; i < n; i++) {
        frame *f = take(q);
        if (i > 0)
            buf[pos++] = ',';
        memcpy(buf + pos, f->data, f->len);
        pos += f->len;
        frame_unref(f);
    }
    buf[pos++] = ']';
    buf[pos] = '\0';
    *out = buf;
    *len = pos - pre;
    *binary = 0;
    return 1;
}
