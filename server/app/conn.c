/* conn: one WebSocket's life in the app: rate limiting, parsing every text
 * frame in one call to proto, gating by state (auth, join) and dispatching
 * to the handler generated from proto/messages.def. server/net calls the
 * public conn_* functions from its lws callbacks. */
#include "server/app/app_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VIOLATION_WINDOW_MS 10000
#define VIOLATIONS_TO_CLOSE 10

typedef void (*handler_fn)(conn *c, proto_msg *msg);

static const handler_fn handlers[PROTO_TYPE_COUNT] = {
    [PROTO_AUTH] = app__handle_auth,
    [PROTO_JOIN] = app__handle_join,
    [PROTO_CHAT] = app__handle_chat,
    [PROTO_DM] = app__handle_dm,
    [PROTO_HISTORY] = app__handle_history,
    [PROTO_PING] = app__handle_ping,
    [PROTO_AGENDA] = app__handle_agenda,
    [PROTO_HAND] = app__handle_hand,
    [PROTO_TOPIC] = app__handle_topic,
    [PROTO_STAGE] = app__handle_stage,
    [PROTO_QUESTION] = app__handle_question,
    [PROTO_PULSE] = app__handle_pulse,
    [PROTO_PULSE_RESULTS] = app__handle_pulse_results,
    [PROTO_PROGRAMME] = app__handle_programme,
    [PROTO_NOTE] = app__handle_note,
    [PROTO_AUDIO] = app__handle_audio,
    [PROTO_RECORDING] = app__handle_recording,
    [PROTO_PROFILE_SAVE] = app__handle_profile_save,
    [PROTO_PROFILE_GET] = app__handle_profile_get,
    [PROTO_PROFILE_LIST] = app__handle_profile_list,
    [PROTO_ROUND_PROPOSE] = app__handle_round_propose,
    [PROTO_ROUND_MOVE] = app__handle_round_move,
    [PROTO_ROUND_SWAP] = app__handle_round_swap,
    [PROTO_ROUND_OPEN] = app__handle_round_open,
    [PROTO_ROUND_EXTEND] = app__handle_round_extend,
    [PROTO_ROUND_CLOSE] = app__handle_round_close,
    [PROTO_ROUND_PLACE] = app__handle_round_place,
    [PROTO_ROUND_GET] = app__handle_round_get,
    [PROTO_BROADCAST] = app__handle_broadcast,
    [PROTO_HELP_ASK] = app__handle_help_ask,
    [PROTO_HELP_RESOLVE] = app__handle_help_resolve,
    [PROTO_VISIT] = app__handle_visit,
    [PROTO_VISIT_LEAVE] = app__handle_visit_leave,
    [PROTO_BREAKOUT_NOTE] = app__handle_breakout_note,
    [PROTO_COVERAGE] = app__handle_coverage,
};

conn *conn_open(app *a, const transport_ops *ops, void *handle, const char *sid)
{
    conn *c = calloc(1, sizeof(*c));
    if (c == NULL)
        abort();
    c->app = a;
    c->id = a->next_conn_id++;
    c->refs = 1;
    c->ops = ops;
    c->handle = handle;
    snprintf(c->sid, sizeof(c->sid), "%s", sid);
    c->opened_ms = app__now(a);
    c->tokens = a->cfg.burst;
    c->refill_ms = c->opened_ms;
    outq_init(&c->out, a->cfg.send_queue_bytes);
    c->next = a->conns;
    if (a->conns)
        a->conns->prev = c;
    a->conns = c;
    a->nconns++;
    a->m.connections_total++;
    if (a->shutting_down)
        app__close(c, 1001, "server shutting down, reconnect");
    return c;
}

static const char *msg_id(const proto_msg *m)
{
    if (m->type == PROTO_CHAT)
        return m->u.chat.id;
    if (m->type == PROTO_DM)
        return m->u.dm.id;
    return NULL;
}

/* Token bucket: rate per second, up to burst. Returns 0 when allowed;
 * otherwise the dropped message (buf, len) is named in the error. */
static int take_token(conn *c, const char *buf, size_t len)
{
    app *a = c->app;
    uint64_t now = app__now(a);
    c->tokens += (double)(now - c->refill_ms) * a->cfg.rate / 1000.0;
    if (c->tokens > a->cfg.burst)
        c->tokens = a->cfg.burst;
    c->refill_ms = now;
    if (c->tokens >= 1.0) {
        c->tokens -= 1.0;
        return 0;
    }
    if (now - c->violation_window_ms > VIOLATION_WINDOW_MS) {
        c->violation_window_ms = now;
        c->violations = 0;
    }
    if (++c->violations >= VIOLATIONS_TO_CLOSE) {
        a->m.closes_1008++;
        app__close(c, 1008, "message rate limit exceeded");
    } else {
        proto_msg msg;
        char detail[8];
        proto_parse(buf, len, &msg, detail, sizeof(detail));
        app__send_error(c, PROTO_ERR_RATE_LIMITED,
                        "too many messages; slow down", msg.ref, msg_id(&msg));
        proto_msg_free(&msg);
    }
    return -1;
}

static void dispatch(conn *c, proto_msg *msg)
{
    if (proto_type_needs_auth(msg->type) && c->state == CONN_NEW) {
        app__send_error(c, PROTO_ERR_NOT_AUTHENTICATED, "send auth first",
                        msg->ref, msg_id(msg));
        return;
    }
    if (proto_type_needs_join(msg->type) && c->state != CONN_JOINED) {
        app__send_error(c, PROTO_ERR_NOT_JOINED, "send join first", msg->ref,
                        msg_id(msg));
        return;
    }
    handlers[msg->type](c, msg);
}

void conn_receive(conn *c, int binary, const char *buf, size_t len)
{
    app *a = c->app;
    a->m.frames_in++;
    if (c->state == CONN_CLOSING || c->state == CONN_GONE)
        return;
    if (binary) { /* audio has its own limits (audio_conn.c) */
        app__audio_receive(c, (const uint8_t *)buf, len);
        return;
    }
    if (take_token(c, buf, len) != 0)
        return;
    proto_msg msg;
    char detail[160];
    proto_error e = proto_parse(buf, len, &msg, detail, sizeof(detail));
    if (e != PROTO_OK) {
        if (c->state == CONN_NEW && msg.type == PROTO_AUTH &&
            e == PROTO_ERR_UNSUPPORTED_VERSION) {
            app__send_error(c, e, detail, msg.ref, NULL);
            a->m.closes_4003++;
            app__close(c, 4003, "unsupported protocol version");
        } else {
            app__send_error(c, e, detail, msg.ref, msg_id(&msg));
        }
        proto_msg_free(&msg);
        return;
    }
    app__conn_ref(c);
    c->frame = buf; /* session messages record it (live.c) */
    c->frame_len = len;
    dispatch(c, &msg);
    c->frame = NULL;
    proto_msg_free(&msg);
    app__conn_unref(c);
}

int conn_next_frame(conn *c, size_t pre, char **buf, size_t *len, int *binary,
                    int *close_code, const char **reason)
{
    *close_code = 0;
    if (app__audio_pop(c, pre, buf, len)) {
        *binary = 1;
        c->app->m.frames_out++;
        c->app->m.bytes_out += *len;
        return 1;
    }
    if (outq_pop(&c->out, c->app->cfg.max_batch, pre, buf, len, binary)) {
        c->app->m.frames_out++;
        c->app->m.bytes_out += *len;
        return 1;
    }
    if (c->state == CONN_CLOSING) {
        *close_code = c->close_code;
        *reason = c->close_reason;
    }
    return 0;
}

int conn_wants_write(const conn *c)
{
    return c->out.count > 0 || c->state == CONN_CLOSING || app__audio_queued(c);
}

int conn_has_audio(const conn *c)
{
    return app__audio_queued(c);
}

void conn_closed(conn *c)
{
    app *a = c->app;
    app__detach(c);
    c->state = CONN_GONE;
    if (c->prev)
        c->prev->next = c->next;
    else
        a->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    a->nconns--;
    outq_clear(&c->out);
    app__conn_unref(c);
}

void conn_protocol_violation(conn *c, int close_code)
{
    if (close_code == 1007)
        c->app->m.closes_1007++;
    else if (close_code == 1009)
        c->app->m.closes_1009++;
}
