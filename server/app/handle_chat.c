/* handle_chat: room chat and private messages. A message is fanned out at
 * once and acknowledged to its sender only when Redis stored it; a resent
 * client id is answered with the original offset (de-duplicated in memory
 * and, after a reconnect, in storage). */
#include "server/app/app_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/session_store.h"

/* What is sent (chat or dm), kept until storage answers. */
typedef struct pending {
    sess *ss;
    char user[SESSION_ID_MAX + 1]; /* the sender */
    char id[PROTO_MAX_ID + 1];     /* the client's message id */
    char channel[CHANNEL_NAME_MAX + 1];
    int64_t offset;
    int writes; /* storage writes still to answer */
    int failed;
    int is_dm;
    char to[SESSION_ID_MAX + 1];
    char room[SESSION_ID_MAX + 1];
    char *text;
    size_t text_len;
    uint64_t conn_id;
    char ref[PROTO_MAX_ID + 1]; /* the request's ref, for the ack */
} pending;

static void send_ack(conn *c, const char *id, const char *chan, int64_t offset,
                     const char *ref)
{
    size_t len;
    char *buf = proto_encode_ack(id, chan, offset, ref, &len);
    app__send_buf(c, buf, len);
}

/* Acknowledges to whichever connection of the sender asked last. */
static void ack_waiter(const pending *p)
{
    member *m = session_member(p->ss->s, p->user);
    if (m == NULL)
        return;
    uint64_t conn_id = p->conn_id;
    const char *ref = p->ref;
    dedup_entry *e = dedup_find(p->ss->s->dedup, p->user, p->id);
    if (e) {
        e->stored = 1;
        if (e->waiter) {
            conn_id = e->waiter;
            ref = e->waiter_ref;
        }
    }
    conn *c = app__member_conn(m, conn_id);
    if (c)
        send_ack(c, p->id, p->channel, p->offset, ref);
}

/* Remembers which connection (and ref) awaits the ack of entry e. */
static void wait_ack(dedup_entry *e, const conn *c, const char *ref)
{
    e->waiter = c->id;
    snprintf(e->waiter_ref, sizeof(e->waiter_ref), "%s", ref);
}

static void stored_cb(const char *err, void *data)
{
    pending *p = data;
    if (err) {
        p->failed = 1;
        p->ss->app->m.store_failures++;
    }
    if (--p->writes > 0)
        return;
    if (!p->failed) {
        p->ss->app->m.messages_stored++;
        ack_waiter(p);
    }
    free(p->text);
    free(p);
}

/* Appends an encoded event to ch, fans it out and stores it. */
static void keep(pending *p, channel *ch, char *buf, size_t len,
                 const char *dedup_user, const char *dedup_id, member *to)
{
    app *a = p->ss->app;
    channel_append(ch, channel_next_offset(ch), buf, len);
    frame *f = frame_take(buf, len, 0);
    if (to)
        app__fanout_member(to, f);
    else
        app__fanout_room(p->ss, ch->name + 5, f);
    p->writes++;
    if (session_store_append(a->store, p->ss->id, ch->name, ch->top, f->data,
                             f->len, dedup_user, dedup_id, a->cfg.stream_maxlen,
                             stored_cb, p) != 0) {
        p->writes--;
        p->failed = 1;
    }
    frame_unref(f);
}

static void deliver(conn *c, pending *p)
{
    session *s = p->ss->s;
    member *from = c->member;
    const char *langs[MEMBER_LANGS_MAX];
    proto_member pm = app__member(from, langs);
    int64_t ts = app__wall_ms();
    size_t len;
    p->writes = 1; /* held until every write is issued */
    if (!p->is_dm) {
        channel *ch = session_room(s, p->room)->log;
        p->offset = channel_next_offset(ch);
        snprintf(p->channel, sizeof(p->channel), "%s", ch->name);
        wait_ack(dedup_put(s->dedup, p->user, p->id, p->channel, p->offset), c,
                 p->ref);
        char *buf = proto_encode_chat(ch->name, p->offset, p->id, &pm, p->text,
                                      p->text_len, ts, &len);
        keep(p, ch, buf, len, p->user, p->id, NULL);
    } else {
        member *to = session_member(s, p->to);
        channel *mine = from->inbox, *theirs = to->inbox;
        p->offset = channel_next_offset(mine);
        snprintf(p->channel, sizeof(p->channel), "%s", mine->name);
        wait_ack(dedup_put(s->dedup, p->user, p->id, p->channel, p->offset), c,
                 p->ref);
        char *b1 =
            proto_encode_dm(theirs->name, channel_next_offset(theirs), p->id,
                            &pm, p->to, p->text, p->text_len, ts, &len);
        keep(p, theirs, b1, len, NULL, NULL, to);
        char *b2 = proto_encode_dm(mine->name, p->offset, p->id, &pm, p->to,
                                   p->text, p->text_len, ts, &len);
        keep(p, mine, b2, len, p->user, p->id, from);
    }
    stored_cb(NULL, p); /* releases the hold */
}

static void checked_cb(int found, const char *chan, int64_t offset,
                       const char *err, void *data)
{
    pending *p = data;
    member *m = session_member(p->ss->s, p->user);
    conn *c = m ? app__member_conn(m, p->conn_id) : NULL;
    dedup_entry *e = dedup_find(p->ss->s->dedup, p->user, p->id);
    if (c == NULL || c->state != CONN_JOINED) {
        free(p->text);
        free(p);
    } else if (e) {
        /* The same id arrived again while storage was asked: as accept(). */
        if (e->stored)
            send_ack(c, p->id, e->channel, e->offset, p->ref);
        else
            wait_ack(e, c, p->ref);
        free(p->text);
        free(p);
    } else if (found) {
        dedup_entry *d =
            dedup_put(p->ss->s->dedup, p->user, p->id, chan, offset);
        if (d)
            d->stored = 1;
        send_ack(c, p->id, chan, offset, p->ref);
        free(p->text);
        free(p);
    } else {
        deliver(c, p); /* not stored before (or storage unknown): keep it */
    }
    (void)err;
}

/* Common path of chat and dm once the message is valid for this member. */
static void accept_message(conn *c, pending *p)
{
    sess *ss = c->sess;
    dedup_entry *e = dedup_find(ss->s->dedup, p->user, p->id);
    if (e) {
        if (e->stored)
            send_ack(c, p->id, e->channel, e->offset, p->ref);
        else
            wait_ack(e, c, p->ref);
        free(p->text);
        free(p);
        return;
    }
    if (c->resumed &&
        redis_client_get_state(c->app->store) == REDIS_CLIENT_CONNECTED) {
        if (session_store_dedup_get(c->app->store, ss->id, p->user, p->id,
                                    checked_cb, p) == 0)
            return;
    }
    deliver(c, p);
}

static pending *pending_new(conn *c, const proto_msg *msg, const char *id,
                            const char *text, size_t text_len)
{
    pending *p = calloc(1, sizeof(*p));
    if (p == NULL)
        abort();
    p->ss = c->sess;
    p->conn_id = c->id;
    snprintf(p->ref, sizeof(p->ref), "%s", msg->ref);
    snprintf(p->user, sizeof(p->user), "%s", c->info.id);
    snprintf(p->id, sizeof(p->id), "%s", id);
    p->text = malloc(text_len + 1);
    if (p->text == NULL)
        abort();
    memcpy(p->text, text, text_len);
    p->text[text_len] = '\0';
    p->text_len = text_len;
    return p;
}

static int storage_full(conn *c, const char *ref, const char *id)
{
    app *a = c->app;
    if (redis_client_queue_depth(a->store) + 4 < a->cfg.store_queue_max)
        return 0;
    app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                    "storage is unreachable and its queue is full", ref, id);
    return 1;
}

void app__handle_chat(conn *c, proto_msg *msg)
{
    const char *room_id =
        msg->u.chat.room[0] ? msg->u.chat.room : c->member->room;
    if (!perm_allows(c->info.role, ACTION_CHAT)) {
        app__send_error(c, PROTO_ERR_FORBIDDEN, "your role may not chat here",
                        msg->ref, msg->u.chat.id);
        return;
    }
    if (!session_in_room(c->member, room_id)) {
        app__send_error(c, PROTO_ERR_NOT_IN_ROOM, "you are not in that room",
                        msg->ref, msg->u.chat.id);
        return;
    }
    if (storage_full(c, msg->ref, msg->u.chat.id))
        return;
    pending *p = pending_new(c, msg, msg->u.chat.id, msg->u.chat.text,
                             msg->u.chat.text_len);
    snprintf(p->room, sizeof(p->room), "%s", room_id);
    accept_message(c, p);
}

void app__handle_dm(conn *c, proto_msg *msg)
{
    if (!perm_allows(c->info.role, ACTION_DM)) {
        app__send_error(c, PROTO_ERR_FORBIDDEN,
                        "your role may not send private messages", msg->ref,
                        msg->u.dm.id);
        return;
    }
    member *to = session_member(c->sess->s, msg->u.dm.to);
    if (to == NULL || strcmp(msg->u.dm.to, c->info.id) == 0) {
        app__send_error(c, PROTO_ERR_UNKNOWN_MEMBER,
                        "no such member in this session (or yourself)",
                        msg->ref, msg->u.dm.id);
        return;
    }
    if (storage_full(c, msg->ref, msg->u.dm.id))
        return;
    pending *p =
        pending_new(c, msg, msg->u.dm.id, msg->u.dm.text, msg->u.dm.text_len);
    p->is_dm = 1;
    snprintf(p->to, sizeof(p->to), "%s", msg->u.dm.to);
    accept_message(c, p);
}
