/* handle_stage: the stage and question messages (docs/protocol.md sections
 * 10.5 and 10.6): a workshop's stage (who may speak; coordinators and the
 * host put people on it, anyone may step down) and the audience's
 * questions, voted by members and answered, hidden or pinned by
 * coordinators and the host. The apply functions turn a message into
 * rooms/stage calls, live and in replay. */
#include "server/app/live.h"

#include <stdio.h>
#include <string.h>

static proto_error stage_error(stage_err e, live_change *ch)
{
    snprintf(ch->why, sizeof(ch->why), "%s", stage_strerror(e));
    switch (e) {
    case STAGE_OK:
        return PROTO_OK;
    case STAGE_ERR_INVALID:
    case STAGE_ERR_USER:
    case STAGE_ERR_TEXT:
        return PROTO_ERR_BAD_VALUE;
    case STAGE_ERR_STAGE_FULL:
    case STAGE_ERR_NOT_ON_STAGE:
    case STAGE_ERR_HIDDEN:
        return PROTO_ERR_BAD_STATE;
    case STAGE_ERR_NO_SUCH_QUESTION:
        return PROTO_ERR_NOT_FOUND;
    case STAGE_ERR_FULL:
        return PROTO_ERR_TOO_MANY;
    default:
        return PROTO_ERR_INTERNAL;
    }
}

proto_error app__apply_stage(sess *ss, const proto_msg *m, const char *user,
                             int64_t now, live_change *ch)
{
    struct stage *s = &ss->live->stage;
    stage_err e;
    bool changed = true;

    (void)user;
    ch->feature = LIVE_STAGE;
    ch->op = proto_stage_op_name(m->u.stage.op);
    snprintf(ch->user, sizeof(ch->user), "%s", m->u.stage.user);
    if (m->u.stage.op == PROTO_STAGE_ADD)
        e = stage_add(s, m->u.stage.user, now, &changed);
    else
        e = stage_remove(s, m->u.stage.user);
    ch->changed = changed;
    if (e == STAGE_OK && changed)
        app__audio_stage_changed(ss); /* who is heard in the workshop */
    return stage_error(e, ch);
}

void app__handle_stage(conn *c, proto_msg *msg)
{
    int self = strcmp(msg->u.stage.user, c->info.id) == 0;

    /* Anyone may step down; putting people on or off is the host's. */
    if (!(self && msg->u.stage.op == PROTO_STAGE_REMOVE) &&
        !app__live_may(c, ACTION_STAGE_MANAGE)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         "only coordinators and the session's host manage "
                         "the stage");
        return;
    }
    if (msg->u.stage.op == PROTO_STAGE_ADD &&
        session_member(c->sess->s, msg->u.stage.user) == NULL) {
        app__live_refuse(c, msg, PROTO_ERR_UNKNOWN_MEMBER,
                         "nobody by that id is in the session");
        return;
    }
    app__live_run(c, msg, app__apply_stage);
}

/* Whether question id already has flag `on` (answered, hidden, pinned). */
static int unchanged(const struct stage *s, const proto_msg *m)
{
    const struct stage_question *q = stage_question(s, m->u.question.question);
    int on = m->u.question.on != 0;
    if (q == NULL)
        return 0;
    switch (m->u.question.op) {
    case PROTO_QUESTION_ANSWER:
        return q->answered == on;
    case PROTO_QUESTION_HIDE:
        return q->hidden == on;
    case PROTO_QUESTION_PIN:
        return q->pinned == on;
    default:
        return 0;
    }
}

proto_error app__apply_question(sess *ss, const proto_msg *m, const char *user,
                                int64_t now, live_change *ch)
{
    struct stage *s = &ss->live->stage;
    uint32_t id = m->u.question.question;
    bool on = m->u.question.on != 0, changed = true;
    stage_err e = STAGE_OK;

    ch->feature = LIVE_QUESTIONS;
    ch->op = proto_question_op_name(m->u.question.op);
    ch->id_key = "question";
    if (unchanged(s, m))
        changed = false;
    switch (m->u.question.op) {
    case PROTO_QUESTION_ASK:
        e = stage_ask(s, user, m->u.question.text, now, &id);
        break;
    case PROTO_QUESTION_VOTE:
        e = stage_vote(s, id, user, &changed);
        break;
    case PROTO_QUESTION_UNVOTE:
        e = stage_unvote(s, id, user, &changed);
        break;
    case PROTO_QUESTION_ANSWER:
        e = stage_answer(s, id, on, now);
        break;
    case PROTO_QUESTION_HIDE:
        e = stage_hide(s, id, on);
        break;
    case PROTO_QUESTION_PIN:
        e = stage_pin(s, id, on);
        break;
    }
    ch->id = id;
    ch->changed = changed;
    return stage_error(e, ch);
}

void app__handle_question(conn *c, proto_msg *msg)
{
    action need = ACTION_QUESTION_MODERATE;

    if (msg->u.question.op == PROTO_QUESTION_ASK)
        need = ACTION_QUESTION_ASK;
    else if (msg->u.question.op == PROTO_QUESTION_VOTE ||
             msg->u.question.op == PROTO_QUESTION_UNVOTE)
        need = ACTION_QUESTION_VOTE;
    if (!app__live_may(c, need)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         need == ACTION_QUESTION_MODERATE
                             ? "only coordinators and the session's host "
                               "answer, hide or pin questions"
                             : "your role may not do this with questions");
        return;
    }
    app__live_run(c, msg, app__apply_question);
}
