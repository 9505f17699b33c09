/* replay: a range of a channel's events, from the in-memory ring when it
 * still holds them and from the Redis stream for older ones. Used by join
 * (missed events, latest page) and history. */
#include "server/app/app_internal.h"

#include <stdlib.h>
#include <string.h>

#include "server/store/session_store.h"

typedef struct replay {
    sess *ss;
    channel *ch;
    int64_t from, to, ring_from;
    app_events_cb cb;
    void *data;
} replay;

/* Appends the ring's events ring_from..to to events (which has room). */
static size_t add_ring(const channel *ch, int64_t from, int64_t to,
                       app_event *events, size_t n)
{
    for (int64_t off = from; off <= to; off++) {
        const channel_event *e = channel_get(ch, off);
        if (e != NULL)
            events[n++] = (app_event){off, {e->data, e->len}};
    }
    return n;
}

static void stored_cb(const session_store_event *stored, size_t nstored,
                      const char *err, void *data)
{
    replay *r = data;
    size_t held =
        r->to >= r->ring_from ? (size_t)(r->to - r->ring_from + 1) : 0;
    size_t cap = nstored + held + 1;
    app_event *events = calloc(cap, sizeof(*events));
    if (events == NULL)
        abort();
    size_t n = 0;
    for (size_t i = 0; i < nstored; i++)
        if (stored[i].offset >= r->from && stored[i].offset < r->ring_from)
            events[n++] =
                (app_event){stored[i].offset, {stored[i].data, stored[i].len}};
    n = add_ring(r->ch, r->ring_from, r->to, events, n);
    r->cb(events, n, err, r->data);
    free(events);
    free(r);
}

void app__events(sess *ss, channel *ch, int64_t from, int64_t to,
                 app_events_cb cb, void *data)
{
    if (from < 1)
        from = 1;
    int64_t first = channel_first_held(ch);
    int64_t ring_from = from > first ? from : first;
    if (from >= first || from > to) {
        size_t cap = to >= ring_from ? (size_t)(to - ring_from + 1) : 0;
        app_event *events = calloc(cap + 1, sizeof(*events));
        if (events == NULL)
            abort();
        size_t n = add_ring(ch, ring_from, to, events, 0);
        cb(events, n, NULL, data);
        free(events);
        return;
    }
    replay *r = malloc(sizeof(*r));
    if (r == NULL)
        abort();
    *r = (replay){ss, ch, from, to, ring_from, cb, data};
    int64_t stored_to = to < first - 1 ? to : first - 1;
    if (session_store_range(ss->app->store, ss->id, ch->name, from, stored_to,
                            stored_cb, r) != 0)
        stored_cb(NULL, 0, "storage client closing", r);
}
