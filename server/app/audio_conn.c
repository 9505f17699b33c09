/* audio_conn: a connection's audio. Reads binary frames (docs/protocol.md
 * section 8.2): its own rate limit, the header, the Opus packet, whether
 * the member is heard now, then the mixers (audio_room.c). Errors go out at
 * most once a second. Holds the audio send queue: at most AUDIO_QUEUE_MAX
 * frames, the oldest dropped first, taking turns with the JSON queue so
 * ordered data is never dropped or starved for audio. conn.c and app.c
 * call it. */
#include "server/app/audio_app_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/audio/audio_packet.h"

audio_conn *app__audio_conn(conn *c)
{
    if (c->audio == NULL) {
        c->audio = calloc(1, sizeof(*c->audio));
        if (c->audio == NULL)
            abort();
        c->audio->tokens = AUDIO_CONN_BURST;
        c->audio->refill_ms = app__now(c->app);
    }
    return c->audio;
}

void app__audio_error(conn *c, proto_error e, const char *message)
{
    audio_conn *ac = app__audio_conn(c);
    uint64_t now = app__now(c->app);
    if (ac->errored && now - ac->last_error_ms < AUDIO_ERROR_GAP_MS)
        return;
    ac->errored = 1;
    ac->last_error_ms = now;
    app__send_error(c, e, message, NULL, NULL);
}

/* Token bucket of AUDIO_CONN_RATE packets a second. */
static int take_token(audio_conn *ac, uint64_t now)
{
    ac->tokens += (double)(now - ac->refill_ms) * AUDIO_CONN_RATE / 1000.0;
    if (ac->tokens > AUDIO_CONN_BURST)
        ac->tokens = AUDIO_CONN_BURST;
    ac->refill_ms = now;
    if (ac->tokens < 1.0)
        return 0;
    ac->tokens -= 1.0;
    return 1;
}

/* The answer to a push the mixer refused. */
static void refused(conn *c, audio_error err)
{
    char msg[96];
    switch (err) {
    case AUDIO_OK:
    case AUDIO_ERR_LATE: /* the network's doing: counted only */
    case AUDIO_ERR_DUPLICATE:
        return;
    case AUDIO_ERR_RATE:
        app__audio_error(c, PROTO_ERR_AUDIO_RATE,
                         "too many audio packets; they are dropped");
        return;
    case AUDIO_ERR_NOT_PERMITTED:
        app__audio_error(c, PROTO_ERR_NOT_SPEAKER,
                         "you may not be heard in this room now");
        return;
    default:
        snprintf(msg, sizeof(msg), "audio packet refused: %s",
                 audio_strerror(err));
        app__audio_error(c, PROTO_ERR_BAD_AUDIO, msg);
    }
}

void app__audio_receive(conn *c, const uint8_t *buf, size_t len)
{
    app_audio *aa = c->app->audio;
    audio_conn *ac = app__audio_conn(c);
    uint64_t now = app__now(c->app);
    if (!take_token(ac, now)) {
        aa->refused[AUDIO_ERR_RATE]++;
        refused(c, AUDIO_ERR_RATE);
        return;
    }
    if (len < AUDIO_HEADER_IN || buf[0] != 1 || buf[1] != 0) {
        aa->bad_header++;
        app__audio_error(c, PROTO_ERR_BAD_AUDIO,
                         "a binary frame is 1, 0, seq (2 bytes), timestamp "
                         "(4 bytes), then one Opus packet");
        return;
    }
    const uint8_t *pkt = buf + AUDIO_HEADER_IN;
    size_t n = len - AUDIO_HEADER_IN;
    audio_error err = audio_packet_check(pkt, n, AUDIO_MAX_PACKET);
    if (err != AUDIO_OK) {
        aa->refused[err]++;
        refused(c, err);
        return;
    }
    audio_member *am = ac->am;
    if (c->state != CONN_JOINED || am == NULL) {
        aa->refused[AUDIO_ERR_NOT_PERMITTED]++;
        app__audio_error(c, PROTO_ERR_NOT_SPEAKER,
                         "send audio enable before audio packets");
        return;
    }
    if (!app__audio_speaks(am)) {
        aa->refused[AUDIO_ERR_NOT_PERMITTED]++;
        app__audio_error(c, PROTO_ERR_NOT_SPEAKER,
                         am->muted ? "you are muted"
                                   : "you may not be heard in this room now");
        return;
    }
    uint16_t seq = (uint16_t)(buf[2] << 8 | buf[3]);
    uint32_t ts = (uint32_t)buf[4] << 24 | (uint32_t)buf[5] << 16 |
                  (uint32_t)buf[6] << 8 | buf[7];
    refused(c, app__audio_push(am, seq, ts, pkt, n, (int64_t)now));
}

void app__audio_queue(conn *c, frame *f)
{
    if (c->state != CONN_JOINED)
        return;
    app_audio *aa = c->app->audio;
    audio_conn *ac = app__audio_conn(c);
    if (ac->count == AUDIO_QUEUE_MAX) {
        frame_unref(ac->q[ac->head]);
        ac->head = (ac->head + 1) % AUDIO_QUEUE_MAX;
        ac->count--;
        aa->slow_listener++;
    }
    ac->q[(ac->head + ac->count) % AUDIO_QUEUE_MAX] = frame_ref(f);
    ac->count++;
    aa->frames_out++;
    c->ops->want_write(c->handle);
}

int app__audio_pop(conn *c, size_t pre, char **buf, size_t *len)
{
    audio_conn *ac = c->audio;
    if (ac == NULL || ac->count == 0)
        return 0;
    if (ac->audio_last && c->out.count > 0) {
        ac->audio_last = 0; /* JSON's turn */
        return 0;
    }
    frame *f = ac->q[ac->head];
    ac->head = (ac->head + 1) % AUDIO_QUEUE_MAX;
    ac->count--;
    *buf = malloc(pre + f->len + 1);
    if (*buf == NULL)
        abort();
    memcpy(*buf + pre, f->data, f->len);
    *len = f->len;
    frame_unref(f);
    ac->audio_last = 1;
    return 1;
}

int app__audio_queued(const conn *c)
{
    return c->audio != NULL && c->audio->count > 0;
}

static void clear_queue(audio_conn *ac)
{
    while (ac->count > 0) {
        frame_unref(ac->q[ac->head]);
        ac->head = (ac->head + 1) % AUDIO_QUEUE_MAX;
        ac->count--;
    }
}

void app__audio_release(conn *c)
{
    audio_conn *ac = c->audio;
    if (ac == NULL)
        return;
    clear_queue(ac);
    audio_member *am = ac->am;
    ac->am = NULL;
    if (am && am->c == c) {
        am->c = NULL;
        am->broadcast = 0;
        am->listen_id[0] = '\0';
        app__audio_sync(am);
    }
}

void app__audio_detach(conn *c)
{
    app__audio_release(c);
}

void app__audio_conn_free(conn *c)
{
    app__audio_release(c);
    free(c->audio);
    c->audio = NULL;
}
