/* handle_agenda: the agenda message (docs/protocol.md section 10.2): the
 * live agenda of a session, run by coordinators and the session's host.
 * app__apply_agenda() turns one message into rooms/agenda calls (live and
 * in replay); the template op is expanded here into one recorded "add" per
 * item of the session's programme entry. The timer that ends items lives
 * in live.c; after every change round_agenda.c lets a breakout round follow
 * the agenda (docs/protocol.md section 11.9). */
#include "server/app/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static proto_error agenda_error(agenda_err e, live_change *ch)
{
    snprintf(ch->why, sizeof(ch->why), "%s", agenda_strerror(e));
    switch (e) {
    case AGENDA_OK:
        return PROTO_OK;
    case AGENDA_ERR_INVALID:
    case AGENDA_ERR_TITLE:
    case AGENDA_ERR_LEAD:
    case AGENDA_ERR_KIND:
    case AGENDA_ERR_TIMEBOX:
    case AGENDA_ERR_BREAKOUT:
        return PROTO_ERR_BAD_VALUE;
    case AGENDA_ERR_FULL:
        return PROTO_ERR_TOO_MANY;
    case AGENDA_ERR_NO_SUCH_ITEM:
        return PROTO_ERR_NOT_FOUND;
    case AGENDA_ERR_NOT_STARTED:
    case AGENDA_ERR_ALREADY_STARTED:
    case AGENDA_ERR_NOT_RUNNING:
    case AGENDA_ERR_NOT_PAUSED:
    case AGENDA_ERR_NO_PENDING:
    case AGENDA_ERR_NO_PREVIOUS:
    case AGENDA_ERR_BAD_STATE:
    case AGENDA_ERR_BAD_ORDER:
        return PROTO_ERR_BAD_STATE;
    default:
        return PROTO_ERR_INTERNAL;
    }
}

/* The item spec of add and edit. */
static agenda_err spec_of(const proto_msg *m, struct agenda_item_spec *spec)
{
    memset(spec, 0, sizeof(*spec));
    spec->title = m->u.agenda.title;
    spec->lead = m->u.agenda.lead;
    spec->timebox_ms = m->u.agenda.timebox_ms;
    return agenda_kind_parse(m->u.agenda.kind, strlen(m->u.agenda.kind),
                             &spec->kind);
}

/* The ops that change the agenda's items (add, edit, remove, move,
 * auto_advance); the others run it. */
static agenda_err edit_items(struct agenda *a, const proto_msg *m, int64_t now,
                             live_change *ch)
{
    struct agenda_item_spec spec;
    agenda_err e = AGENDA_OK;
    uint32_t item = m->u.agenda.item;

    int bmode = m->u.agenda.breakout_mode, bsize = m->u.agenda.breakout_size;

    switch (m->u.agenda.op) {
    case PROTO_AGENDA_ADD:
        e = spec_of(m, &spec);
        if (e == AGENDA_OK)
            e = agenda_breakout_check(bmode, bsize);
        if (e == AGENDA_OK)
            e = agenda_add(a, &spec, m->u.agenda.before, now, &item);
        if (e == AGENDA_OK) /* checked: cannot fail */
            agenda_set_breakout(a, item, bmode, bsize);
        break;
    case PROTO_AGENDA_EDIT:
        e = spec_of(m, &spec);
        if (e == AGENDA_OK)
            e = agenda_breakout_check(bmode, bsize);
        if (e == AGENDA_OK)
            e = agenda_edit(a, item, &spec, now);
        if (e == AGENDA_OK)
            agenda_set_breakout(a, item, bmode, bsize);
        break;
    case PROTO_AGENDA_REMOVE:
        e = agenda_remove(a, item, now);
        break;
    case PROTO_AGENDA_MOVE:
        e = agenda_move(a, item, m->u.agenda.to, now);
        break;
    default: /* auto_advance */
        ch->changed = a->auto_advance != (m->u.agenda.on != 0);
        agenda_set_auto_advance(a, m->u.agenda.on != 0, now);
        break;
    }
    ch->id = item;
    return e;
}

proto_error app__apply_agenda(sess *ss, const proto_msg *m, const char *user,
                              int64_t now, live_change *ch)
{
    struct agenda *a = &ss->live->agenda;
    agenda_err e = AGENDA_OK;

    (void)user;
    ch->feature = LIVE_AGENDA;
    ch->op = proto_agenda_op_name(m->u.agenda.op);
    ch->changed = 1;
    ch->id_key = "item";
    ch->id = m->u.agenda.item;
    switch (m->u.agenda.op) {
    case PROTO_AGENDA_START:
        e = agenda_start(a, now);
        break;
    case PROTO_AGENDA_PAUSE:
        e = agenda_pause(a, now);
        break;
    case PROTO_AGENDA_RESUME:
        e = agenda_resume(a, now);
        break;
    case PROTO_AGENDA_EXTEND:
        e = agenda_extend(a, m->u.agenda.ms, now);
        break;
    case PROTO_AGENDA_NEXT:
        e = agenda_next(a, now);
        break;
    case PROTO_AGENDA_PREVIOUS:
        e = agenda_previous(a, now);
        break;
    case PROTO_AGENDA_SKIP:
        e = agenda_skip(a, m->u.agenda.item, now);
        break;
    case PROTO_AGENDA_JUMP:
        e = agenda_jump(a, m->u.agenda.item, now);
        break;
    case PROTO_AGENDA_RESET:
        e = agenda_reset_item(a, m->u.agenda.item, now);
        break;
    case PROTO_AGENDA_TEMPLATE:
        snprintf(ch->why, sizeof(ch->why), "a template is never replayed");
        return PROTO_ERR_BAD_VALUE;
    case PROTO_AGENDA_ROUND: /* the server's link of a round (replayed) */
        ch->changed = 0;
        e = agenda_set_round(a, m->u.agenda.item, m->u.agenda.round);
        break;
    default:
        e = edit_items(a, m, now, ch);
        break;
    }
    switch (m->u.agenda.op) {
    case PROTO_AGENDA_START:
    case PROTO_AGENDA_PAUSE:
    case PROTO_AGENDA_RESUME:
    case PROTO_AGENDA_EXTEND:
    case PROTO_AGENDA_NEXT:
    case PROTO_AGENDA_PREVIOUS:
        ch->id = a->current_id; /* the item that runs now */
        break;
    default:
        break;
    }
    return agenda_error(e, ch);
}

/* Appends the items of the session's programme entry, recording each as
 * the "add" a client could have sent (with its breakout settings), in one
 * event. */
static void run_template(conn *c, proto_msg *msg)
{
    sess *ss = c->sess;
    const struct programme_session *entry = app__prog_entry(c->app, ss->id);
    if (entry == NULL || entry->n_items == 0) {
        app__live_refuse(c, msg,
                         entry ? PROTO_ERR_BAD_STATE : PROTO_ERR_NOT_FOUND,
                         entry ? "the programme entry has no agenda"
                               : "this session is not in the programme");
        return;
    }
    if (ss->live->agenda.count + entry->n_items > AGENDA_MAX_ITEMS) {
        app__live_refuse(c, msg, PROTO_ERR_TOO_MANY,
                         "the agenda would have more than 64 items");
        return;
    }
    session_state_op ops[PROGRAMME_TEMPLATE_MAX];
    size_t nops = 0;
    int64_t now = app__wall_ms();
    proto_template_item_view items[PROGRAMME_TEMPLATE_MAX];
    proto_entry_view v = app__prog_entry_view(c->app, entry, items);
    for (size_t i = 0; i < entry->n_items; i++) {
        size_t flen;
        char *add_frame =
            proto_encode_agenda_add_breakout(&items[i], &v.breakouts[i], &flen);
        proto_msg add;
        live_change one = {0};
        if (proto_parse(add_frame, flen, &add, NULL, 0) == PROTO_OK &&
            app__apply_agenda(ss, &add, c->info.id, now, &one) == PROTO_OK) {
            ops[nops].seq = ss->live->next_seq++;
            ops[nops].rec = app__live_record(now, c->info.id, add_frame, flen,
                                             &ops[nops].len);
            nops++;
        }
        proto_msg_free(&add);
        free(add_frame);
    }
    live_change ch = {.feature = LIVE_AGENDA, .changed = 1, .op = "template"};
    app__live_emit(ss, &ch, c->member, NULL, now, ops, nops);
    for (size_t i = 0; i < nops; i++)
        free((char *)ops[i].rec);
}

void app__handle_agenda(conn *c, proto_msg *msg)
{
    if (!app__live_may(c, ACTION_AGENDA_RUN)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         "only coordinators and the session's host run the "
                         "agenda");
        return;
    }
    if (msg->u.agenda.op == PROTO_AGENDA_ROUND) {
        app__live_refuse(c, msg, PROTO_ERR_BAD_VALUE,
                         "only the server links rounds to agenda items");
        return;
    }
    if (msg->u.agenda.op == PROTO_AGENDA_TEMPLATE)
        run_template(c, msg);
    else
        app__live_run(c, msg, app__apply_agenda);
    app__round_agenda_changed(c->sess);
}
