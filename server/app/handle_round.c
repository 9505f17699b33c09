/* handle_round: the coordinator's breakout lifecycle: round_propose (the
 * pairing engine plans from the present entrepreneurs' profiles and the
 * pair history), round_move and round_swap (edits, re-explained), then
 * round_open, round_extend, round_place, round_close, round_get, and the
 * coverage view of the pair history. Every change is saved and shown
 * through round.c / round_life.c. */
#include "server/app/round.h"
#include "server/app/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static int manager(conn *c, const char *ref)
{
    if (perm_allows(c->info.role, ACTION_ROUND_MANAGE))
        return 1;
    app__send_error(c, PROTO_ERR_FORBIDDEN,
                    "only coordinators run breakout rounds", ref, NULL);
    return 0;
}

/* Answers with no_round / round_open unless the round is in state want. */
static int in_state(conn *c, round_state want, const char *ref)
{
    round_state s = app__round(c->sess)->state;
    if (s == want)
        return 1;
    if (s == ROUND_OPEN)
        app__send_error(c, PROTO_ERR_ROUND_OPEN,
                        "a round is open; close it first", ref, NULL);
    else
        app__send_error(c, PROTO_ERR_NO_ROUND,
                        want == ROUND_OPEN ? "no round is open"
                                           : "no round is planned",
                        ref, NULL);
    return 0;
}

/* ---- rendering a plan into the round ---- */

static const char *const reason_kinds[] = {
    "complement",   "shared_interest", "cross_country",
    "same_country", "shared_language", "no_common_language",
    "repeat",       "random",          "odd_count",
    "manual"};
static const char *const warning_kinds[] = {
    "no_common_language", "unassigned", "repeat", "group_size", "no_languages"};
static const char *const causes[] = {"", "alone", "no_common_language",
                                     "manual"};

static const char *name_of(const breakout_round *r, int32_t i)
{
    if (i < 0 || (size_t)i >= r->nprof)
        return "";
    return r->prof[i].name[0] ? r->prof[i].name : r->prof[i].user_id;
}

static const char *id_of(const breakout_round *r, int32_t i)
{
    return i >= 0 && (size_t)i < r->nprof ? r->prof[i].user_id : NULL;
}

/* The English sentence of a reason, for clients without a translation. */
static void reason_text(const breakout_round *r, const pairing_reason *x,
                        char *out, size_t size)
{
    const char *a = name_of(r, x->a), *b = name_of(r, x->b);
    const char *topic = app__topic_label(x->topic);
    const char *ca = x->a >= 0 ? r->prof[x->a].country : "";
    const char *cb = x->b >= 0 ? r->prof[x->b].country : "";
    switch (x->kind) {
    case PAIRING_REASON_COMPLEMENT:
        snprintf(out, size, "%s needs %s; %s offers it", a, topic, b);
        break;
    case PAIRING_REASON_SHARED_INTEREST:
        snprintf(out, size, "%s and %s both chose %s", a, b, topic);
        break;
    case PAIRING_REASON_CROSS_COUNTRY:
        snprintf(out, size, "%s and %s: %s and %s", a, b, ca, cb);
        break;
    case PAIRING_REASON_SAME_COUNTRY:
        snprintf(out, size, "%s and %s are both from %s", a, b, ca);
        break;
    case PAIRING_REASON_SHARED_LANGUAGE:
        snprintf(out, size, "the group shares the language %s", x->language);
        break;
    case PAIRING_REASON_NO_COMMON_LANGUAGE:
        snprintf(out, size, "%s does not speak the group's language %s", a,
                 x->language[0] ? x->language : "(none)");
        break;
    case PAIRING_REASON_REPEAT:
        snprintf(out, size, "%s and %s met before (%u times)", a, b,
                 x->met_count);
        break;
    case PAIRING_REASON_RANDOM:
        snprintf(out, size, "drawn by chance");
        break;
    case PAIRING_REASON_ODD_COUNT:
        snprintf(out, size, "%s joins as the odd one out", a);
        break;
    default:
        snprintf(out, size, "set by the coordinator");
        break;
    }
}

static char *reasons_json(const breakout_round *r, const pairing_group *g,
                          size_t *len)
{
    const pairing_plan *pl = r->plan;
    proto_reason *out = app__need(calloc(g->n_reasons + 1, sizeof(*out)));
    char(*texts)[400] = app__need(calloc(g->n_reasons + 1, sizeof(*texts)));
    for (size_t i = 0; i < g->n_reasons; i++) {
        const pairing_reason *x = &pl->reasons[g->first_reason + i];
        reason_text(r, x, texts[i], sizeof(texts[i]));
        out[i] = (proto_reason){
            reason_kinds[x->kind <= PAIRING_REASON_MANUAL ? x->kind : 0],
            x->topic >= 0 ? profile_topic_key(x->topic) : NULL,
            id_of(r, x->a),
            id_of(r, x->b),
            x->language,
            x->met_count,
            texts[i]};
    }
    char *json = proto_encode_reasons(out, g->n_reasons, len);
    free(out);
    free(texts);
    return json;
}

static void warning_text(const breakout_round *r, const pairing_warning *w,
                         char *out, size_t size)
{
    const char *p = name_of(r, w->person), *o = name_of(r, w->other);
    switch (w->kind) {
    case PAIRING_WARN_NO_COMMON_LANGUAGE:
        snprintf(out, size, "%s shares no language with group %d", p,
                 (int)w->group);
        break;
    case PAIRING_WARN_UNASSIGNED:
        snprintf(out, size, "%s is in no group", p);
        break;
    case PAIRING_WARN_REPEAT:
        snprintf(out, size, "%s and %s meet again", p, o);
        break;
    case PAIRING_WARN_GROUP_SIZE:
        snprintf(out, size, "group %d has an unusual size", (int)w->group);
        break;
    default:
        snprintf(out, size, "%s's profile lists no language", p);
        break;
    }
}

static void render_warnings(breakout_round *r)
{
    const pairing_plan *pl = r->plan;
    proto_plan_warning *w = app__need(calloc(pl->n_warnings + 1, sizeof(*w)));
    char(*texts)[400] = app__need(calloc(pl->n_warnings + 1, sizeof(*texts)));
    for (size_t i = 0; i < pl->n_warnings; i++) {
        const pairing_warning *x = &pl->warnings[i];
        warning_text(r, x, texts[i], sizeof(texts[i]));
        w[i] = (proto_plan_warning){
            warning_kinds[x->kind <= PAIRING_WARN_NO_LANGUAGES ? x->kind : 0],
            causes[x->cause <= PAIRING_CAUSE_MANUAL ? x->cause : 0],
            id_of(r, x->person),
            id_of(r, x->other),
            x->group,
            texts[i]};
    }
    free(r->warnings);
    r->warnings =
        proto_encode_plan_warnings(w, pl->n_warnings, &r->warnings_len);
    free(w);
    free(texts);
}

/* Replaces the round's groups, unassigned people and warnings with the
 * plan's (group indexes stay the plan's, empty groups included). */
static void render_plan(breakout_round *r)
{
    const pairing_plan *pl = r->plan;
    for (size_t i = 0; i < r->ngroups; i++) {
        free(r->groups[i].members);
        free(r->groups[i].reasons);
    }
    free(r->groups);
    free(r->unassigned);
    for (size_t i = 0; i < r->nprof; i++)
        app__round_person(r, r->prof[i].user_id, r->prof[i].name,
                          r->prof[i].country);
    r->ngroups = pl->n_groups;
    r->groups = app__need(calloc(pl->n_groups + 1, sizeof(*r->groups)));
    for (size_t i = 0; i < pl->n_groups; i++) {
        const pairing_group *g = &pl->groups[i];
        round_group *rg = &r->groups[i];
        for (uint32_t j = 0; j < g->n_members; j++)
            app__round_group_add(rg, r->prof[g->members[j]].user_id);
        memcpy(rg->language, g->language, sizeof(rg->language));
        rg->language_ok = g->language_ok;
        rg->score = g->score;
        rg->reasons = reasons_json(r, g, &rg->reasons_len);
    }
    r->unassigned = app__need(calloc(r->nprof + 1, sizeof(*r->unassigned)));
    r->nunassigned = 0;
    for (size_t i = 0; i < r->nprof; i++) {
        if (pl->group_of[i] >= 0)
            continue;
        round_pair *u = &r->unassigned[r->nunassigned++];
        snprintf(u->a, sizeof(u->a), "%s", r->prof[i].user_id);
        snprintf(
            u->b, sizeof(u->b), "%s",
            causes[pl->cause[i] <= PAIRING_CAUSE_MANUAL ? pl->cause[i] : 0]);
    }
    render_warnings(r);
}

static pairing_request request_of(const breakout_round *r)
{
    return (pairing_request){.people = r->prof,
                             .n_people = r->nprof,
                             .history = r->hist,
                             .mode = r->mode,
                             .group_size = (uint32_t)r->group_size,
                             .weights = pairing_weights_default(),
                             .seed = (uint64_t)r->seed,
                             .unplaced = PAIRING_UNPLACED_LEAST_BAD};
}

/* ---- propose, and the rebuild an edit needs after a restart ---- */

typedef enum plan_op { OP_PROPOSE, OP_MOVE, OP_SWAP } plan_op;

typedef struct plan_req {
    conn *c;
    char ref[PROTO_MAX_ID + 1];
    plan_op op;
    proto_round_propose propose;
    char a[SESSION_ID_MAX + 1], b[SESSION_ID_MAX + 1];
    int32_t group;
    int32_t *manual; /* the rebuild's assignment, in people order */
    uint32_t item;   /* the server's proposal: for this agenda item */
    int again;       /* ... made again with everyone present */
} plan_req;

static int32_t index_of(const breakout_round *r, const char *id)
{
    for (size_t i = 0; i < r->nprof; i++)
        if (!strcmp(r->prof[i].user_id, id))
            return (int32_t)i;
    return -1;
}

/* Applies a move or swap to the planned round's plan; answers errors. */
static void apply_edit(conn *c, const plan_req *pr)
{
    breakout_round *r = app__round(c->sess);
    pairing_request req = request_of(r);
    int32_t a = index_of(r, pr->a), b = index_of(r, pr->b);
    pairing_error e;
    if (a < 0 || (pr->op == OP_SWAP && b < 0)) {
        app__send_error(c, PROTO_ERR_UNKNOWN_MEMBER,
                        "nobody by that id is in the plan", pr->ref, NULL);
        return;
    }
    if (pr->op == OP_MOVE)
        e = pairing_plan_move(r->plan, &req, a, pr->group);
    else
        e = pairing_plan_swap(r->plan, &req, a, b);
    if (e == PAIRING_ERR_INVALID || e == PAIRING_ERR_FULL) {
        app__send_error(c, PROTO_ERR_BAD_VALUE,
                        e == PAIRING_ERR_FULL ? "that group is full"
                                              : "no group with that index",
                        pr->ref, NULL);
        return;
    }
    if (e != PAIRING_OK) {
        app__send_error(c, PROTO_ERR_INTERNAL, pairing_strerror(e), pr->ref,
                        NULL);
        return;
    }
    render_plan(r);
    r->auto_plan = 0; /* the coordinator's plan now */
    app__round_changed(c->sess, c, pr->ref, 0);
}

static int64_t new_seed(void)
{
    uint64_t s = 0;
    if (getrandom(&s, sizeof(s), 0) != (ssize_t)sizeof(s))
        s = (uint64_t)app__wall_ms();
    return (int64_t)(s & ((1ULL << 53) - 1));
}

/* Installs the fetched people and history and makes the plan. */
static pairing_error make_plan(breakout_round *r, plan_req *pr, profile *people,
                               size_t n, pairing_history *hist)
{
    app__round_drop_plan(r);
    r->prof = people;
    r->nprof = n;
    r->hist = hist;
    if (pr->op == OP_PROPOSE) {
        r->mode = (pairing_mode)pr->propose.mode;
        r->group_size = pr->propose.group_size;
        r->duration_ms = pr->propose.duration_ms;
        r->seed = pr->propose.has_seed ? pr->propose.seed : new_seed();
    }
    pairing_request req = request_of(r);
    int32_t *manual = NULL;
    if (r->mode == PAIRING_MODE_MANUAL || pr->manual) {
        manual = app__need(calloc(n + 1, sizeof(*manual)));
        for (size_t i = 0; i < n; i++)
            manual[i] = pr->manual ? pr->manual[i] : -1;
        req.mode = PAIRING_MODE_MANUAL;
        req.manual = manual;
    }
    pairing_error e = pairing_plan_make(&req, &r->plan);
    free(manual);
    if (e == PAIRING_OK && req.mode != r->mode) {
        req = request_of(r);
        e = pairing_plan_explain(r->plan, &req);
    }
    return e;
}

/* A new round planned while a breakout item is current belongs to it. */
static void link_current(sess *ss, breakout_round *r)
{
    const struct agenda_item *it =
        ss->live ? agenda_current(&ss->live->agenda) : NULL;
    r->item = 0;
    if (it != NULL && it->kind == AGENDA_KIND_BREAKOUT) {
        r->item = it->id;
        app__round_link(ss, it->id, r->seq); /* stored before the round */
    }
}

static void fetched_cb(sess *ss, profile *people, size_t n,
                       pairing_history *hist, int64_t rounds, const char *err,
                       void *data)
{
    plan_req *pr = data;
    conn *c = pr->c;
    breakout_round *r = app__round(ss);
    (void)rounds;
    if (err || c->state != CONN_JOINED || r->state == ROUND_OPEN ||
        (pr->op != OP_PROPOSE && (r->state != ROUND_PLANNED || r->plan))) {
        if (c->state == CONN_JOINED && err)
            app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                            "profiles are in storage, which is unreachable",
                            pr->ref, NULL);
        else if (c->state == CONN_JOINED && r->plan &&
                 r->state == ROUND_PLANNED)
            apply_edit(c, pr); /* another edit rebuilt it meanwhile */
        else if (c->state == CONN_JOINED)
            in_state(c, ROUND_PLANNED, pr->ref);
        free(people);
        pairing_history_free(hist);
    } else {
        pairing_error e = make_plan(r, pr, people, n, hist);
        if (e != PAIRING_OK) {
            app__round_drop_plan(r);
            app__send_error(c, PROTO_ERR_INTERNAL, pairing_strerror(e), pr->ref,
                            NULL);
        } else if (pr->op == OP_PROPOSE) {
            if (r->state == ROUND_NONE) {
                r->seq++;
                link_current(ss, r);
            }
            r->state = ROUND_PLANNED;
            r->auto_plan = 0;
            render_plan(r);
            app__round_changed(ss, c, pr->ref, 0);
        } else {
            apply_edit(c, pr);
        }
    }
    free(pr->manual);
    app__conn_unref(c);
    free(pr);
}

/* The ids of the members online who may be placed in a round (a calloc'd
 * array of *n borrowed ids; the caller frees the array). */
static const char **present_joiners(session *s, size_t *n)
{
    const char **ids = app__need(calloc(s->nmembers + 1, sizeof(*ids)));
    *n = 0;
    for (size_t i = 0; i < s->nmembers; i++)
        if (s->members[i]->online > 0 &&
            perm_allows(s->members[i]->info.role, ACTION_ROUND_JOIN))
            ids[(*n)++] = s->members[i]->info.id;
    return ids;
}

static plan_req *plan_req_new(conn *c, const proto_msg *msg, plan_op op)
{
    plan_req *pr = app__need(calloc(1, sizeof(*pr)));
    pr->c = app__conn_ref(c);
    pr->op = op;
    snprintf(pr->ref, sizeof(pr->ref), "%s", msg->ref);
    return pr;
}

void app__handle_round_propose(conn *c, proto_msg *msg)
{
    sess *ss = c->sess;
    if (!manager(c, msg->ref))
        return;
    if (app__round(ss)->state == ROUND_OPEN) {
        in_state(c, ROUND_PLANNED, msg->ref);
        return;
    }
    session *s = ss->s;
    size_t n;
    const char **ids = present_joiners(s, &n);
    plan_req *pr = plan_req_new(c, msg, OP_PROPOSE);
    pr->propose = msg->u.round_propose;
    app__people_fetch(ss, ids, n, fetched_cb, pr);
    free(ids);
}

/* ---- the server's proposal for a breakout agenda item ---- */

static void item_fetched_cb(sess *ss, profile *people, size_t n,
                            pairing_history *hist, int64_t rounds,
                            const char *err, void *data)
{
    plan_req *pr = data;
    breakout_round *r = app__round(ss);
    const struct agenda_item *cur = agenda_current(&ss->live->agenda);
    (void)rounds;
    r->proposing = 0;
    int again = pr->again && r->state == ROUND_PLANNED && r->auto_plan &&
                r->item == pr->item;
    if (err || (r->state != ROUND_NONE && !again) || cur == NULL ||
        cur->id != pr->item) {
        if (err)
            fprintf(stderr, "kopa: session %s: no round for item %u: %s\n",
                    ss->id, pr->item, err);
        free(people);
        pairing_history_free(hist);
        free(pr);
        return;
    }
    pairing_error e = make_plan(r, pr, people, n, hist);
    if (e != PAIRING_OK) {
        app__round_drop_plan(r);
        fprintf(stderr, "kopa: session %s: no round for item %u: %s\n", ss->id,
                pr->item, pairing_strerror(e));
    } else {
        if (!again) { /* cur is pr->item, a breakout item */
            r->seq++;
            link_current(ss, r);
        }
        r->state = ROUND_PLANNED;
        r->auto_plan = 1;
        render_plan(r);
        app__round_changed(ss, NULL, NULL, 0);
    }
    free(pr);
}

void app__round_propose_for(sess *ss, uint32_t item, int again)
{
    const struct agenda_item *it = agenda_find(&ss->live->agenda, item);
    session *s = ss->s;
    plan_req *pr = app__need(calloc(1, sizeof(*pr)));
    int64_t left = agenda_time_left_ms(&ss->live->agenda, app__wall_ms());
    pr->op = OP_PROPOSE;
    pr->item = item;
    pr->again = again;
    if (again) { /* the same draw, with more people */
        pr->propose.has_seed = 1;
        pr->propose.seed = ss->round->seed;
    }
    /* The item's mode number is the wire mode's index plus one. */
    pr->propose.mode = (proto_round_mode)(it && it->breakout_mode > 0
                                              ? it->breakout_mode - 1
                                              : PROTO_MODE_COMPLEMENTARY);
    pr->propose.group_size = it && it->breakout_size ? it->breakout_size : 2;
    pr->propose.duration_ms = left < PROTO_ROUND_MIN_MS   ? PROTO_ROUND_MIN_MS
                              : left > PROTO_ROUND_MAX_MS ? PROTO_ROUND_MAX_MS
                                                          : left;
    size_t n;
    const char **ids = present_joiners(s, &n);
    app__people_fetch(ss, ids, n, item_fetched_cb, pr);
    free(ids);
}

/* Runs an edit now, or after rebuilding the plan from storage. */
static void edit(conn *c, plan_req *pr)
{
    sess *ss = c->sess;
    breakout_round *r = app__round(ss);
    if (r->plan) {
        apply_edit(c, pr);
        app__conn_unref(pr->c);
        free(pr);
        return;
    }
    size_t total = r->nunassigned;
    for (size_t i = 0; i < r->ngroups; i++)
        total += r->groups[i].n;
    const char **ids = app__need(calloc(total + 1, sizeof(*ids)));
    pr->manual = app__need(calloc(total + 1, sizeof(*pr->manual)));
    size_t n = 0;
    int32_t g = 0; /* groups left empty by edits are dropped */
    for (size_t i = 0; i < r->ngroups; i++) {
        for (size_t j = 0; j < r->groups[i].n; j++) {
            pr->manual[n] = g;
            ids[n++] = r->groups[i].members[j];
        }
        g += r->groups[i].n > 0;
    }
    for (size_t i = 0; i < r->nunassigned; i++) {
        pr->manual[n] = -1;
        ids[n++] = r->unassigned[i].a;
    }
    app__people_fetch(ss, ids, n, fetched_cb, pr);
    free(ids);
}

void app__handle_round_move(conn *c, proto_msg *msg)
{
    if (!manager(c, msg->ref) || !in_state(c, ROUND_PLANNED, msg->ref))
        return;
    plan_req *pr = plan_req_new(c, msg, OP_MOVE);
    snprintf(pr->a, sizeof(pr->a), "%s", msg->u.round_move.user);
    pr->group = msg->u.round_move.group;
    edit(c, pr);
}

void app__handle_round_swap(conn *c, proto_msg *msg)
{
    if (!manager(c, msg->ref) || !in_state(c, ROUND_PLANNED, msg->ref))
        return;
    plan_req *pr = plan_req_new(c, msg, OP_SWAP);
    snprintf(pr->a, sizeof(pr->a), "%s", msg->u.round_swap.a);
    snprintf(pr->b, sizeof(pr->b), "%s", msg->u.round_swap.b);
    edit(c, pr);
}

/* ---- the open round ---- */

void app__handle_round_open(conn *c, proto_msg *msg)
{
    if (!manager(c, msg->ref) || !in_state(c, ROUND_PLANNED, msg->ref))
        return;
    breakout_round *r = app__round(c->sess);
    size_t people = 0;
    for (size_t i = 0; i < r->ngroups; i++)
        people += r->groups[i].n;
    if (people == 0) {
        app__send_error(c, PROTO_ERR_BAD_VALUE,
                        "the plan has nobody in a group", msg->ref, NULL);
        return;
    }
    if (app__round_item(c->sess) != NULL &&
        app__round_item_left(c->sess, app__wall_ms()) < PROTO_ROUND_MIN_MS) {
        app__send_error(c, PROTO_ERR_BAD_STATE,
                        "the round's agenda item has no time left; extend it",
                        msg->ref, NULL);
        return;
    }
    app__round_open(c->sess, c, msg->ref);
}

void app__handle_round_extend(conn *c, proto_msg *msg)
{
    if (!manager(c, msg->ref) || !in_state(c, ROUND_OPEN, msg->ref))
        return;
    breakout_round *r = app__round(c->sess);
    if (app__round_item(c->sess) != NULL) {
        /* The round ends with its item: the item gets the time. */
        char buf[80], why[160];
        int n = snprintf(buf, sizeof(buf),
                         "{\"type\":\"agenda\",\"op\":\"extend\",\"ms\":%lld}",
                         (long long)msg->u.round_extend.ms);
        proto_error e =
            app__round_agenda_op(c->sess, c, buf, (size_t)n, why, sizeof(why));
        if (e != PROTO_OK) {
            app__send_error(c, e, why[0] ? why : NULL, msg->ref, NULL);
            return;
        }
        if (!app__round_follow(c->sess, c, msg->ref))
            app__round_send(c->sess, c, msg->ref);
        return;
    }
    r->deadline_ms += msg->u.round_extend.ms;
    if (r->deadline_ms - app__wall_ms() > ROUND_WARN_MS)
        r->warned = 0;
    app__round_arm(c->sess);
    app__round_changed(c->sess, c, msg->ref, 1);
}

void app__handle_round_close(conn *c, proto_msg *msg)
{
    breakout_round *r = app__round(c->sess);
    if (!manager(c, msg->ref))
        return;
    if (r->state == ROUND_PLANNED) { /* a plan that never opened */
        app__round_clear(r);
        app__round_changed(c->sess, c, msg->ref, 0);
        return;
    }
    if (!in_state(c, ROUND_OPEN, msg->ref))
        return;
    uint32_t item = app__round_item(c->sess) ? r->item : 0;
    if (item != 0) {
        /* Closed early: the agenda moves on past its item, as `next`. The
         * agenda op is stored before the round's close, so a restart in
         * between closes the round for the agenda's sake. */
        char why[160];
        static const char next[] = "{\"type\":\"agenda\",\"op\":\"next\"}";
        r->item = 0;
        app__round_agenda_op(c->sess, c, next, sizeof(next) - 1, why,
                             sizeof(why));
    }
    app__round_close(c->sess, "coordinator", c, msg->ref);
    if (item != 0)
        app__round_agenda_changed(c->sess);
}

/* Takes user out of every group, visit and the unassigned list. */
static void unplace(breakout_round *r, const char *user)
{
    round_group *g;
    while ((g = app__round_group_of(r, user, NULL)) != NULL)
        app__round_group_remove(g, user);
    size_t k = 0;
    for (size_t i = 0; i < r->nvisits; i++)
        if (strcmp(r->visits[i].a, user) != 0)
            r->visits[k++] = r->visits[i];
    r->nvisits = k;
    k = 0;
    for (size_t i = 0; i < r->nunassigned; i++)
        if (strcmp(r->unassigned[i].a, user) != 0)
            r->unassigned[k++] = r->unassigned[i];
    r->nunassigned = k;
}

void app__handle_round_place(conn *c, proto_msg *msg)
{
    sess *ss = c->sess;
    const proto_round_place *p = &msg->u.round_place;
    if (!manager(c, msg->ref) || !in_state(c, ROUND_OPEN, msg->ref))
        return;
    breakout_round *r = app__round(ss);
    member *m = session_member(ss->s, p->user);
    round_group *g = app__round_group_by_room(r, p->room);
    if (m == NULL) {
        app__send_error(c, PROTO_ERR_UNKNOWN_MEMBER,
                        "nobody by that id is in the session", msg->ref, NULL);
        return;
    }
    if (g == NULL && strcmp(p->room, SESSION_MAIN_ROOM) != 0) {
        app__send_error(c, PROTO_ERR_UNKNOWN_ROOM,
                        "that room is not a breakout of the open round",
                        msg->ref, NULL);
        return;
    }
    unplace(r, p->user);
    app__round_person(r, p->user, m->info.name, m->info.country);
    if (g && perm_allows(m->info.role, ACTION_ROUND_JOIN)) {
        app__round_group_add(g, p->user);
    } else if (g) { /* staff placed in a breakout visit it */
        r->visits = app__need(
            realloc(r->visits, (r->nvisits + 1) * sizeof(*r->visits)));
        snprintf(r->visits[r->nvisits].a, sizeof(r->visits[0].a), "%s",
                 p->user);
        snprintf(r->visits[r->nvisits++].b, sizeof(r->visits[0].b), "%s",
                 p->room);
    } else if (perm_allows(m->info.role, ACTION_ROUND_JOIN)) {
        r->unassigned = app__need(
            realloc(r->unassigned, (r->nunassigned + 1) * sizeof(round_pair)));
        snprintf(r->unassigned[r->nunassigned].a, sizeof(r->unassigned[0].a),
                 "%s", p->user);
        snprintf(r->unassigned[r->nunassigned++].b, sizeof(r->unassigned[0].b),
                 "manual");
    }
    app__round_move(ss, m, p->room, "placed");
    app__round_record(ss);
    app__round_changed(ss, c, msg->ref, 1);
}

void app__handle_round_get(conn *c, proto_msg *msg)
{
    if (manager(c, msg->ref))
        app__round_send(c->sess, c, msg->ref);
}
