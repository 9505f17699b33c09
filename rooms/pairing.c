/* pairing.c: the breakout pairing engine's entry points (rooms/pairing.h):
 * checks a request, builds the planning context (languages as bitsets,
 * soft scores, earlier meetings), runs the manual, pair or group planner,
 * and applies coordinator edits to a plan. The planners live in
 * pairing_pairs.c and pairing_groups.c, the reasons in pairing_explain.c,
 * the history in pairing_history.c (rooms/pairing_int.h). Called by the
 * app layer's breakout handlers. Pure: see pairing.h for the scoring. */
#include "rooms/pairing_int.h"

#include <stdlib.h>
#include <string.h>

#define MET_CAP 1000

/* ---- languages ------------------------------------------------------- */

bool pairing__speaks(const profile *p, const char *lang)
{
    for (unsigned i = 0; i < p->n_languages; i++)
        if (strcmp(p->languages[i], lang) == 0)
            return true;
    return false;
}

bool pairing__cross_country(const profile *a, const profile *b)
{
    return a->country[0] && b->country[0] && strcmp(a->country, b->country);
}

const char *pairing__majority_language(const pairing_request *req,
                                       const pairing_group *G)
{
    const char *best = NULL;
    uint32_t bcount = 0;
    for (uint32_t i = 0; i < G->n_members; i++) {
        const profile *p = &req->people[G->members[i]];
        for (unsigned l = 0; l < p->n_languages; l++) {
            uint32_t cnt = 0;
            for (uint32_t j = 0; j < G->n_members; j++)
                cnt += pairing__speaks(&req->people[G->members[j]],
                                       p->languages[l]);
            if (cnt > bcount) {
                best = p->languages[l];
                bcount = cnt;
            }
        }
    }
    return best;
}

/* ---- scoring ---------------------------------------------------------- */

static uint64_t pair_mix(uint64_t seed, uint64_t ha, uint64_t hb)
{
    uint64_t lo = ha < hb ? ha : hb, hi = ha < hb ? hb : ha;
    return rng_mix(rng_mix(seed ^ lo) + hi);
}

/* The soft score s(i, j) of pairing.h, given the hashes of both ids. */
static int64_t soft_score(const pairing_request *req, int32_t i, int32_t j,
                          uint64_t mix, uint32_t met)
{
    const profile *a = &req->people[i], *b = &req->people[j];
    const pairing_weights *w = &req->weights;
    int64_t s = 0, c = 0;
    if (req->mode == PAIRING_MODE_RANDOM) {
        uint64_t range = (uint64_t)w->topic * PROFILE_TOPIC_COUNT;
        s += range ? (int64_t)(rng_mix(mix ^ 0x5bd1e995u) % range) : 0;
    } else {
        for (int t = 0; t < PROFILE_TOPIC_COUNT; t++) {
            unsigned ma = a->marks[t], mb = b->marks[t];
            if (req->mode == PAIRING_MODE_SHARED_INTEREST)
                c += ma && mb;
            else
                c += ((ma & PROFILE_MARK_NEED) && (mb & PROFILE_MARK_OFFER)) +
                     ((mb & PROFILE_MARK_NEED) && (ma & PROFILE_MARK_OFFER));
        }
        s += c * w->topic;
    }
    if (pairing__cross_country(a, b))
        s += w->cross_country;
    if (w->jitter > 0)
        s += (int64_t)(mix % (uint64_t)w->jitter);
    s -= (int64_t)w->repeat * (met < MET_CAP ? met : MET_CAP);
    return s;
}

int64_t pairing__score(const pairing_request *req, int32_t i, int32_t j,
                       uint32_t met)
{
    uint64_t mix = pair_mix(req->seed, pairing__hash_id(req->people[i].user_id),
                            pairing__hash_id(req->people[j].user_id));
    return soft_score(req, i, j, mix, met);
}

int64_t pairing_pair_score(const pairing_request *req, int32_t a, int32_t b)
{
    if (req == NULL || a < 0 || b < 0 || (size_t)a >= req->n_people ||
        (size_t)b >= req->n_people)
        return 0;
    return pairing__score(req, a, b,
                          pairing_history_met(req->history, &req->people[a],
                                              &req->people[b], NULL));
}

pairing_weights pairing_weights_default(void)
{
    return (pairing_weights){.topic = 100,
                             .cross_country = 150,
                             .repeat = 50,
                             .balance = 200,
                             .jitter = 10,
                             .strict_no_repeat = true};
}

static const char *const error_text[] = {
    [PAIRING_OK] = "ok",
    [PAIRING_ERR_INVALID] = "invalid pairing request",
    [PAIRING_ERR_PROFILE] = "invalid profile",
    [PAIRING_ERR_DUPLICATE] = "the same person twice",
    [PAIRING_ERR_TOO_MANY] = "too many people",
    [PAIRING_ERR_MANUAL] = "invalid manual assignment",
    [PAIRING_ERR_FULL] = "group is full",
    [PAIRING_ERR_NO_MEMORY] = "out of memory",
};

const char *pairing_strerror(pairing_error e)
{
    if ((unsigned)e >= sizeof(error_text) / sizeof(error_text[0]))
        return "unknown error";
    return error_text[e];
}

/* ---- planning context ------------------------------------------------- */

typedef struct key_ref {
    uint64_t key;
    const char *id;
} key_ref;

static int cmp_key_ref(const void *x, const void *y)
{
    const key_ref *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->id && b->id ? strcmp(a->id, b->id) : 0;
}

static uint64_t lang_key(const char *c)
{
    return ((uint64_t)(unsigned char)c[0] << 16) |
           ((uint64_t)(unsigned char)c[1] << 8) | (unsigned char)c[2];
}

/* Maps every language to a bit; returns -1 when out of memory. */
static int build_langs(pairing__ctx *c)
{
    const profile *pp = c->req->people;
    size_t total = 0, n_codes = 0;
    for (int32_t i = 0; i < c->n; i++)
        total += pp[i].n_languages;
    key_ref *codes = malloc((total + 1) * sizeof(*codes));
    if (codes == NULL)
        return -1;
    for (int32_t i = 0; i < c->n; i++)
        for (unsigned l = 0; l < pp[i].n_languages; l++)
            codes[n_codes++] = (key_ref){lang_key(pp[i].languages[l]), NULL};
    qsort(codes, n_codes, sizeof(*codes), cmp_key_ref);
    size_t u = 0;
    for (size_t i = 0; i < n_codes; i++)
        if (u == 0 || codes[u - 1].key != codes[i].key)
            codes[u++] = codes[i];
    c->words = u / 64 + 1;
    c->langs = calloc((size_t)(uint32_t)c->n * c->words + 1, sizeof(uint64_t));
    if (c->langs != NULL)
        for (int32_t i = 0; i < c->n; i++)
            for (unsigned l = 0; l < pp[i].n_languages; l++) {
                key_ref k = {lang_key(pp[i].languages[l]), NULL};
                key_ref *f = bsearch(&k, codes, u, sizeof(k), cmp_key_ref);
                size_t bit = (size_t)(f - codes);
                c->langs[i * c->words + bit / 64] |= 1ULL << (bit % 64);
            }
    free(codes);
    return c->langs ? 0 : -1;
}

static void ctx_free(pairing__ctx *c)
{
    free(c->langs);
    free(c->soft);
    free(c->met);
    free(c->partners);
}

static int build_scores(pairing__ctx *c)
{
    size_t n = (size_t)c->n;
    const pairing_request *req = c->req;
    int32_t *user = malloc((n + 1) * sizeof(*user));
    uint64_t *hash = malloc((n + 1) * sizeof(*hash));
    c->soft = malloc((n * n + 1) * sizeof(*c->soft));
    c->met = malloc((n * n + 1) * sizeof(*c->met));
    c->partners = calloc(n + 1, sizeof(*c->partners));
    int rc = -1;
    if (!user || !hash || !c->soft || !c->met || !c->partners)
        goto done;
    for (size_t i = 0; i < n; i++) {
        user[i] = pairing__find_user(req->history, req->people[i].user_id);
        hash[i] = pairing__hash_id(req->people[i].user_id);
    }
    for (size_t i = 0; i < n; i++) {
        c->soft[i * n + i] = 0;
        c->met[i * n + i] = 0;
        for (size_t j = i + 1; j < n; j++) {
            uint32_t met =
                user[i] < 0 || user[j] < 0
                    ? 0
                    : pairing__met_users(req->history, user[i], user[j]);
            int64_t s = soft_score(req, (int32_t)i, (int32_t)j,
                                   pair_mix(req->seed, hash[i], hash[j]), met);
            c->soft[i * n + j] = c->soft[j * n + i] = s;
            c->met[i * n + j] = c->met[j * n + i] = met;
            if (pairing__eligible(c, (int32_t)i, (int32_t)j)) {
                c->partners[i]++;
                c->partners[j]++;
            }
        }
    }
    rc = 0;
done:
    free(user);
    free(hash);
    return rc;
}

/* ---- plan storage ----------------------------------------------------- */

static pairing_plan *plan_new(const pairing_request *req)
{
    pairing_plan *pl = calloc(1, sizeof(*pl));
    if (pl == NULL)
        return NULL;
    size_t n = req->n_people;
    pl->mode = req->mode;
    pl->group_size = req->group_size;
    pl->n_people = n;
    pl->cap_groups = n + 1;
    pl->group_of = malloc((n + 1) * sizeof(*pl->group_of));
    pl->cause = calloc(n + 1, sizeof(*pl->cause));
    pl->groups = calloc(pl->cap_groups, sizeof(*pl->groups));
    if (!pl->group_of || !pl->cause || !pl->groups) {
        pairing_plan_free(pl);
        return NULL;
    }
    for (size_t i = 0; i < n; i++)
        pl->group_of[i] = -1;
    return pl;
}

void pairing_plan_free(pairing_plan *plan)
{
    if (plan == NULL)
        return;
    free(plan->group_of);
    free(plan->cause);
    free(plan->groups);
    free(plan->reasons);
    free(plan->warnings);
    free(plan);
}

int32_t pairing__open_group(pairing_plan *pl)
{
    if (pairing__reserve(&pl->groups, sizeof(*pl->groups), pl->n_groups,
                         &pl->cap_groups))
        return -1;
    memset(&pl->groups[pl->n_groups], 0, sizeof(pl->groups[0]));
    return (int32_t)pl->n_groups++;
}

void pairing__join(pairing_plan *pl, int32_t g, int32_t p)
{
    pairing_group *G = &pl->groups[g];
    G->members[G->n_members++] = p;
    pl->group_of[p] = g;
    pl->cause[p] = PAIRING_CAUSE_NONE;
}

void pairing__leave(pairing_plan *pl, int32_t p, pairing_cause cause)
{
    int32_t g = pl->group_of[p];
    pl->group_of[p] = -1;
    pl->cause[p] = cause;
    if (g < 0)
        return;
    pairing_group *G = &pl->groups[g];
    uint32_t k = 0;
    for (uint32_t i = 0; i < G->n_members; i++)
        if (G->members[i] != p)
            G->members[k++] = G->members[i];
    G->n_members = k;
}

/* Removes empty groups, keeping the order of the others. */
void pairing__compact_groups(pairing_plan *pl)
{
    size_t k = 0;
    for (size_t g = 0; g < pl->n_groups; g++) {
        if (pl->groups[g].n_members == 0)
            continue;
        pl->groups[k] = pl->groups[g];
        for (uint32_t i = 0; i < pl->groups[k].n_members; i++)
            pl->group_of[pl->groups[k].members[i]] = (int32_t)k;
        k++;
    }
    pl->n_groups = k;
}

/* ---- requests, manual plans and edits --------------------------------- */

static pairing_error check_people(const pairing_request *req)
{
    size_t n = req->n_people;
    for (size_t i = 0; i < n; i++)
        if (profile_validate(&req->people[i]) != PROFILE_OK)
            return PAIRING_ERR_PROFILE;
    key_ref *ids = malloc((n + 1) * sizeof(*ids));
    if (ids == NULL)
        return PAIRING_ERR_NO_MEMORY;
    for (size_t i = 0; i < n; i++)
        ids[i] = (key_ref){pairing__hash_id(req->people[i].user_id),
                           req->people[i].user_id};
    qsort(ids, n, sizeof(*ids), cmp_key_ref);
    pairing_error e = PAIRING_OK;
    for (size_t i = 1; i < n && e == PAIRING_OK; i++)
        if (cmp_key_ref(&ids[i - 1], &ids[i]) == 0)
            e = PAIRING_ERR_DUPLICATE;
    free(ids);
    return e;
}

static pairing_error check_request(const pairing_request *req)
{
    if (req == NULL || (req->n_people > 0 && req->people == NULL))
        return PAIRING_ERR_INVALID;
    if (req->n_people > PAIRING_MAX_PEOPLE)
        return PAIRING_ERR_TOO_MANY;
    const pairing_weights *w = &req->weights;
    int32_t ws[] = {w->topic, w->cross_country, w->repeat, w->balance,
                    w->jitter};
    for (size_t i = 0; i < sizeof(ws) / sizeof(ws[0]); i++)
        if (ws[i] < 0 || ws[i] > PAIRING_WEIGHT_MAX)
            return PAIRING_ERR_INVALID;
    if (req->group_size < 2 || req->group_size > 4 ||
        (unsigned)req->mode > PAIRING_MODE_MANUAL ||
        (unsigned)req->unplaced > PAIRING_UNPLACED_LEAVE_OUT ||
        (req->mode == PAIRING_MODE_MANUAL && req->n_people > 0 &&
         req->manual == NULL))
        return PAIRING_ERR_INVALID;
    return check_people(req);
}

static pairing_error plan_manual(const pairing_request *req, pairing_plan *pl)
{
    int32_t n = (int32_t)req->n_people, max = -1;
    for (int32_t i = 0; i < n; i++) {
        if (req->manual[i] < -1 || req->manual[i] >= n)
            return PAIRING_ERR_MANUAL;
        max = req->manual[i] > max ? req->manual[i] : max;
    }
    for (int32_t g = 0; g <= max; g++)
        if (pairing__open_group(pl) < 0)
            return PAIRING_ERR_NO_MEMORY;
    for (int32_t i = 0; i < n; i++) {
        int32_t g = req->manual[i];
        if (g >= 0 && pl->groups[g].n_members >= PAIRING_GROUP_MAX)
            return PAIRING_ERR_MANUAL;
        if (g >= 0)
            pairing__join(pl, g, i);
        else
            pl->cause[i] = PAIRING_CAUSE_MANUAL;
    }
    return PAIRING_OK;
}

static pairing_error plan_auto(const pairing_request *req, pairing_plan *pl)
{
    pairing__ctx c = {.req = req, .n = (int32_t)req->n_people};
    pairing_error e = PAIRING_ERR_NO_MEMORY;
    rng r;
    rng_seed(&r, req->seed);
    if (build_langs(&c) || build_scores(&c))
        goto done;
    if ((req->group_size == 2 ? pairing__plan_pairs(&c, pl)
                              : pairing__plan_groups(&c, pl, &r)) == 0)
        e = PAIRING_OK;
done:
    ctx_free(&c);
    return e;
}

pairing_error pairing_plan_make(const pairing_request *req, pairing_plan **out)
{
    if (out == NULL)
        return PAIRING_ERR_INVALID;
    *out = NULL;
    pairing_error e = check_request(req);
    if (e != PAIRING_OK)
        return e;
    pairing_plan *pl = plan_new(req);
    if (pl == NULL)
        return PAIRING_ERR_NO_MEMORY;
    if (req->mode == PAIRING_MODE_MANUAL)
        e = plan_manual(req, pl);
    else if (req->n_people < 2)
        for (size_t i = 0; i < req->n_people; i++)
            pl->cause[i] = PAIRING_CAUSE_ALONE;
    else
        e = plan_auto(req, pl);
    if (e == PAIRING_OK)
        e = pairing_plan_explain(pl, req);
    if (e != PAIRING_OK) {
        pairing_plan_free(pl);
        return e;
    }
    *out = pl;
    return PAIRING_OK;
}

static bool person_ok(const pairing_plan *plan, const pairing_request *req,
                      int32_t p)
{
    return plan != NULL && req != NULL && req->n_people == plan->n_people &&
           p >= 0 && (size_t)p < plan->n_people;
}

pairing_error pairing_plan_move(pairing_plan *plan, const pairing_request *req,
                                int32_t person, int32_t group)
{
    if (!person_ok(plan, req, person) || group < -1 ||
        (group >= 0 && (size_t)group > plan->n_groups))
        return PAIRING_ERR_INVALID;
    if (group >= 0 && group != plan->group_of[person] &&
        (size_t)group < plan->n_groups &&
        plan->groups[group].n_members >= PAIRING_GROUP_MAX)
        return PAIRING_ERR_FULL;
    if ((size_t)group == plan->n_groups && pairing__open_group(plan) < 0)
        return PAIRING_ERR_NO_MEMORY;
    if (group != plan->group_of[person]) {
        pairing__leave(plan, person, PAIRING_CAUSE_MANUAL);
        if (group >= 0)
            pairing__join(plan, group, person);
    }
    return pairing_plan_explain(plan, req);
}

pairing_error pairing_plan_swap(pairing_plan *plan, const pairing_request *req,
                                int32_t a, int32_t b)
{
    if (!person_ok(plan, req, a) || !person_ok(plan, req, b))
        return PAIRING_ERR_INVALID;
    int32_t ga = plan->group_of[a], gb = plan->group_of[b];
    if (ga != gb) {
        pairing_cause ca = plan->cause[a], cb = plan->cause[b];
        pairing__leave(plan, a,
                       cb == PAIRING_CAUSE_NONE ? PAIRING_CAUSE_MANUAL : cb);
        pairing__leave(plan, b,
                       ca == PAIRING_CAUSE_NONE ? PAIRING_CAUSE_MANUAL : ca);
        if (gb >= 0)
            pairing__join(plan, gb, a);
        if (ga >= 0)
            pairing__join(plan, ga, b);
    }
    return pairing_plan_explain(plan, req);
}
