/* app: typed messages -> rooms API -> events -> frames and store writes.
 * The WebSocket layer (server/net) talks to it through conn_* calls and a
 * small transport table; it never sees JSON, Redis or the domain. */
#ifndef KOPA_APP_H
#define KOPA_APP_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "server/auth/jwt.h"
#include "server/store/redis_client.h"

typedef struct app_config {
    const char *node_id;
    jwt_keyring keys;
    double rate;                /* messages per second per connection */
    double burst;               /* bucket size */
    unsigned auth_timeout_ms;   /* close unauthenticated sockets after it */
    size_t ring_cap;            /* recent events kept per channel */
    long stream_maxlen;         /* events kept per Redis stream */
    size_t store_queue_max;     /* the store client's write queue size */
    size_t send_queue_bytes;    /* slow-consumer limit per connection */
    size_t max_batch;           /* bytes per coalesced frame */
    unsigned flush_ms;          /* coalescing wait, --flush-ms (app.c) */
    const char *network;        /* profiles' network; NULL: "default" */
    const char *recordings_dir; /* where recordings are written */
    int audio_speakers;         /* speakers mixed per room, 1..AUDIO_MAX_ACTIVE
                                 * (--audio-speakers); 0: the mixer's default */
} app_config;

typedef struct app app;
typedef struct conn conn;

/* How the app reaches a connection's transport. */
typedef struct transport_ops {
    /* The connection has frames to send (conn_wants_write()): the
     * transport calls conn_next_frame() until it returns 0, some at once
     * (from inside this call) and the rest from its own callbacks. It
     * never closes or frees the connection from inside this call. */
    void (*want_write)(void *handle);
} transport_ops;

/* Returns a new app on loop that stores through store (borrowed; it must
 * outlive the app). cfg is copied (its strings must outlive the app).
 * Starts its timers. The caller frees it with app_free() after
 * app_shutdown(). */
app *app_new(uv_loop_t *loop, const app_config *cfg, redis_client *store);
/* Closes every connection with 1001 and stops the timers. */
void app_shutdown(app *a);
void app_free(app *a);

/* A new WebSocket for session sid (already validated as an id). Returns the
 * connection; the transport keeps it until its close callback, where it
 * calls conn_closed(). */
conn *conn_open(app *a, const transport_ops *ops, void *handle,
                const char *sid);
/* One whole message (reassembled by the transport) of len bytes. */
void conn_receive(conn *c, int binary, const char *buf, size_t len);
/* The next frame to send: see outq_pop(); pre is the header room. Returns
 * 1 with a buffer, 0 when nothing is queued. When *close_code is set
 * (non-zero) after a 0 return, the transport closes the socket with it. */
int conn_next_frame(conn *c, size_t pre, char **buf, size_t *len, int *binary,
                    int *close_code, const char **reason);
/* Whether c has frames queued or a close to send. */
int conn_wants_write(const conn *c);
/* Whether c has audio queued: audio is better dropped in the app (oldest
 * first, 200 ms) than held in the kernel behind a slow network. */
int conn_has_audio(const conn *c);
/* The transport closed; the app forgets the handle. */
void conn_closed(conn *c);
/* Called by the transport when a frame is too big (1009) or not UTF-8
 * (1007) so the app can count it. */
void conn_protocol_violation(conn *c, int close_code);

/* HTTP bodies; new buffers the caller frees with free(). */
char *app_render_health(app *a, size_t *len, int *http_status);
char *app_render_metrics(app *a, size_t *len);
/* Counts an HTTP request refused for its Origin. */
void app_count_origin_refused(app *a);

#endif
