/* handle_pulse: the pulse and pulse_results messages (docs/protocol.md
 * section 10.7). A pulse is private: it is recorded as an op of the
 * session (no room event) and answered to its sender once stored; only
 * coordinators read the results, as aggregates, every pulse, and CSV for
 * funders' reports. */
#include "server/app/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A stored pulse waiting for its reply. */
typedef struct pending {
    app *a;
    char sid[SESSION_ID_MAX + 1];
    char user[SESSION_ID_MAX + 1];
    char scope[PROTO_MAX_ID + 1];
    char ref[PROTO_MAX_ID + 1];
    uint64_t conn_id;
} pending;

static proto_error pulse_error(pulse_err e, live_change *ch)
{
    snprintf(ch->why, sizeof(ch->why), "%s", pulse_strerror(e));
    switch (e) {
    case PULSE_OK:
        return PROTO_OK;
    case PULSE_ERR_ID:
    case PULSE_ERR_USEFULNESS:
    case PULSE_ERR_TEXT:
        return PROTO_ERR_BAD_VALUE;
    case PULSE_ERR_FULL:
        return PROTO_ERR_TOO_MANY;
    default:
        return PROTO_ERR_INTERNAL;
    }
}

proto_error app__apply_pulse(sess *ss, const proto_msg *m, const char *user,
                             int64_t now, live_change *ch)
{
    const char *text = m->u.pulse.text[0] ? m->u.pulse.text : NULL;
    pulse_err e = pulse_submit(&ss->live->pulse, m->u.pulse.scope, user,
                               m->u.pulse.usefulness,
                               m->u.pulse.will_apply != 0, text, now, NULL);
    ch->feature = LIVE_NONE;
    ch->changed = 1;
    ch->op = "submit";
    return pulse_error(e, ch);
}

static proto_pulse_view pulse_view(const struct pulse_entry *p)
{
    return (proto_pulse_view){p->scope,      p->user, p->usefulness,
                              p->will_apply, p->text, p->submitted_ms};
}

static void stored_cb(const char *err, void *data)
{
    pending *p = data;
    sess *ss = app__sess_find(p->a, p->sid);
    member *m = ss ? session_member(ss->s, p->user) : NULL;
    conn *c = m ? app__member_conn(m, p->conn_id) : NULL;
    if (c != NULL && c->state == CONN_JOINED) {
        const struct pulse_entry *e =
            pulse_find(&ss->live->pulse, p->scope, p->user);
        if (err != NULL || e == NULL) {
            app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                            "the pulse could not be stored", p->ref, NULL);
        } else {
            proto_pulse_view v = pulse_view(e);
            size_t len;
            char *buf = proto_encode_pulse_reply(p->ref, &v, &len);
            app__send_buf(c, buf, len);
        }
    }
    if (err)
        p->a->m.store_failures++;
    free(p);
}

void app__handle_pulse(conn *c, proto_msg *msg)
{
    sess *ss = c->sess;
    live_change ch = {0};
    if (!app__live_may(c, ACTION_PULSE_SUBMIT)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         "your role may not answer pulses");
        return;
    }
    if (app__live_admit(c, msg) != 0)
        return;
    int64_t now = app__wall_ms();
    proto_error e = app__apply_pulse(ss, msg, c->info.id, now, &ch);
    if (e != PROTO_OK) {
        app__live_refuse(c, msg, e, ch.why);
        return;
    }
    pending *p = calloc(1, sizeof(*p));
    if (p == NULL)
        abort();
    p->a = c->app;
    p->conn_id = c->id;
    snprintf(p->sid, sizeof(p->sid), "%s", ss->id);
    snprintf(p->user, sizeof(p->user), "%s", c->info.id);
    snprintf(p->scope, sizeof(p->scope), "%s", msg->u.pulse.scope);
    snprintf(p->ref, sizeof(p->ref), "%s", msg->ref);
    size_t len;
    char *rec = app__live_record(now, c->info.id, c->frame, c->frame_len, &len);
    session_state_op op = {ss->live->next_seq++, rec, len};
    if (session_state_put_ops(c->app->store, ss->id, &op, 1, stored_cb, p) != 0)
        stored_cb("queue full", p);
    free(rec);
}

static proto_pulse_stats_view stats_view(const struct pulse *p,
                                         const char *scope)
{
    struct pulse_stats st;
    pulse_stats(p, scope, &st);
    proto_pulse_stats_view v = {.scope = scope,
                                .count = st.count,
                                .will_apply = st.will_apply,
                                .comments = st.comments,
                                .mean_usefulness = st.mean_usefulness,
                                .will_apply_share = st.will_apply_share};
    memcpy(v.histogram, st.histogram, sizeof(v.histogram));
    return v;
}

void app__handle_pulse_results(conn *c, proto_msg *msg)
{
    const struct pulse *p = &c->sess->live->pulse;
    const char *only =
        msg->u.pulse_results.scope[0] ? msg->u.pulse_results.scope : NULL;
    if (!app__live_may(c, ACTION_PULSE_RESULTS)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         "only coordinators read pulse results");
        return;
    }
    size_t nscopes = pulse_scopes(p, NULL, 0);
    const char **scopes = calloc(nscopes + 1, sizeof(*scopes));
    proto_pulse_stats_view *sv = calloc(nscopes + 1, sizeof(*sv));
    proto_pulse_view *pv = calloc(p->n + 1, sizeof(*pv));
    if (scopes == NULL || sv == NULL || pv == NULL)
        abort();
    pulse_scopes(p, scopes, nscopes);
    size_t ns = 0, np = 0;
    for (size_t i = 0; i < nscopes; i++)
        if (only == NULL || strcmp(only, scopes[i]) == 0)
            sv[ns++] = stats_view(p, scopes[i]);
    for (size_t i = 0; i < p->n; i++)
        if (only == NULL || strcmp(only, p->entries[i].scope) == 0)
            pv[np++] = pulse_view(&p->entries[i]);
    proto_pulse_stats_view total = stats_view(p, only);
    unsigned flags = PULSE_CSV_HEADER | PULSE_CSV_NEUTRALISE;
    size_t csv_len = 0;
    pulse_csv(p, flags, NULL, 0, &csv_len);
    char *csv = malloc(csv_len + 1);
    if (csv == NULL)
        abort();
    if (pulse_csv(p, flags, csv, csv_len + 1, &csv_len) != PULSE_OK)
        csv_len = 0;
    size_t len;
    char *buf = proto_encode_pulse_results(msg->ref, c->sess->id, &total, sv,
                                           ns, pv, np, csv, csv_len, &len);
    app__send_buf(c, buf, len);
    free(csv);
    free(scopes);
    free(sv);
    free(pv);
}
