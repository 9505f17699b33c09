/* handle_profile: self-assessment profiles (profile_save, profile_get,
 * profile_list) and the people a breakout plan or the coverage view needs:
 * everyone's latest profile plus the network's pair history, read from
 * Redis (store/breakout_store.c) and turned into rooms/ profiles. Profiles
 * belong to the network (app_config.network), not to a session. */
#include "server/app/round.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const topic_labels[PROFILE_TOPIC_COUNT] = {
    "financing",
    "impact investment readiness",
    "public-sector partnerships and procurement",
    "corporate partnerships",
    "visibility and marketing",
    "impact measurement",
    "team and capacity building",
    "legal and governance",
    "digital tools",
    "new markets",
};

const char *app__topic_label(int topic)
{
    return topic >= 0 && topic < PROFILE_TOPIC_COUNT ? topic_labels[topic]
                                                     : "a topic";
}

/* ---- stored versions <-> rooms profiles ---- */

/* Calls fn for each comma-separated piece of s. */
static void each_piece(const char *s,
                       void (*fn)(profile *, const char *, size_t), profile *p)
{
    while (s && *s) {
        const char *comma = strchr(s, ',');
        size_t n = comma ? (size_t)(comma - s) : strlen(s);
        fn(p, s, n);
        s = comma ? comma + 1 : NULL;
    }
}

static void add_lang(profile *p, const char *s, size_t n)
{
    profile_add_language(p, s, n);
}

static void add_mark(profile *p, const char *s, size_t n)
{
    const char *eq = memchr(s, '=', n);
    profile_topic t;
    profile_mark m;
    if (eq && profile_topic_from_key(s, (size_t)(eq - s), &t) &&
        profile_mark_from_key(eq + 1, n - (size_t)(eq + 1 - s), &m))
        profile_set_mark(p, t, m);
}

/* Fills p from a stored version of user's profile; fields that fail the
 * domain's checks are left empty. Returns 0, or -1 for a bad user id. */
static int from_store(const char *user, const breakout_store_version *v,
                      profile *p)
{
    profile_stage st;
    profile_init(p);
    if (profile_set_user_id(p, user, strlen(user)) != PROFILE_OK)
        return -1;
    profile_set_name(p, v->name, strlen(v->name));
    profile_set_country(p, v->country, strlen(v->country));
    each_piece(v->langs, add_lang, p);
    each_piece(v->marks, add_mark, p);
    profile_set_text(p, v->text, v->text_len);
    if (profile_stage_from_key(v->stage, strlen(v->stage), &st))
        p->stage = st;
    p->updated_at_ms = v->at_ms >= 0 ? v->at_ms : 0;
    return 0;
}

/* "lv,en" and "financing=need,..." of p, in buffers of the given size. */
static void to_store(const profile *p, char *langs, size_t lsize, char *marks,
                     size_t msize)
{
    size_t k = 0;
    langs[0] = marks[0] = '\0';
    for (int i = 0; i < p->n_languages; i++)
        k += (size_t)snprintf(langs + k, lsize - k, "%s%s", i ? "," : "",
                              p->languages[i]);
    k = 0;
    for (int t = 0; t < PROFILE_TOPIC_COUNT; t++)
        if (p->marks[t] != PROFILE_MARK_NONE)
            k += (size_t)snprintf(marks + k, msize - k, "%s%s=%s", k ? "," : "",
                                  profile_topic_key(t),
                                  profile_mark_key(p->marks[t]));
}

/* The latest version of a stored profile (by time), or NULL. */
static const breakout_store_version *latest(const breakout_store_profile *sp)
{
    const breakout_store_version *best = NULL;
    for (size_t i = 0; i < sp->nversions; i++)
        if (best == NULL || sp->versions[i].at_ms >= best->at_ms)
            best = &sp->versions[i];
    return best;
}

/* A profile from what the session knows of user (the token's name,
 * country and languages), for people without a stored one. */
static void from_member(sess *ss, const char *user, profile *p)
{
    member *m = session_member(ss->s, user);
    profile_init(p);
    profile_set_user_id(p, user, strlen(user));
    if (m == NULL)
        return;
    profile_set_name(p, m->info.name, strlen(m->info.name));
    profile_set_country(p, m->info.country, strlen(m->info.country));
    for (int i = 0; i < m->info.nlangs; i++)
        profile_add_language(p, m->info.langs[i], strlen(m->info.langs[i]));
}

/* A stored profile's missing name, country and languages come from the
 * session member (the token). */
static void fill_from_member(sess *ss, profile *p)
{
    profile tok;
    from_member(ss, p->user_id, &tok);
    if (!p->name[0])
        memcpy(p->name, tok.name, sizeof(p->name));
    if (!p->country[0])
        memcpy(p->country, tok.country, sizeof(p->country));
    if (p->n_languages == 0) {
        memcpy(p->languages, tok.languages, sizeof(p->languages));
        p->n_languages = tok.n_languages;
    }
}

/* ---- the people of a plan ---- */

typedef struct people_req {
    sess *ss;
    char (*ids)[SESSION_ID_MAX + 1];
    size_t n;
    int all;
    app_people_cb cb;
    void *data;
} people_req;

static int cmp_meetings(const void *x, const void *y)
{
    const breakout_store_meetings *a = x, *b = y;
    if (a->at_ms != b->at_ms)
        return a->at_ms < b->at_ms ? -1 : 1;
    int c = strcmp(a->session, b->session);
    return c ? c : (a->round > b->round) - (a->round < b->round);
}

static pairing_history *build_history(breakout_store_meetings *m, size_t nm)
{
    pairing_history *h = app__need(pairing_history_new());
    qsort(m, nm, sizeof(*m), cmp_meetings);
    for (size_t r = 0; r < nm; r++)
        for (size_t g = 0; g < m[r].ngroups; g++) {
            const breakout_store_group *G = &m[r].groups[g];
            for (size_t i = 0; i < G->n; i++)
                for (size_t j = i + 1; j < G->n; j++) {
                    profile a, b;
                    profile_init(&a);
                    profile_init(&b);
                    if (profile_set_user_id(&a, G->members[i].id,
                                            strlen(G->members[i].id)) ||
                        profile_set_user_id(&b, G->members[j].id,
                                            strlen(G->members[j].id)) ||
                        !strcmp(a.user_id, b.user_id))
                        continue;
                    profile_set_country(&a, G->members[i].country,
                                        strlen(G->members[i].country));
                    profile_set_country(&b, G->members[j].country,
                                        strlen(G->members[j].country));
                    if (pairing_history_add(h, &a, &b, (int32_t)r + 1,
                                            m[r].at_ms) ==
                        PAIRING_ERR_NO_MEMORY)
                        abort();
                }
        }
    return h;
}

static void people_cb(const breakout_store_profile *sp, size_t np,
                      const breakout_store_meetings *m, size_t nm,
                      const char *err, void *data)
{
    people_req *pr = data;
    if (err) {
        pr->cb(pr->ss, NULL, 0, NULL, 0, err, pr->data);
        free(pr->ids);
        free(pr);
        return;
    }
    size_t n = pr->all ? np : pr->n;
    profile *people = app__need(calloc(n + 1, sizeof(*people)));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *id = pr->all ? sp[i].user : pr->ids[i];
        const breakout_store_profile *found = NULL;
        for (size_t j = 0; j < np && !found; j++)
            if (!strcmp(sp[j].user, id))
                found = &sp[j];
        const breakout_store_version *v = found ? latest(found) : NULL;
        if (v && from_store(id, v, &people[k]) == 0)
            fill_from_member(pr->ss, &people[k]);
        else
            from_member(pr->ss, id, &people[k]);
        if (people[k].user_id[0])
            k++;
    }
    breakout_store_meetings *copy = app__need(calloc(nm + 1, sizeof(*copy)));
    memcpy(copy, m, nm * sizeof(*copy));
    pairing_history *h = build_history(copy, nm);
    free(copy);
    pr->cb(pr->ss, people, k, h, (int64_t)nm, NULL, pr->data);
    free(pr->ids);
    free(pr);
}

void app__people_fetch(sess *ss, const char *const *ids, size_t n,
                       app_people_cb cb, void *data)
{
    people_req *pr = app__need(calloc(1, sizeof(*pr)));
    *pr = (people_req){ss, NULL, n, ids == NULL, cb, data};
    pr->ids = app__need(calloc(n + 1, sizeof(*pr->ids)));
    for (size_t i = 0; ids && i < n; i++)
        snprintf(pr->ids[i], sizeof(pr->ids[i]), "%s", ids[i]);
    if (breakout_store_profiles(ss->app->store, app__network(ss->app), ids,
                                ids ? n : 0, 1, people_cb, pr) != 0)
        people_cb(NULL, 0, NULL, 0, "storage client closing", pr);
}

/* ---- replies ---- */

/* What one proto_profile_version borrows. */
typedef struct version_view {
    profile p;
    const char *langs[PROFILE_LANGS_MAX];
    const char *topics[PROFILE_TOPIC_COUNT];
    const char *marks[PROFILE_TOPIC_COUNT];
} version_view;

static proto_profile_version view(version_view *vv)
{
    const profile *p = &vv->p;
    for (int i = 0; i < p->n_languages; i++)
        vv->langs[i] = p->languages[i];
    for (int t = 0; t < PROFILE_TOPIC_COUNT; t++) {
        vv->topics[t] = profile_topic_key(t);
        vv->marks[t] = profile_mark_key(p->marks[t]);
    }
    return (proto_profile_version){profile_stage_key(p->stage),
                                   p->country,
                                   vv->langs,
                                   p->n_languages,
                                   vv->topics,
                                   vv->marks,
                                   PROFILE_TOPIC_COUNT,
                                   p->text,
                                   strlen(p->text),
                                   p->updated_at_ms};
}

typedef struct reply_req {
    conn *c;
    char ref[PROTO_MAX_ID + 1];
    char user[SESSION_ID_MAX + 1]; /* "" for profile_list */
} reply_req;

/* Fills out (and its views) from a stored profile; the name comes from
 * the latest version or the session member. */
static void one_profile(sess *ss, const char *user,
                        const breakout_store_profile *sp, version_view *vv,
                        proto_profile_version *pv, proto_profile *out)
{
    size_t n = 0;
    const char *name = user;
    member *m = session_member(ss->s, user);
    if (m && m->info.name[0])
        name = m->info.name;
    for (size_t i = 0; sp && i < sp->nversions; i++)
        if (from_store(user, &sp->versions[i], &vv[n].p) == 0) {
            pv[n] = view(&vv[n]);
            if (vv[n].p.name[0])
                name = vv[n].p.name;
            n++;
        }
    *out = (proto_profile){{user, name, n ? vv[n - 1].p.country : NULL}, pv, n};
    if (n == 0 && m)
        out->user.country = m->info.country;
}

static void reply_cb(const breakout_store_profile *sp, size_t np,
                     const breakout_store_meetings *m, size_t nm,
                     const char *err, void *data)
{
    reply_req *rr = data;
    conn *c = rr->c;
    if (c->state != CONN_JOINED) {
        /* gone meanwhile */
    } else if (err) {
        app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                        "profiles are in storage, which is unreachable",
                        rr->ref, NULL);
    } else {
        size_t n = rr->user[0] ? 1 : np, len;
        version_view *vv =
            app__need(calloc(n * BREAKOUT_STORE_STAGES + 1, sizeof(*vv)));
        proto_profile_version *pv =
            app__need(calloc(n * BREAKOUT_STORE_STAGES + 1, sizeof(*pv)));
        proto_profile *out = app__need(calloc(n + 1, sizeof(*out)));
        for (size_t i = 0; i < n; i++) {
            const char *user = rr->user[0] ? rr->user : sp[i].user;
            one_profile(c->sess, user, np ? &sp[rr->user[0] ? 0 : i] : NULL,
                        vv + i * BREAKOUT_STORE_STAGES,
                        pv + i * BREAKOUT_STORE_STAGES, &out[i]);
        }
        char *buf = rr->user[0] ? proto_encode_profile(out, rr->ref, &len)
                                : proto_encode_profiles(out, n, rr->ref, &len);
        app__send_buf(c, buf, len);
        free(vv);
        free(pv);
        free(out);
    }
    (void)m;
    (void)nm;
    app__conn_unref(c);
    free(rr);
}

/* Reads user's profile (every profile when user is "") and answers c. */
static void reply_profiles(conn *c, const char *ref, const char *user)
{
    reply_req *rr = app__need(calloc(1, sizeof(*rr)));
    rr->c = app__conn_ref(c);
    snprintf(rr->ref, sizeof(rr->ref), "%s", ref);
    snprintf(rr->user, sizeof(rr->user), "%s", user);
    const char *users[1] = {user};
    if (breakout_store_profiles(c->app->store, app__network(c->app),
                                user[0] ? users : NULL, user[0] ? 1 : 0, 0,
                                reply_cb, rr) != 0)
        reply_cb(NULL, 0, NULL, 0, "storage client closing", rr);
}

/* ---- handlers ---- */

static proto_error build(conn *c, const proto_profile_save *ps, profile *p,
                         const char **why)
{
    const member_info *me = &c->info;
    profile_init(p);
    *why = "your user id cannot hold a profile";
    if (profile_set_user_id(p, me->id, strlen(me->id)) != PROFILE_OK)
        return PROTO_ERR_BAD_VALUE;
    profile_set_name(p, me->name, strlen(me->name));
    const char *cc = ps->country[0] ? ps->country : me->country;
    profile_set_country(p, cc, strlen(cc));
    for (int i = 0; ps->has_langs && i < ps->nlangs; i++)
        profile_add_language(p, ps->langs[i], strlen(ps->langs[i]));
    for (int i = 0; !ps->has_langs && i < me->nlangs; i++)
        profile_add_language(p, me->langs[i], strlen(me->langs[i]));
    for (int i = 0; i < ps->nmarks; i++) {
        profile_topic t;
        *why = "marks names a topic that is not in the taxonomy";
        if (!profile_topic_from_key(ps->marks[i].topic,
                                    strlen(ps->marks[i].topic), &t))
            return PROTO_ERR_BAD_VALUE;
        profile_set_mark(p, t, (profile_mark)ps->marks[i].mark);
    }
    *why = "text may not hold control characters";
    if (profile_set_text(p, ps->text, ps->text_len) != PROFILE_OK)
        return PROTO_ERR_BAD_VALUE;
    p->stage = (profile_stage)ps->stage;
    p->updated_at_ms = app__wall_ms();
    return PROTO_OK;
}

static void saved_cb(const char *err, void *data)
{
    reply_req *rr = data;
    conn *c = rr->c;
    if (err && c->state == CONN_JOINED)
        app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                        "the profile could not be stored", rr->ref, NULL);
    else if (!err && c->state == CONN_JOINED)
        reply_profiles(c, rr->ref, rr->user);
    app__conn_unref(c);
    free(rr);
}

void app__handle_profile_save(conn *c, proto_msg *msg)
{
    const char *why;
    profile p;
    if (!perm_allows(c->info.role, ACTION_PROFILE_EDIT)) {
        app__send_error(c, PROTO_ERR_FORBIDDEN,
                        "only entrepreneurs fill in a self-assessment",
                        msg->ref, NULL);
        return;
    }
    proto_error e = build(c, &msg->u.profile_save, &p, &why);
    if (e != PROTO_OK) {
        app__send_error(c, e, why, msg->ref, NULL);
        return;
    }
    char langs[PROFILE_LANGS_MAX * 4 + 1];
    char marks[PROFILE_TOPIC_COUNT * 40 + 1];
    to_store(&p, langs, sizeof(langs), marks, sizeof(marks));
    breakout_store_version v = {profile_stage_key(p.stage),
                                p.name,
                                p.country,
                                langs,
                                marks,
                                p.text,
                                strlen(p.text),
                                p.updated_at_ms};
    app__round_profile_saved(c->sess, &p); /* for placing late joiners */
    reply_req *rr = app__need(calloc(1, sizeof(*rr)));
    rr->c = app__conn_ref(c);
    snprintf(rr->ref, sizeof(rr->ref), "%s", msg->ref);
    snprintf(rr->user, sizeof(rr->user), "%s", c->info.id);
    if (breakout_store_profile_save(c->app->store, app__network(c->app),
                                    c->info.id, &v, saved_cb, rr) != 0)
        saved_cb("queue full", rr);
}

void app__handle_profile_get(conn *c, proto_msg *msg)
{
    const char *user = msg->u.profile_get.user;
    if (user[0] == '\0')
        user = c->info.id;
    if (strcmp(user, c->info.id) != 0 &&
        !perm_allows(c->info.role, ACTION_PROFILE_READ_ALL)) {
        app__send_error(c, PROTO_ERR_FORBIDDEN,
                        "you may read only your own profile", msg->ref, NULL);
        return;
    }
    reply_profiles(c, msg->ref, user);
}

void app__handle_profile_list(conn *c, proto_msg *msg)
{
    if (!perm_allows(c->info.role, ACTION_PROFILE_READ_ALL)) {
        app__send_error(c, PROTO_ERR_FORBIDDEN,
                        "only coordinators see every profile", msg->ref, NULL);
        return;
    }
    reply_profiles(c, msg->ref, "");
}

/* ---- coverage: who met whom ---- */

typedef struct cov_req {
    conn *c;
    char ref[PROTO_MAX_ID + 1];
    int csv;
} cov_req;

static int cmp_people(const void *x, const void *y)
{
    const profile *a = x, *b = y;
    int c = strcmp(a->country, b->country);
    if (c == 0)
        c = strcmp(a->name, b->name);
    return c ? c : strcmp(a->user_id, b->user_id);
}

/* Adds the people of the history that have no profile. */
static profile *with_history_people(sess *ss, profile *people, size_t *n,
                                    const pairing_history *h)
{
    size_t hn = pairing_history_size(h);
    people = app__need(realloc(people, (*n + 2 * hn + 1) * sizeof(*people)));
    for (size_t i = 0; i < hn; i++) {
        pairing_meeting mt;
        pairing_history_at(h, i, &mt);
        const char *ids[2] = {mt.a, mt.b};
        const char *cc[2] = {mt.country_a, mt.country_b};
        for (int k = 0; k < 2; k++) {
            size_t j = 0;
            while (j < *n && strcmp(people[j].user_id, ids[k]) != 0)
                j++;
            if (j < *n)
                continue;
            from_member(ss, ids[k], &people[*n]);
            if (!people[*n].country[0])
                profile_set_country(&people[*n], cc[k], strlen(cc[k]));
            (*n)++;
        }
    }
    return people;
}

/* The matrix as CSV: a header of ids, then one row per person. */
static char *coverage_csv(const profile *people, size_t n,
                          const uint32_t *matrix, size_t *len)
{
    size_t cap = 64 + n * (3 * PROFILE_NAME_MAX + 80 + 11 * n), k = 0;
    char *out = app__need(malloc(cap));
    k += (size_t)snprintf(out + k, cap - k, "id,name,country");
    for (size_t j = 0; j < n; j++)
        k += (size_t)snprintf(out + k, cap - k, ",%s", people[j].user_id);
    out[k++] = '\n';
    for (size_t i = 0; i < n; i++) {
        k += (size_t)snprintf(out + k, cap - k, "%s,\"", people[i].user_id);
        for (const char *s = people[i].name; *s; s++) {
            if (*s == '"')
                out[k++] = '"';
            out[k++] = *s;
        }
        k += (size_t)snprintf(out + k, cap - k, "\",%s", people[i].country);
        for (size_t j = 0; j < n; j++)
            k += (size_t)snprintf(out + k, cap - k, ",%u", matrix[i * n + j]);
        out[k++] = '\n';
    }
    out[k] = '\0';
    *len = k;
    return out;
}

static void coverage_cb(sess *ss, profile *people, size_t n, pairing_history *h,
                        int64_t rounds, const char *err, void *data)
{
    cov_req *cr = data;
    conn *c = cr->c;
    if (c->state == CONN_JOINED && err) {
        app__send_error(c, PROTO_ERR_STORE_UNAVAILABLE,
                        "the pair history is in storage, which is "
                        "unreachable",
                        cr->ref, NULL);
    } else if (c->state == CONN_JOINED) {
        people = with_history_people(ss, people, &n, h);
        qsort(people, n, sizeof(*people), cmp_people);
        uint32_t *matrix = app__need(calloc(n * n + 1, sizeof(*matrix)));
        pairing_history_matrix(h, people, n, matrix);
        pairing_share sh = pairing_history_share(h);
        proto_person *persons = app__need(calloc(n + 1, sizeof(*persons)));
        for (size_t i = 0; i < n; i++)
            persons[i] = (proto_person){people[i].user_id,
                                        people[i].name[0] ? people[i].name
                                                          : people[i].user_id,
                                        people[i].country};
        size_t csv_len = 0, len;
        char *csv = cr->csv ? coverage_csv(people, n, matrix, &csv_len) : NULL;
        proto_coverage cv = {persons,
                             n,
                             matrix,
                             rounds,
                             sh.pairs,
                             sh.cross_pairs,
                             sh.unknown_pairs,
                             sh.meetings,
                             sh.cross_meetings,
                             csv,
                             csv_len};
        char *buf = proto_encode_coverage(&cv, cr->ref, &len);
        app__send_buf(c, buf, len);
        free(csv);
        free(persons);
        free(matrix);
    }
    free(people);
    pairing_history_free(h);
    app__conn_unref(c);
    free(cr);
}

void app__handle_coverage(conn *c, proto_msg *msg)
{
    if (!perm_allows(c->info.role, ACTION_COVERAGE_READ)) {
        app__send_error(c, PROTO_ERR_FORBIDDEN,
                        "only coordinators see who met whom", msg->ref, NULL);
        return;
    }
    cov_req *cr = app__need(calloc(1, sizeof(*cr)));
    cr->c = app__conn_ref(c);
    cr->csv = msg->u.coverage.csv;
    snprintf(cr->ref, sizeof(cr->ref), "%s", msg->ref);
    app__people_fetch(c->sess, NULL, 0, coverage_cb, cr);
}
