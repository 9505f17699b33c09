/* pairing: plans breakout pairs and groups from profiles and the pair
 * history (optimal pairs through rooms/matching.c, groups by greedy fill
 * and local search), explains every group with structured reasons, applies
 * coordinator edits, and keeps the history of who met whom. Called by the
 * app layer's breakout handlers. Pure: see pairing.h for the scoring. */
#include "rooms/pairing.h"

#include "rooms/matching.h"
#include "rooms/rng.h"

#include <stdlib.h>
#include <string.h>

#define MET_CAP 1000
#define DEFAULT_PASSES 50

/* ---- small helpers ---------------------------------------------------- */

/* Grows the array *(T **)arrp to hold need items of size bytes. */
static int reserve(void *arrp, size_t *cap, size_t need, size_t size)
{
    void *old, *p;
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    memcpy(&old, arrp, sizeof(old));
    p = realloc(old, n * size);
    if (p == NULL)
        return -1;
    memcpy(arrp, &p, sizeof(p));
    *cap = n;
    return 0;
}

static uint64_t hash_id(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static bool id_ok(const profile *p)
{
    return p->user_id[0] != '\0' &&
           memchr(p->user_id, '\0', sizeof(p->user_id)) != NULL;
}

static bool speaks(const profile *p, const char *lang)
{
    for (unsigned i = 0; i < p->n_languages; i++)
        if (strcmp(p->languages[i], lang) == 0)
            return true;
    return false;
}

static bool cross_country(const profile *a, const profile *b)
{
    return a->country[0] && b->country[0] && strcmp(a->country, b->country);
}

/* ---- history ---------------------------------------------------------- */

typedef struct hist_user {
    char id[PROFILE_ID_MAX + 1];
    char country[3];
} hist_user;

typedef struct hist_pair {
    int32_t a, b; /* user indices, a < b */
    uint32_t count;
    int32_t first_round, last_round;
    int64_t last_at_ms;
} hist_pair;

struct pairing_history {
    hist_user *users;
    size_t n_users, cap_users;
    hist_pair *pairs;
    size_t n_pairs, cap_pairs;
    int32_t *uslots, *pslots;  /* open addressing tables, -1 = empty */
    size_t n_uslots, n_pslots; /* powers of two */
};

typedef uint64_t (*key_fn)(const pairing_history *h, size_t i);

static uint64_t user_key(const pairing_history *h, size_t i)
{
    return hash_id(h->users[i].id);
}

static uint64_t pair_hash(int32_t a, int32_t b)
{
    return rng_mix(((uint64_t)(uint32_t)a << 32) | (uint32_t)b);
}

static uint64_t pair_key(const pairing_history *h, size_t i)
{
    return pair_hash(h->pairs[i].a, h->pairs[i].b);
}

/* Makes room in a slot table for count + 1 keys (load at most 1/2). */
static int grow_slots(const pairing_history *h, int32_t **slots, size_t *nslots,
                      size_t count, key_fn key)
{
    if ((count + 1) * 2 <= *nslots)
        return 0;
    size_t n = *nslots ? *nslots * 2 : 64;
    int32_t *s = malloc(n * sizeof(*s));
    if (s == NULL)
        return -1;
    memset(s, 0xff, n * sizeof(*s));
    for (size_t i = 0; i < count; i++) {
        size_t j = key(h, i) & (n - 1);
        while (s[j] >= 0)
            j = (j + 1) & (n - 1);
        s[j] = (int32_t)i;
    }
    free(*slots);
    *slots = s;
    *nslots = n;
    return 0;
}

static int32_t find_user(const pairing_history *h, const char *id)
{
    if (h == NULL || h->n_uslots == 0)
        return -1;
    size_t mask = h->n_uslots - 1;
    for (size_t i = hash_id(id) & mask;; i = (i + 1) & mask) {
        int32_t u = h->uslots[i];
        if (u < 0 || strcmp(h->users[u].id, id) == 0)
            return u;
    }
}

static int32_t find_pair(const pairing_history *h, int32_t a, int32_t b)
{
    if (a > b) {
        int32_t t = a;
        a = b;
        b = t;
    }
    if (h == NULL || a < 0 || h->n_pslots == 0)
        return -1;
    size_t mask = h->n_pslots - 1;
    for (size_t i = pair_hash(a, b) & mask;; i = (i + 1) & mask) {
        int32_t k = h->pslots[i];
        if (k < 0 || (h->pairs[k].a == a && h->pairs[k].b == b))
            return k;
    }
}

static uint32_t met_users(const pairing_history *h, int32_t a, int32_t b)
{
    int32_t k = find_pair(h, a, b);
    return k < 0 ? 0 : h->pairs[k].count;
}

static int32_t intern_user(pairing_history *h, const profile *p)
{
    int32_t u = find_user(h, p->user_id);
    if (u < 0) {
        if (grow_slots(h, &h->uslots, &h->n_uslots, h->n_users, user_key) ||
            reserve(&h->users, &h->cap_users, h->n_users + 1,
                    sizeof(*h->users)))
            return -1;
        u = (int32_t)h->n_users++;
        memset(&h->users[u], 0, sizeof(h->users[u]));
        strcpy(h->users[u].id, p->user_id);
        size_t mask = h->n_uslots - 1, i = hash_id(p->user_id) & mask;
        while (h->uslots[i] >= 0)
            i = (i + 1) & mask;
        h->uslots[i] = u;
    }
    if (p->country[0] && memchr(p->country, '\0', sizeof(p->country)))
        memcpy(h->users[u].country, p->country, sizeof(p->country));
    return u;
}

pairing_history *pairing_history_new(void)
{
    return calloc(1, sizeof(pairing_history));
}

void pairing_history_free(pairing_history *h)
{
    if (h == NULL)
        return;
    free(h->users);
    free(h->pairs);
    free(h->uslots);
    free(h->pslots);
    free(h);
}

pairing_error pairing_history_add(pairing_history *h, const profile *a,
                                  const profile *b, int32_t round,
                                  int64_t at_ms)
{
    if (h == NULL || a == NULL || b == NULL || !id_ok(a) || !id_ok(b) ||
        strcmp(a->user_id, b->user_id) == 0)
        return PAIRING_ERR_INVALID;
    int32_t ua = intern_user(h, a), ub = intern_user(h, b);
    if (ua < 0 || ub < 0)
        return PAIRING_ERR_NO_MEMORY;
    int32_t k = find_pair(h, ua, ub);
    if (k < 0) {
        if (grow_slots(h, &h->pslots, &h->n_pslots, h->n_pairs, pair_key) ||
            reserve(&h->pairs, &h->cap_pairs, h->n_pairs + 1,
                    sizeof(*h->pairs)))
            return PAIRING_ERR_NO_MEMORY;
        k = (int32_t)h->n_pairs++;
        h->pairs[k] = (hist_pair){
            ua < ub ? ua : ub, ua < ub ? ub : ua, 0, round, round, at_ms};
        size_t mask = h->n_pslots - 1;
        size_t i = pair_hash(h->pairs[k].a, h->pairs[k].b) & mask;
        while (h->pslots[i] >= 0)
            i = (i + 1) & mask;
        h->pslots[i] = k;
    }
    hist_pair *e = &h->pairs[k];
    if (e->count < UINT32_MAX)
        e->count++;
    if (at_ms >= e->last_at_ms) {
        e->last_at_ms = at_ms;
        e->last_round = round;
    }
    if (round < e->first_round)
        e->first_round = round;
    return PAIRING_OK;
}

pairing_error pairing_history_add_plan(pairing_history *h,
                                       const pairing_plan *plan,
                                       const profile *people, int32_t round,
                                       int64_t at_ms)
{
    if (h == NULL || plan == NULL || (plan->n_people > 0 && people == NULL))
        return PAIRING_ERR_INVALID;
    for (size_t g = 0; g < plan->n_groups; g++) {
        const pairing_group *G = &plan->groups[g];
        for (uint32_t i = 0; i < G->n_members; i++)
            for (uint32_t j = i + 1; j < G->n_members; j++) {
                pairing_error e =
                    pairing_history_add(h, &people[G->members[i]],
                                        &people[G->members[j]], round, at_ms);
                if (e != PAIRING_OK)
                    return e;
            }
    }
    return PAIRING_OK;
}

static void fill_meeting(const pairing_history *h, int32_t k,
                         pairing_meeting *out)
{
    const hist_pair *e = &h->pairs[k];
    const hist_user *a = &h->users[e->a], *b = &h->users[e->b];
    if (strcmp(a->id, b->id) > 0) {
        const hist_user *t = a;
        a = b;
        b = t;
    }
    out->a = a->id;
    out->b = b->id;
    memcpy(out->country_a, a->country, 3);
    memcpy(out->country_b, b->country, 3);
    out->count = e->count;
    out->first_round = e->first_round;
    out->last_round = e->last_round;
    out->last_at_ms = e->last_at_ms;
}

uint32_t pairing_history_met(const pairing_history *h, const profile *a,
                             const profile *b, pairing_meeting *out)
{
    if (h == NULL || a == NULL || b == NULL || !id_ok(a) || !id_ok(b))
        return 0;
    int32_t k =
        find_pair(h, find_user(h, a->user_id), find_user(h, b->user_id));
    if (k < 0)
        return 0;
    if (out != NULL)
        fill_meeting(h, k, out);
    return h->pairs[k].count;
}

size_t pairing_history_size(const pairing_history *h)
{
    return h == NULL ? 0 : h->n_pairs;
}

bool pairing_history_at(const pairing_history *h, size_t i,
                        pairing_meeting *out)
{
    if (h == NULL || i >= h->n_pairs || out == NULL)
        return false;
    fill_meeting(h, (int32_t)i, out);
    return true;
}

void pairing_history_matrix(const pairing_history *h, const profile *people,
                            size_t n, uint32_t *out)
{
    for (size_t i = 0; i < n; i++) {
        out[i * n + i] = 0;
        int32_t ui = id_ok(&people[i]) ? find_user(h, people[i].user_id) : -1;
        for (size_t j = i + 1; j < n; j++) {
            int32_t uj =
                id_ok(&people[j]) ? find_user(h, people[j].user_id) : -1;
            uint32_t c = ui < 0 || uj < 0 ? 0 : met_users(h, ui, uj);
            out[i * n + j] = out[j * n + i] = c;
        }
    }
}

static void share_add(pairing_share *s, const char *ca, const char *cb,
                      uint64_t times)
{
    if (!ca[0] || !cb[0]) {
        s->unknown_pairs++;
        return;
    }
    bool cross = strcmp(ca, cb) != 0;
    s->pairs++;
    s->meetings += times;
    s->cross_pairs += cross;
    s->cross_meetings += cross ? times : 0;
}

pairing_share pairing_history_share(const pairing_history *h)
{
    pairing_share s = {0};
    for (size_t k = 0; h != NULL && k < h->n_pairs; k++) {
        const hist_pair *e = &h->pairs[k];
        share_add(&s, h->users[e->a].country, h->users[e->b].country, e->count);
    }
    return s;
}

pairing_share pairing_plan_share(const pairing_plan *plan,
                                 const profile *people)
{
    pairing_share s = {0};
    for (size_t g = 0; plan != NULL && g < plan->n_groups; g++) {
        const pairing_group *G = &plan->groups[g];
        for (uint32_t i = 0; i < G->n_members; i++)
            for (uint32_t j = i + 1; j < G->n_members; j++)
                share_add(&s, people[G->members[i]].country,
                          people[G->members[j]].country, 1);
    }
    return s;
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
    if (cross_country(a, b))
        s += w->cross_country;
    if (w->jitter > 0)
        s += (int64_t)(mix % (uint64_t)w->jitter);
    s -= (int64_t)w->repeat * (met < MET_CAP ? met : MET_CAP);
    return s;
}

static uint32_t met_people(const pairing_request *req, int32_t i, int32_t j,
                           pairing_meeting *m)
{
    return pairing_history_met(req->history, &req->people[i], &req->people[j],
                               m);
}

int64_t pairing_pair_score(const pairing_request *req, int32_t a, int32_t b)
{
    if (req == NULL || a < 0 || b < 0 || (size_t)a >= req->n_people ||
        (size_t)b >= req->n_people)
        return 0;
    uint64_t mix = pair_mix(req->seed, hash_id(req->people[a].user_id),
                            hash_id(req->people[b].user_id));
    return soft_score(req, a, b, mix, met_people(req, a, b, NULL));
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

typedef struct ctx {
    const pairing_request *req;
    int32_t n;
    size_t words;      /* language bitset words per person */
    uint64_t *langs;   /* n * words */
    int64_t *soft;     /* n * n soft scores */
    uint32_t *met;     /* n * n earlier meetings */
    int32_t *partners; /* n: people sharing a language with each */
} ctx;

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
static int build_langs(ctx *c)
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

static bool common_language(const ctx *c, const int32_t *m, uint32_t cnt)
{
    if (cnt < 2)
        return true;
    for (size_t w = 0; w < c->words; w++) {
        uint64_t acc = ~0ULL;
        for (uint32_t i = 0; i < cnt; i++)
            acc &= c->langs[(size_t)m[i] * c->words + w];
        if (acc)
            return true;
    }
    return false;
}

static bool eligible(const ctx *c, int32_t i, int32_t j)
{
    int32_t m[2] = {i, j};
    return common_language(c, m, 2);
}

static void ctx_free(ctx *c)
{
    free(c->langs);
    free(c->soft);
    free(c->met);
    free(c->partners);
}

static int build_scores(ctx *c)
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
        user[i] = find_user(req->history, req->people[i].user_id);
        hash[i] = hash_id(req->people[i].user_id);
    }
    for (size_t i = 0; i < n; i++) {
        c->soft[i * n + i] = 0;
        c->met[i * n + i] = 0;
        for (size_t j = i + 1; j < n; j++) {
            uint32_t met = user[i] < 0 || user[j] < 0
                               ? 0
                               : met_users(req->history, user[i], user[j]);
            int64_t s = soft_score(req, (int32_t)i, (int32_t)j,
                                   pair_mix(req->seed, hash[i], hash[j]), met);
            c->soft[i * n + j] = c->soft[j * n + i] = s;
            c->met[i * n + j] = c->met[j * n + i] = met;
            if (eligible(c, (int32_t)i, (int32_t)j)) {
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

static int32_t open_group(pairing_plan *pl)
{
    if (reserve(&pl->groups, &pl->cap_groups, pl->n_groups + 1,
                sizeof(*pl->groups)))
        return -1;
    memset(&pl->groups[pl->n_groups], 0, sizeof(pl->groups[0]));
    return (int32_t)pl->n_groups++;
}

static void join(pairing_plan *pl, int32_t g, int32_t p)
{
    pairing_group *G = &pl->groups[g];
    G->members[G->n_members++] = p;
    pl->group_of[p] = g;
    pl->cause[p] = PAIRING_CAUSE_NONE;
}

static void leave(pairing_plan *pl, int32_t p, pairing_cause cause)
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
static void compact_groups(pairing_plan *pl)
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

/* ---- pairs ------------------------------------------------------------ */

static int64_t soft_with(const ctx *c, int32_t x, const int32_t *m,
                         uint32_t cnt, int64_t *rep)
{
    int64_t s = 0;
    *rep = 0;
    for (uint32_t i = 0; i < cnt; i++) {
        s += c->soft[(size_t)x * (size_t)c->n + (size_t)m[i]];
        *rep += c->met[(size_t)x * (size_t)c->n + (size_t)m[i]] > 0;
    }
    return s;
}

static int32_t shared_with(const ctx *c, int32_t x, const pairing_group *G)
{
    int32_t k = 0;
    for (uint32_t i = 0; i < G->n_members; i++)
        k += eligible(c, x, G->members[i]);
    return k;
}

/* The least-bad home for x: most members sharing a language, then the
 * smallest group, then the best score. -1 means "a new group" (ranked as
 * empty) when allow_new, else "none". */
static int32_t least_bad_group(const ctx *c, const pairing_plan *pl, int32_t x,
                               uint32_t cap, bool allow_new)
{
    int32_t best = -1, bshared = 0;
    uint32_t bsize = 0;
    int64_t bsoft = 0, rep;
    for (size_t g = 0; g < pl->n_groups; g++) {
        const pairing_group *G = &pl->groups[g];
        if (G->n_members == 0 || G->n_members >= cap ||
            pl->group_of[x] == (int32_t)g)
            continue;
        int32_t sh = shared_with(c, x, G);
        int64_t soft = soft_with(c, x, G->members, G->n_members, &rep);
        bool first = best < 0 && !allow_new;
        if (first || sh > bshared || (sh == bshared && G->n_members < bsize) ||
            (sh == bshared && G->n_members == bsize && soft > bsoft)) {
            best = (int32_t)g;
            bshared = sh;
            bsize = G->n_members;
            bsoft = soft;
            allow_new = false;
        }
    }
    return best;
}

/* Seats people the matching left out: into a pair they share a language
 * with (the best-scoring one), else by the request's unplaced policy. */
static int place_leftovers(const ctx *c, pairing_plan *pl)
{
    int32_t n = c->n;
    size_t first_new = pl->n_groups;
    for (int32_t x = 0; x < n; x++) {
        int32_t best = -1;
        int64_t brep = 0, bsoft = 0, rep;
        for (size_t g = 0; pl->group_of[x] < 0 && g < first_new; g++) {
            pairing_group *G = &pl->groups[g];
            int32_t m[3] = {G->members[0], G->members[1], x};
            if (G->n_members != 2 || !common_language(c, m, 3))
                continue;
            int64_t soft = soft_with(c, x, m, 2, &rep);
            if (best < 0 || rep < brep || (rep == brep && soft > bsoft)) {
                best = (int32_t)g;
                brep = rep;
                bsoft = soft;
            }
        }
        if (best >= 0)
            join(pl, best, x);
    }
    bool least_bad = c->req->unplaced == PAIRING_UNPLACED_LEAST_BAD;
    for (int32_t x = 0; least_bad && x < n; x++) {
        if (pl->group_of[x] >= 0)
            continue;
        int32_t g = least_bad_group(c, pl, x, 3, true);
        if (g < 0 && (g = open_group(pl)) < 0)
            return -1;
        join(pl, g, x);
    }
    for (size_t g = first_new; g < pl->n_groups; g++) {
        if (pl->groups[g].n_members != 1)
            continue;
        int32_t x = pl->groups[g].members[0];
        int32_t h = least_bad_group(c, pl, x, 3, false);
        if (h < 0) /* every group already has three: accept a four */
            h = least_bad_group(c, pl, x, 4, false);
        leave(pl, x, PAIRING_CAUSE_NO_COMMON_LANGUAGE);
        if (h >= 0)
            join(pl, h, x);
    }
    for (int32_t x = 0; x < n; x++)
        if (pl->group_of[x] < 0)
            pl->cause[x] = PAIRING_CAUSE_NO_COMMON_LANGUAGE;
    compact_groups(pl);
    return 0;
}

static int plan_pairs(const ctx *c, pairing_plan *pl)
{
    size_t n = (size_t)c->n, m = 0;
    int64_t smin = INT64_MAX, smax = INT64_MIN;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (eligible(c, (int32_t)i, (int32_t)j)) {
                int64_t s = c->soft[i * n + j];
                smin = s < smin ? s : smin;
                smax = s > smax ? s : smax;
                m++;
            }
    matching_edge *edges = malloc((m + 1) * sizeof(*edges));
    int32_t *mate = malloc(n * sizeof(*mate));
    int rc = -1;
    if (edges == NULL || mate == NULL)
        goto done;
    int64_t tier = c->req->weights.strict_no_repeat && m > 0
                       ? ((int64_t)n / 2 + 1) * (smax - smin + 1)
                       : 0;
    m = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (eligible(c, (int32_t)i, (int32_t)j))
                edges[m++] =
                    (matching_edge){(int32_t)i, (int32_t)j,
                                    1 + (c->soft[i * n + j] - smin) +
                                        (c->met[i * n + j] == 0 ? tier : 0)};
    if (matching_solve(n, edges, m, true, mate) != MATCHING_OK)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (mate[i] <= (int32_t)i)
            continue;
        int32_t g = open_group(pl);
        if (g < 0)
            goto done;
        join(pl, g, (int32_t)i);
        join(pl, g, mate[i]);
    }
    rc = place_leftovers(c, pl);
done:
    free(edges);
    free(mate);
    return rc;
}

/* ---- groups of 3 or 4 ------------------------------------------------- */

/* Objective of one group, compared lexicographically: fewer groups
 * without a language, fewer repeated pairs, then 6 x (sum over members of
 * their mean score with the others - balance x size^2), exact in integers
 * for sizes up to 5. */
typedef struct value {
    int64_t bad, rep, soft;
} value;

static value group_value(const ctx *c, const int32_t *m, uint32_t cnt)
{
    value v = {0, 0, 0};
    int64_t sum = 0;
    size_t n = (size_t)c->n;
    for (uint32_t i = 0; i < cnt; i++)
        for (uint32_t j = i + 1; j < cnt; j++) {
            sum += c->soft[(size_t)m[i] * n + (size_t)m[j]];
            v.rep += c->met[(size_t)m[i] * n + (size_t)m[j]] > 0;
        }
    if (cnt >= 2) {
        v.bad = !common_language(c, m, cnt);
        v.soft = 12 * sum / (int64_t)(cnt - 1);
    }
    v.soft -= 6 * (int64_t)c->req->weights.balance * cnt * cnt;
    return v;
}

static value vsum(value a, value b)
{
    return (value){a.bad + b.bad, a.rep + b.rep, a.soft + b.soft};
}

static bool vbetter(value a, value b)
{
    if (a.bad != b.bad)
        return a.bad < b.bad;
    if (a.rep != b.rep)
        return a.rep < b.rep;
    return a.soft > b.soft;
}

/* Local-search state: the plan and each group's cached value. */
typedef struct search {
    const ctx *c;
    pairing_plan *pl;
    value *gval;
} search;

/* Moves p to group gb (q < 0) or swaps p with q in gb, if that improves
 * the objective; sizes stay within 2..4. */
static bool try_step(search *s, int32_t p, int32_t gb, int32_t q)
{
    int32_t ga = s->pl->group_of[p];
    pairing_group *A = &s->pl->groups[ga], *B = &s->pl->groups[gb];
    if (q < 0 && (A->n_members <= 2 || B->n_members >= 4))
        return false;
    int32_t ma[PAIRING_GROUP_MAX], mb[PAIRING_GROUP_MAX];
    uint32_t na = 0, nb = 0;
    for (uint32_t i = 0; i < A->n_members; i++)
        if (A->members[i] != p)
            ma[na++] = A->members[i];
    for (uint32_t i = 0; i < B->n_members; i++)
        if (B->members[i] != q)
            mb[nb++] = B->members[i];
    if (q >= 0)
        ma[na++] = q;
    mb[nb++] = p;
    value va = group_value(s->c, ma, na), vb = group_value(s->c, mb, nb);
    if (!vbetter(vsum(va, vb), vsum(s->gval[ga], s->gval[gb])))
        return false;
    memcpy(A->members, ma, na * sizeof(*ma));
    memcpy(B->members, mb, nb * sizeof(*mb));
    A->n_members = na;
    B->n_members = nb;
    s->gval[ga] = va;
    s->gval[gb] = vb;
    s->pl->group_of[p] = gb;
    if (q >= 0)
        s->pl->group_of[q] = ga;
    return true;
}

/* Tries, for each person in order, a move and then swaps into every other
 * group, taking the first improvement; stops after a pass without one. */
static int local_search(const ctx *c, pairing_plan *pl, const int32_t *order)
{
    uint32_t passes = c->req->max_passes ? c->req->max_passes : DEFAULT_PASSES;
    search s = {c, pl, malloc((pl->n_groups + 1) * sizeof(value))};
    if (s.gval == NULL)
        return -1;
    for (size_t g = 0; g < pl->n_groups; g++)
        s.gval[g] =
            group_value(c, pl->groups[g].members, pl->groups[g].n_members);
    for (uint32_t pass = 0; pass < passes; pass++) {
        bool improved = false;
        for (int32_t i = 0; i < c->n; i++) {
            int32_t p = order[i];
            for (int32_t gb = 0; gb < (int32_t)pl->n_groups; gb++) {
                if (gb == pl->group_of[p])
                    continue;
                if (try_step(&s, p, gb, -1)) {
                    improved = true;
                    continue;
                }
                const pairing_group *B = &pl->groups[gb];
                for (uint32_t k = 0; k < B->n_members; k++)
                    if (try_step(&s, p, gb, B->members[k])) {
                        improved = true;
                        break;
                    }
            }
        }
        if (!improved)
            break;
    }
    free(s.gval);
    return 0;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* Fills k groups of balanced sizes greedily: people with the fewest
 * possible partners first (seeded order among equals), each into the open
 * group where adding them is best. */
static void greedy_fill(const ctx *c, pairing_plan *pl, int32_t *order,
                        int64_t *keys, uint32_t k)
{
    uint32_t n = (uint32_t)c->n;
    for (uint32_t i = 0; i < n; i++)
        keys[i] = ((int64_t)c->partners[order[i]] << 32) | i;
    qsort(keys, n, sizeof(*keys), cmp_i64); /* keys are distinct */
    for (uint32_t i = 0; i < n; i++)
        keys[i] = order[keys[i] & 0xffffffff];
    for (uint32_t i = 0; i < n; i++)
        order[i] = (int32_t)keys[i];
    for (uint32_t i = 0; i < n; i++) {
        int32_t p = order[i], best = -1;
        value bv = {0, 0, 0};
        for (uint32_t g = 0; g < k; g++) {
            pairing_group *G = &pl->groups[g];
            uint32_t target = n / k + (g < n % k);
            if (G->n_members >= target)
                continue;
            G->members[G->n_members] = p;
            value v = {0, 0, 0};
            v.bad = G->n_members > 0 &&
                    !common_language(c, G->members, G->n_members + 1);
            v.soft = soft_with(c, p, G->members, G->n_members, &v.rep);
            if (best < 0 || vbetter(v, bv)) {
                best = (int32_t)g;
                bv = v;
            }
        }
        join(pl, best, p);
    }
}

static const char *majority_language(const pairing_request *req,
                                     const pairing_group *G)
{
    const char *best = NULL;
    uint32_t bcount = 0;
    for (uint32_t i = 0; i < G->n_members; i++) {
        const profile *p = &req->people[G->members[i]];
        for (unsigned l = 0; l < p->n_languages; l++) {
            uint32_t cnt = 0;
            for (uint32_t j = 0; j < G->n_members; j++)
                cnt += speaks(&req->people[G->members[j]], p->languages[l]);
            if (cnt > bcount) {
                best = p->languages[l];
                bcount = cnt;
            }
        }
    }
    return best;
}

/* LEAVE_OUT: in a group without a common language, keep those who speak
 * its majority language (if at least two) and unassign the others. */
static void drop_non_speakers(const ctx *c, pairing_plan *pl)
{
    for (size_t g = 0; g < pl->n_groups; g++) {
        pairing_group *G = &pl->groups[g];
        if (common_language(c, G->members, G->n_members))
            continue;
        const char *lang = majority_language(c->req, G);
        int32_t m[PAIRING_GROUP_MAX];
        uint32_t cnt = G->n_members, keep = 0;
        memcpy(m, G->members, sizeof(m));
        for (uint32_t i = 0; i < cnt; i++)
            keep += lang && speaks(&c->req->people[m[i]], lang);
        for (uint32_t i = 0; i < cnt; i++)
            if (keep < 2 || !lang || !speaks(&c->req->people[m[i]], lang))
                leave(pl, m[i], PAIRING_CAUSE_NO_COMMON_LANGUAGE);
    }
    compact_groups(pl);
}

static int plan_groups(const ctx *c, pairing_plan *pl, rng *r)
{
    uint32_t n = (uint32_t)c->n, size = c->req->group_size;
    uint32_t k = (n + size / 2) / size, kmin = (n + 3) / 4;
    k = k < kmin ? kmin : k;
    k = k > n / 2 ? n / 2 : k;
    int32_t *order = malloc(n * sizeof(*order));
    int64_t *keys = malloc(n * sizeof(*keys));
    int rc = -1;
    if (order == NULL || keys == NULL)
        goto done;
    for (uint32_t g = 0; g < k; g++)
        if (open_group(pl) < 0)
            goto done;
    for (uint32_t i = 0; i < n; i++)
        order[i] = (int32_t)i;
    rng_shuffle(r, order, n);
    greedy_fill(c, pl, order, keys, k);
    rng_shuffle(r, order, n);
    if (local_search(c, pl, order) < 0)
        goto done;
    if (c->req->unplaced == PAIRING_UNPLACED_LEAVE_OUT)
        drop_non_speakers(c, pl);
    rc = 0;
done:
    free(order);
    free(keys);
    return rc;
}

/* ---- explanations ----------------------------------------------------- */

static int push_reason(pairing_plan *pl, pairing_reason_kind kind,
                       int32_t topic, int32_t a, int32_t b)
{
    if (reserve(&pl->reasons, &pl->cap_reasons, pl->n_reasons + 1,
                sizeof(*pl->reasons)))
        return -1;
    pl->reasons[pl->n_reasons++] =
        (pairing_reason){.kind = kind, .topic = topic, .a = a, .b = b};
    return 0;
}

static int warn(pairing_plan *pl, pairing_warning_kind kind,
                pairing_cause cause, int32_t person, int32_t other,
                int32_t group)
{
    if (reserve(&pl->warnings, &pl->cap_warnings, pl->n_warnings + 1,
                sizeof(*pl->warnings)))
        return -1;
    pl->warnings[pl->n_warnings++] =
        (pairing_warning){kind, cause, person, other, group};
    return 0;
}

static int explain_topics(pairing_plan *pl, const pairing_request *req,
                          int32_t a, int32_t b)
{
    const profile *pa = &req->people[a], *pb = &req->people[b];
    int rc = 0;
    for (int t = 0; t < PROFILE_TOPIC_COUNT && rc == 0; t++) {
        unsigned ma = pa->marks[t], mb = pb->marks[t];
        if (req->mode == PAIRING_MODE_SHARED_INTEREST) {
            if (ma && mb)
                rc = push_reason(pl, PAIRING_REASON_SHARED_INTEREST, t, a, b);
            continue;
        }
        if ((ma & PROFILE_MARK_NEED) && (mb & PROFILE_MARK_OFFER))
            rc = push_reason(pl, PAIRING_REASON_COMPLEMENT, t, a, b);
        if (rc == 0 && (mb & PROFILE_MARK_NEED) && (ma & PROFILE_MARK_OFFER))
            rc = push_reason(pl, PAIRING_REASON_COMPLEMENT, t, b, a);
    }
    return rc;
}

static int explain_pair(pairing_plan *pl, const pairing_request *req, int32_t g,
                        int32_t a, int32_t b)
{
    const profile *pa = &req->people[a], *pb = &req->people[b];
    pairing_meeting mt;
    uint32_t met = met_people(req, a, b, &mt);
    uint64_t mix =
        pair_mix(req->seed, hash_id(pa->user_id), hash_id(pb->user_id));
    pl->groups[g].score += soft_score(req, a, b, mix, met);
    if (pa->country[0] && pb->country[0] &&
        push_reason(pl,
                    cross_country(pa, pb) ? PAIRING_REASON_CROSS_COUNTRY
                                          : PAIRING_REASON_SAME_COUNTRY,
                    -1, a, b))
        return -1;
    if (met > 0) {
        if (push_reason(pl, PAIRING_REASON_REPEAT, -1, a, b) ||
            warn(pl, PAIRING_WARN_REPEAT, PAIRING_CAUSE_NONE, a, b, g))
            return -1;
        pairing_reason *r = &pl->reasons[pl->n_reasons - 1];
        r->met_count = met;
        r->last_round = mt.last_round;
        r->last_at_ms = mt.last_at_ms;
    }
    return req->mode == PAIRING_MODE_RANDOM ? 0 : explain_topics(pl, req, a, b);
}

static int explain_language(pairing_plan *pl, const pairing_request *req,
                            int32_t g)
{
    pairing_group *G = &pl->groups[g];
    const profile *first = &req->people[G->members[0]];
    G->language_ok = true;
    G->language[0] = '\0';
    if (G->n_members < 2)
        return 0;
    for (unsigned l = 0; l < first->n_languages; l++) {
        uint32_t i = 1;
        while (i < G->n_members &&
               speaks(&req->people[G->members[i]], first->languages[l]))
            i++;
        if (i == G->n_members) {
            memcpy(G->language, first->languages[l], sizeof(G->language));
            if (push_reason(pl, PAIRING_REASON_SHARED_LANGUAGE, -1, -1, -1))
                return -1;
            memcpy(pl->reasons[pl->n_reasons - 1].language, G->language,
                   sizeof(G->language));
            return 0;
        }
    }
    G->language_ok = false;
    const char *lang = majority_language(req, G);
    for (uint32_t i = 0; i < G->n_members; i++) {
        int32_t m = G->members[i];
        if (lang && speaks(&req->people[m], lang))
            continue;
        if (push_reason(pl, PAIRING_REASON_NO_COMMON_LANGUAGE, -1, m, -1) ||
            warn(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, PAIRING_CAUSE_NONE, m, -1,
                 g))
            return -1;
        if (lang)
            memcpy(pl->reasons[pl->n_reasons - 1].language, lang, 4);
    }
    return 0;
}

static int explain_group(pairing_plan *pl, const pairing_request *req,
                         int32_t g)
{
    pairing_group *G = &pl->groups[g];
    G->first_reason = pl->n_reasons;
    G->n_reasons = 0;
    G->score = 0;
    G->language_ok = true;
    G->language[0] = '\0';
    if (G->n_members == 0)
        return 0;
    if (explain_language(pl, req, g))
        return -1;
    if ((G->n_members == 1 || G->n_members > 4) &&
        warn(pl, PAIRING_WARN_GROUP_SIZE, PAIRING_CAUSE_NONE, -1, -1, g))
        return -1;
    pairing_reason_kind kind = req->mode == PAIRING_MODE_MANUAL
                                   ? PAIRING_REASON_MANUAL
                                   : PAIRING_REASON_RANDOM;
    if (req->mode == PAIRING_MODE_MANUAL || req->mode == PAIRING_MODE_RANDOM)
        if (push_reason(pl, kind, -1, -1, -1))
            return -1;
    if (req->mode != PAIRING_MODE_MANUAL && pl->group_size == 2 &&
        G->n_members == 3 &&
        push_reason(pl, PAIRING_REASON_ODD_COUNT, -1, G->members[2], -1))
        return -1;
    for (uint32_t i = 0; i < G->n_members; i++)
        for (uint32_t j = i + 1; j < G->n_members; j++)
            if (explain_pair(pl, req, g, G->members[i], G->members[j]))
                return -1;
    G->n_reasons = pl->n_reasons - G->first_reason;
    pl->total_score += G->score;
    return 0;
}

pairing_error pairing_plan_explain(pairing_plan *plan,
                                   const pairing_request *req)
{
    if (plan == NULL || req == NULL || req->n_people != plan->n_people ||
        (req->n_people > 0 && req->people == NULL))
        return PAIRING_ERR_INVALID;
    plan->n_reasons = plan->n_warnings = 0;
    plan->total_score = 0;
    int rc = 0;
    for (size_t p = 0; p < plan->n_people && rc == 0; p++)
        if (req->people[p].n_languages == 0)
            rc = warn(plan, PAIRING_WARN_NO_LANGUAGES, PAIRING_CAUSE_NONE,
                      (int32_t)p, -1, -1);
    for (size_t g = 0; g < plan->n_groups && rc == 0; g++)
        rc = explain_group(plan, req, (int32_t)g);
    for (size_t p = 0; p < plan->n_people && rc == 0; p++)
        if (plan->group_of[p] < 0)
            rc = warn(plan, PAIRING_WARN_UNASSIGNED, plan->cause[p], (int32_t)p,
                      -1, -1);
    if (rc == 0)
        return PAIRING_OK;
    plan->n_reasons = plan->n_warnings = 0;
    for (size_t g = 0; g < plan->n_groups; g++)
        plan->groups[g].first_reason = plan->groups[g].n_reasons = 0;
    return PAIRING_ERR_NO_MEMORY;
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
        ids[i] =
            (key_ref){hash_id(req->people[i].user_id), req->people[i].user_id};
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
        if (open_group(pl) < 0)
            return PAIRING_ERR_NO_MEMORY;
    for (int32_t i = 0; i < n; i++) {
        int32_t g = req->manual[i];
        if (g >= 0 && pl->groups[g].n_members >= PAIRING_GROUP_MAX)
            return PAIRING_ERR_MANUAL;
        if (g >= 0)
            join(pl, g, i);
        else
            pl->cause[i] = PAIRING_CAUSE_MANUAL;
    }
    return PAIRING_OK;
}

static pairing_error plan_auto(const pairing_request *req, pairing_plan *pl)
{
    ctx c = {.req = req, .n = (int32_t)req->n_people};
    pairing_error e = PAIRING_ERR_NO_MEMORY;
    rng r;
    rng_seed(&r, req->seed);
    if (build_langs(&c) || build_scores(&c))
        goto done;
    if ((req->group_size == 2 ? plan_pairs(&c, pl) : plan_groups(&c, pl, &r)) ==
        0)
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
    if ((size_t)group == plan->n_groups && open_group(plan) < 0)
        return PAIRING_ERR_NO_MEMORY;
    if (group != plan->group_of[person]) {
        leave(plan, person, PAIRING_CAUSE_MANUAL);
        if (group >= 0)
            join(plan, group, person);
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
        leave(plan, a, cb == PAIRING_CAUSE_NONE ? PAIRING_CAUSE_MANUAL : cb);
        leave(plan, b, ca == PAIRING_CAUSE_NONE ? PAIRING_CAUSE_MANUAL : ca);
        if (gb >= 0)
            join(plan, gb, a);
        if (ga >= 0)
            join(plan, ga, b);
    }
    return pairing_plan_explain(plan, req);
}
