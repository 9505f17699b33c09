/* live: the machinery shared by the handlers that run a session (agenda,
 * hand, topic, stage, question, pulse; docs/protocol.md section 10): a
 * session's live state and its load (programme first, then the op log
 * replayed through the same apply functions the handlers use), the common
 * path of a message (check, apply, record, emit), the kept events in
 * room:main, who may do what (role or host), and the agenda timer. Called
 * by the handle_*.c files of these messages, sessions.c (load) and app.c
 * (timer). */
#include "server/app/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/store/session_state.h"

struct live *app__live_new(const char *sid)
{
    struct live *lv = calloc(1, sizeof(*lv));
    if (lv == NULL)
        abort();
    agenda_init(&lv->agenda, false);
    hands_init(&lv->hands);
    topics_init(&lv->topics);
    stage_init(&lv->stage);
    pulse_init(&lv->pulse, sid);
    lv->next_seq = 1;
    return lv;
}

void app__live_free(struct live *lv)
{
    if (lv == NULL)
        return;
    hands_free(&lv->hands);
    topics_free(&lv->topics);
    stage_free(&lv->stage);
    pulse_free(&lv->pulse);
    free(lv);
}

/* ---- load and replay ---- */

static live_apply_fn apply_for(proto_type t)
{
    switch (t) {
    case PROTO_AGENDA:
        return app__apply_agenda;
    case PROTO_HAND:
        return app__apply_hand;
    case PROTO_TOPIC:
        return app__apply_topic;
    case PROTO_STAGE:
        return app__apply_stage;
    case PROTO_QUESTION:
        return app__apply_question;
    case PROTO_PULSE:
        return app__apply_pulse;
    default:
        return NULL;
    }
}

/* Splits an op record "<ms> <user> <frame>". Returns 0, or -1 when it is
 * malformed. */
static int split_record(const char *rec, size_t len, int64_t *ms,
                        char user[SESSION_ID_MAX + 1], const char **body,
                        size_t *body_len)
{
    const char *sp1 = memchr(rec, ' ', len);
    if (sp1 == NULL || sp1 - rec > 20)
        return -1;
    char num[24];
    memcpy(num, rec, (size_t)(sp1 - rec));
    num[sp1 - rec] = '\0';
    char *end;
    *ms = strtoll(num, &end, 10);
    if (*end != '\0' || end == num)
        return -1;
    const char *u = sp1 + 1;
    const char *sp2 = memchr(u, ' ', len - (size_t)(u - rec));
    if (sp2 == NULL || sp2 == u || sp2 - u > SESSION_ID_MAX)
        return -1;
    memcpy(user, u, (size_t)(sp2 - u));
    user[sp2 - u] = '\0';
    *body = sp2 + 1;
    *body_len = len - (size_t)(*body - rec);
    return 0;
}

static void replay_one(sess *ss, const session_state_op *op)
{
    int64_t ms;
    char user[SESSION_ID_MAX + 1];
    const char *body;
    size_t flen;
    proto_msg m;
    live_change ch;

    if (op->seq >= ss->live->next_seq)
        ss->live->next_seq = op->seq + 1;
    if (split_record(op->rec, op->len, &ms, user, &body, &flen) != 0) {
        fprintf(stderr, "kopa: session %s: op %lld is malformed; skipped\n",
                ss->id, (long long)op->seq);
        return;
    }
    if (proto_parse(body, flen, &m, NULL, 0) == PROTO_OK &&
        apply_for(m.type) != NULL) {
        memset(&ch, 0, sizeof(ch));
        if (apply_for(m.type)(ss, &m, user, ms, &ch) != PROTO_OK)
            fprintf(stderr, "kopa: session %s: op %lld no longer applies: %s\n",
                    ss->id, (long long)op->seq, ch.why);
    }
    proto_msg_free(&m);
}

static void ops_loaded_cb(const session_state_op *ops, size_t n,
                          const char *err, void *data)
{
    sess *ss = data;
    if (err == NULL) {
        for (size_t i = 0; i < n; i++)
            replay_one(ss, &ops[i]);
        /* What fell due while the session was away (warnings, ends,
         * auto-advance) is applied without being announced. */
        agenda_tick(&ss->live->agenda, app__wall_ms(), NULL, 0);
        app__round_agenda_loaded(ss); /* the round follows the agenda */
    }
    app__sess_loaded(ss, err);
}

void app__live_load(sess *ss)
{
    ss->live = app__live_new(ss->id);
    app__prog_need(ss->app, ss);
}

void app__live_prog_ready(sess *ss, const char *err)
{
    if (err != NULL) {
        app__sess_loaded(ss, err);
        return;
    }
    if (session_state_load_ops(ss->app->store, ss->id, ops_loaded_cb, ss) != 0)
        app__sess_loaded(ss, "storage client closing");
}

/* ---- permissions ---- */

/* The actions a session's host may do as well as the roles listed. */
static int host_action(action a)
{
    return a == ACTION_AGENDA_RUN || a == ACTION_HAND_MANAGE ||
           a == ACTION_TOPIC_MODERATE || a == ACTION_STAGE_MANAGE ||
           a == ACTION_QUESTION_MODERATE || a == ACTION_NOTE_WRITE;
}

int app__live_may(const conn *c, action a)
{
    if (perm_allows(c->info.role, a))
        return 1;
    if (!host_action(a) || !perm_allows(c->info.role, ACTION_HOST_RUNS_SESSION))
        return 0;
    const char *host = app__prog_host(c->app, c->sess->id);
    return host != NULL && strcmp(host, c->info.id) == 0;
}

/* ---- the common path ---- */

void app__live_refuse(conn *c, const proto_msg *msg, proto_error e,
                      const char *why)
{
    app__send_error(c, e, why && why[0] ? why : NULL, msg->ref, NULL);
}

char *app__live_record(int64_t now, const char *user, const char *body,
                       size_t body_len, size_t *len)
{
    char head[24 + SESSION_ID_MAX + 2];
    int n = snprintf(head, sizeof(head), "%lld %s ", (long long)now, user);
    char *rec = malloc((size_t)n + body_len + 1);
    if (rec == NULL)
        abort();
    memcpy(rec, head, (size_t)n);
    memcpy(rec + n, body, body_len);
    *len = (size_t)n + body_len;
    rec[*len] = '\0';
    return rec;
}

static int storage_full(const app *a)
{
    return redis_client_queue_depth(a->store) + 4 >= a->cfg.store_queue_max;
}

int app__live_admit(conn *c, const proto_msg *msg)
{
    if (c->frame == NULL || c->frame_len > LIVE_FRAME_MAX) {
        app__live_refuse(c, msg, PROTO_ERR_TOO_LONG,
                         "session messages are at most 8192 bytes");
        return -1;
    }
    if (storage_full(c->app)) {
        app__live_refuse(c, msg, PROTO_ERR_STORE_UNAVAILABLE,
                         "storage is unreachable and its queue is full");
        return -1;
    }
    return 0;
}

void app__live_run(conn *c, proto_msg *msg, live_apply_fn apply)
{
    sess *ss = c->sess;
    live_change ch;
    if (app__live_admit(c, msg) != 0)
        return;
    memset(&ch, 0, sizeof(ch));
    int64_t now = app__wall_ms();
    proto_error e = apply(ss, msg, c->info.id, now, &ch);
    if (e != PROTO_OK) {
        app__live_refuse(c, msg, e, ch.why);
        return;
    }
    if (!ch.changed)
        return;
    size_t len;
    char *rec = app__live_record(now, c->info.id, c->frame, c->frame_len, &len);
    session_state_op op = {ss->live->next_seq++, rec, len};
    app__live_emit(ss, &ch, c->member, NULL, now, &op, 1);
    free(rec);
}

static void stored_cb(const char *err, void *data)
{
    app *a = data;
    if (err)
        a->m.store_failures++;
}

void app__live_emit(sess *ss, const live_change *ch, const member *by,
                    const char *event, int64_t now, const session_state_op *ops,
                    size_t nops)
{
    app *a = ss->app;
    channel *log = session_room(ss->s, SESSION_MAIN_ROOM)->log;
    size_t slen, len;
    char *state = app__live_piece(ss, ch->feature, now, &slen);
    const char *langs[MEMBER_LANGS_MAX];
    proto_member pm;
    if (by != NULL)
        pm = app__member(by, langs);
    proto_live_event ev = {
        .type = app__live_type(ch->feature),
        .channel = log->name,
        .offset = channel_next_offset(log),
        .ts = now,
        .op = ch->op,
        .by = by ? &pm : NULL,
        .event = event,
        .user = ch->user[0] ? ch->user : NULL,
        .id_key = ch->id_key,
        .id = ch->id,
        .state = {state, slen},
    };
    char *buf = proto_encode_live_event(&ev, &len);
    free(state);
    channel_append(log, ev.offset, buf, len);
    frame *f = frame_take(buf, len, 0);
    app__fanout_room(ss, SESSION_MAIN_ROOM, f);
    if (session_state_append(a->store, ss->id, log->name, ev.offset, f->data,
                             f->len, ops, nops, a->cfg.stream_maxlen, stored_cb,
                             a) != 0)
        a->m.store_failures++;
    frame_unref(f);
}

/* ---- the agenda timer ---- */

static const char *event_name(agenda_event_kind k)
{
    switch (k) {
    case AGENDA_EV_WARNING:
        return "warning";
    case AGENDA_EV_ENDED:
        return "ended";
    case AGENDA_EV_ADVANCED:
        return "advanced";
    default:
        return "finished";
    }
}

static void tick_cb(uv_timer_t *t)
{
    app *a = t->data;
    int64_t now = app__wall_ms();
    for (sess *ss = a->sessions; ss; ss = ss->next) {
        if (ss->state != SESS_READY || ss->live == NULL)
            continue;
        const struct agenda_item *cur = agenda_current(&ss->live->agenda);
        if (cur == NULL || cur->state != AGENDA_ITEM_RUNNING)
            continue;
        struct agenda_event evs[8];
        size_t n = agenda_tick(&ss->live->agenda, now, evs, 8);
        for (size_t i = 0; i < n && i < 8; i++) {
            live_change ch = {.feature = LIVE_AGENDA,
                              .changed = 1,
                              .id_key = "item",
                              .id = evs[i].item_id};
            app__live_emit(ss, &ch, NULL, event_name(evs[i].kind), now, NULL,
                           0);
        }
        if (n > 0)
            app__round_agenda_changed(ss);
    }
}

void app__live_timer_start(app *a)
{
    uv_timer_init(a->loop, &a->live_timer);
    a->live_timer.data = a;
    uv_timer_start(&a->live_timer, tick_cb, LIVE_TICK_MS, LIVE_TICK_MS);
}

void app__live_timer_stop(app *a)
{
    uv_timer_stop(&a->live_timer);
    uv_close((uv_handle_t *)&a->live_timer, NULL);
}
