/* handle_history: older events of a channel the member may read, a page
 * at a time, from the ring or storage. */
#include "server/app/app_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct history_req {
    conn *c;
    char channel[CHANNEL_NAME_MAX + 1];
    char ref[PROTO_MAX_ID + 1];
    int64_t from;
} history_req;

static void history_cb(const app_event *events, size_t n, const char *err,
                       void *data)
{
    history_req *r = data;
    conn *c = r->c;
    if (c->state != CONN_JOINED) {
        /* closed meanwhile: nothing to answer */
    } else if (err) {
        app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                        "older events are in storage, which is unreachable",
                        r->ref, NULL);
    } else {
        proto_raw *raws = calloc(n + 1, sizeof(*raws));
        if (raws == NULL)
            abort();
        for (size_t i = 0; i < n; i++)
            raws[i] = events[i].raw;
        size_t len;
        char *buf = proto_encode_history(r->channel, raws, n, r->from > 1,
                                         r->ref, &len);
        app__send_buf(c, buf, len);
        free(raws);
    }
    app__conn_unref(c);
    free(r);
}

void app__handle_history(conn *c, proto_msg *msg)
{
    session *s = c->sess->s;
    const char *name = msg->u.history.channel;
    if (!perm_allows(c->info.role, ACTION_READ_HISTORY) ||
        !session_may_read(s, c->member, name)) {
        app__send_error(c, PROTO_ERR_FORBIDDEN_CHANNEL,
                        "you may not read that channel", msg->ref, NULL);
        return;
    }
    channel *ch = session_channel(s, name);
    if (ch == NULL) {
        app__send_error(c, PROTO_ERR_FORBIDDEN_CHANNEL, "no such channel",
                        msg->ref, NULL);
        return;
    }
    int64_t before = msg->u.history.before;
    int64_t to = before - 1 < ch->top ? before - 1 : ch->top;
    int64_t from = to - msg->u.history.limit + 1;
    history_req *r = calloc(1, sizeof(*r));
    if (r == NULL)
        abort();
    r->c = app__conn_ref(c);
    r->from = from < 1 ? 1 : from;
    snprintf(r->channel, sizeof(r->channel), "%s", name);
    snprintf(r->ref, sizeof(r->ref), "%s", msg->ref);
    app__events(c->sess, ch, r->from, to, history_cb, r);
}
