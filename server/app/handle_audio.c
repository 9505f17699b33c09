/* handle_audio: the `audio` message (docs/protocol.md section 8.4):
 * enable, disable, mute, unmute, and the coordinators' broadcast and
 * listen-in; and the `audio` event that answers it. Dispatched by conn.c;
 * the mixers are changed through app__audio_sync() (audio_room.c). */
#include "server/app/audio_app_int.h"

#include <stdio.h>
#include <string.h>

#include "server/proto/encode_audio.h"

void app__audio_send_state(audio_member *am, conn *c, const char *ref,
                           const char *reason)
{
    if (c == NULL)
        return;
    int on = am->c == c;
    proto_audio_state st = {
        .enabled = on,
        .room = on ? am->m->room : NULL,
        .stream = am->id,
        .muted = am->muted,
        .may_speak = am->may_speak,
        .broadcast = on && am->broadcast,
        .listen = on ? am->listen_id : NULL,
        .reason = reason,
    };
    size_t len;
    char *buf = proto_encode_audio_state(&st, ref, &len);
    app__send_buf(c, buf, len);
}

/* Gives am's audio to c, taking it from another connection. */
static void enable(audio_member *am, conn *c)
{
    conn *old = am->c;
    if (old && old != c) {
        app__audio_release(old);
        app__audio_send_state(am, old, NULL, "elsewhere");
    }
    am->c = c;
    am->muted = 0;
    am->broadcast = 0;
    am->listen_id[0] = '\0';
    app__audio_conn(c)->am = am;
    app__audio_sync(am);
}

/* Checks the coordinator ops; sends the error and returns 0 when refused. */
static int coordinator_op(conn *c, const proto_msg *msg, action act)
{
    if (perm_allows(c->info.role, act))
        return 1;
    app__send_error(c, PROTO_ERR_FORBIDDEN,
                    act == ACTION_AUDIO_BROADCAST
                        ? "only coordinators speak into every breakout"
                        : "only coordinators listen in to other rooms",
                    msg->ref, NULL);
    return 0;
}

/* listen: the room must exist and not be the member's own. */
static int listen_room_ok(conn *c, const proto_msg *msg)
{
    char text[128];
    const char *room_id = msg->u.audio.room;
    if (session_room(c->sess->s, room_id) != NULL &&
        strcmp(room_id, c->member->room) != 0)
        return 1;
    snprintf(text, sizeof(text), "%s is %s", room_id,
             session_room(c->sess->s, room_id) ? "your own room"
                                               : "not a room here");
    app__send_error(c, PROTO_ERR_BAD_VALUE, text, msg->ref, NULL);
    return 0;
}

void app__handle_audio(conn *c, proto_msg *msg)
{
    proto_audio_op op = msg->u.audio.op;
    if (op == PROTO_AUDIO_BROADCAST &&
        !coordinator_op(c, msg, ACTION_AUDIO_BROADCAST))
        return;
    if ((op == PROTO_AUDIO_LISTEN || op == PROTO_AUDIO_UNLISTEN) &&
        !coordinator_op(c, msg, ACTION_AUDIO_LISTEN))
        return;
    audio_sess *as = app__audio_sess(c->sess);
    audio_member *am = app__audio_member(as, c->member, 1);
    if (op != PROTO_AUDIO_ENABLE && op != PROTO_AUDIO_DISABLE && am->c != c) {
        app__send_error(c, PROTO_ERR_NOT_SPEAKER, "send audio enable first",
                        msg->ref, NULL);
        return;
    }
    switch (op) {
    case PROTO_AUDIO_ENABLE:
        enable(am, c);
        break;
    case PROTO_AUDIO_DISABLE:
        if (am->c == c)
            app__audio_release(c);
        break;
    case PROTO_AUDIO_MUTE:
    case PROTO_AUDIO_UNMUTE:
        am->muted = op == PROTO_AUDIO_MUTE;
        app__audio_sync(am);
        break;
    case PROTO_AUDIO_BROADCAST:
        am->broadcast = msg->u.audio.on;
        app__audio_sync(am);
        break;
    case PROTO_AUDIO_LISTEN:
        if (!listen_room_ok(c, msg))
            return;
        snprintf(am->listen_id, sizeof(am->listen_id), "%s", msg->u.audio.room);
        app__audio_sync(am);
        break;
    case PROTO_AUDIO_UNLISTEN:
        am->listen_id[0] = '\0';
        app__audio_sync(am);
        break;
    }
    app__audio_send_state(am, c, msg->ref, NULL);
}
