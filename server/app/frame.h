/* frame: an encoded message shared by every connection it is sent to
 * (reference counted), and outq, a connection's bounded send queue that
 * coalesces queued JSON objects into one array frame. */
#ifndef KOPA_APP_FRAME_H
#define KOPA_APP_FRAME_H

#include <stddef.h>
#include <stdint.h>

typedef struct frame {
    unsigned refs;
    int binary;
    size_t len;
    char data[]; /* len bytes, then a NUL */
} frame;

/* Returns a new frame holding a copy of len bytes, with one reference.
 * Aborts when out of memory. */
frame *frame_new(const char *data, size_t len, int binary);
/* Takes ownership of buf (from malloc), which holds len bytes. */
frame *frame_take(char *buf, size_t len, int binary);
frame *frame_ref(frame *f);
/* Drops a reference; frees at zero. frame_unref(NULL) is a no-op. */
void frame_unref(frame *f);

typedef struct outq {
    frame **items; /* ring */
    size_t cap, head, count;
    size_t bytes;     /* bytes queued */
    size_t max_bytes; /* the slow-consumer limit */
} outq;

void outq_init(outq *q, size_t max_bytes);
/* Drops every queued frame. */
void outq_clear(outq *q);

/* Queues a reference to f. Returns 0, or -1 when the queue would exceed
 * max_bytes (the caller treats the reader as too slow and closes it). */
int outq_push(outq *q, frame *f);

/* Returns a new buffer with the next frame to write, after pre bytes of
 * headroom (for the WebSocket header): one frame as it is, or several
 * queued text frames joined into one JSON array of at most max_batch bytes.
 * The message is *len bytes at *out + pre; the caller frees *out with
 * free(). Returns 0 when the queue is empty. */
int outq_pop(outq *q, size_t max_batch, size_t pre, char **out, size_t *len,
             int *binary);

#endif
