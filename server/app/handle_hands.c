/* handle_hands: the hand and topic messages (docs/protocol.md sections
 * 10.3 and 10.4): the raised-hand queue of a session (members raise and
 * lower their own hands; coordinators and the host call people and clear
 * the queue) and its topic proposals with one vote per member per topic.
 * The apply functions turn a message into rooms/hands and rooms/topics
 * calls, live and in replay. */
#include "server/app/live.h"

#include <stdio.h>
#include <string.h>

static proto_error hands_error(hands_err e, live_change *ch)
{
    snprintf(ch->why, sizeof(ch->why), "%s", hands_strerror(e));
    switch (e) {
    case HANDS_OK:
        return PROTO_OK;
    case HANDS_ERR_USER:
        return PROTO_ERR_BAD_VALUE;
    case HANDS_ERR_NOT_RAISED:
    case HANDS_ERR_EMPTY:
    case HANDS_ERR_NOT_SPEAKING:
        return PROTO_ERR_BAD_STATE;
    case HANDS_ERR_FULL:
        return PROTO_ERR_TOO_MANY;
    default:
        return PROTO_ERR_INTERNAL;
    }
}

proto_error app__apply_hand(sess *ss, const proto_msg *m, const char *user,
                            int64_t now, live_change *ch)
{
    struct hands *h = &ss->live->hands;
    const char *target = m->u.hand.user[0] ? m->u.hand.user : user;
    struct hands_entry called;
    hands_err e = HANDS_OK;
    bool changed = true;

    ch->feature = LIVE_HANDS;
    ch->op = proto_hand_op_name(m->u.hand.op);
    snprintf(ch->user, sizeof(ch->user), "%s", target);
    switch (m->u.hand.op) {
    case PROTO_HAND_RAISE:
        snprintf(ch->user, sizeof(ch->user), "%s", user);
        e = hands_raise(h, user, now, &changed);
        break;
    case PROTO_HAND_LOWER:
        e = hands_lower(h, target);
        break;
    case PROTO_HAND_CALL_NEXT:
        e = hands_call_next(h, now, &called);
        if (e == HANDS_OK)
            snprintf(ch->user, sizeof(ch->user), "%s", called.user);
        else
            ch->user[0] = '\0';
        break;
    case PROTO_HAND_CALL:
        changed = !hands_is_speaking(h, target);
        e = hands_call(h, target, now);
        break;
    case PROTO_HAND_CLEAR:
        ch->user[0] = '\0';
        changed = h->n_queue > 0;
        hands_clear(h);
        break;
    case PROTO_HAND_STOP_SPEAKING:
        e = hands_stop_speaking(h, target);
        break;
    }
    ch->changed = changed;
    return hands_error(e, ch);
}

void app__handle_hand(conn *c, proto_msg *msg)
{
    const char *target = msg->u.hand.user[0] ? msg->u.hand.user : c->info.id;
    int self = strcmp(target, c->info.id) == 0;
    action need = ACTION_HAND_MANAGE;

    if (msg->u.hand.op == PROTO_HAND_RAISE ||
        (self && (msg->u.hand.op == PROTO_HAND_LOWER ||
                  msg->u.hand.op == PROTO_HAND_STOP_SPEAKING)))
        need = ACTION_HAND_RAISE;
    if (!app__live_may(c, need)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         need == ACTION_HAND_RAISE
                             ? "your role may not raise a hand"
                             : "only coordinators and the session's host "
                               "manage other people's hands");
        return;
    }
    if (msg->u.hand.op == PROTO_HAND_CALL &&
        session_member(c->sess->s, target) == NULL) {
        app__live_refuse(c, msg, PROTO_ERR_UNKNOWN_MEMBER,
                         "nobody by that id is in the session");
        return;
    }
    app__live_run(c, msg, app__apply_hand);
}

static proto_error topics_error(topics_err e, live_change *ch)
{
    snprintf(ch->why, sizeof(ch->why), "%s", topics_strerror(e));
    switch (e) {
    case TOPICS_OK:
        return PROTO_OK;
    case TOPICS_ERR_USER:
    case TOPICS_ERR_TITLE:
        return PROTO_ERR_BAD_VALUE;
    case TOPICS_ERR_NO_SUCH_TOPIC:
        return PROTO_ERR_NOT_FOUND;
    case TOPICS_ERR_FULL:
        return PROTO_ERR_TOO_MANY;
    default:
        return PROTO_ERR_INTERNAL;
    }
}

proto_error app__apply_topic(sess *ss, const proto_msg *m, const char *user,
                             int64_t now, live_change *ch)
{
    struct topics *t = &ss->live->topics;
    uint32_t id = m->u.topic.topic;
    topics_err e = TOPICS_OK;
    bool changed = true;

    ch->feature = LIVE_TOPICS;
    ch->op = proto_topic_op_name(m->u.topic.op);
    ch->id_key = "topic";
    switch (m->u.topic.op) {
    case PROTO_TOPIC_PROPOSE:
        e = topics_propose(t, user, m->u.topic.title, now, &id);
        break;
    case PROTO_TOPIC_VOTE:
        e = topics_vote(t, id, user, &changed);
        break;
    case PROTO_TOPIC_UNVOTE:
        e = topics_unvote(t, id, user, &changed);
        break;
    case PROTO_TOPIC_REMOVE:
        e = topics_remove(t, id);
        break;
    }
    ch->id = id;
    ch->changed = changed;
    return topics_error(e, ch);
}

void app__handle_topic(conn *c, proto_msg *msg)
{
    action need = ACTION_TOPIC_PROPOSE;

    if (msg->u.topic.op == PROTO_TOPIC_VOTE ||
        msg->u.topic.op == PROTO_TOPIC_UNVOTE)
        need = ACTION_TOPIC_VOTE;
    if (msg->u.topic.op == PROTO_TOPIC_REMOVE) {
        const struct topics_topic *t =
            topics_find(&c->sess->live->topics, msg->u.topic.topic);
        if (t == NULL || strcmp(t->author, c->info.id) != 0)
            need = ACTION_TOPIC_MODERATE; /* someone else's topic */
    }
    if (!app__live_may(c, need)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         need == ACTION_TOPIC_MODERATE
                             ? "only the author, coordinators and the "
                               "session's host remove a topic"
                             : "your role may not do this with topics");
        return;
    }
    app__live_run(c, msg, app__apply_topic);
}
