/* pairing_history.c: the pair history (who met whom, how often, when and
 * in which round; a person's latest country), its who-met-whom matrix and
 * the cross-country share of a history or a plan (rooms/pairing.h). The
 * app layer records each round's plan here and passes the history to the
 * next pairing request; the pairing engine looks meetings up through
 * pairing__find_user() and pairing__met_users(). */
#include "rooms/pairing_int.h"

#include <stdlib.h>
#include <string.h>

/* ---- the history ------------------------------------------------------ */

uint64_t pairing__hash_id(const char *s)
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
    return pairing__hash_id(h->users[i].id);
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

int32_t pairing__find_user(const pairing_history *h, const char *id)
{
    if (h == NULL || h->n_uslots == 0)
        return -1;
    size_t mask = h->n_uslots - 1;
    for (size_t i = pairing__hash_id(id) & mask;; i = (i + 1) & mask) {
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

uint32_t pairing__met_users(const pairing_history *h, int32_t a, int32_t b)
{
    int32_t k = find_pair(h, a, b);
    return k < 0 ? 0 : h->pairs[k].count;
}

static int32_t intern_user(pairing_history *h, const profile *p)
{
    int32_t u = pairing__find_user(h, p->user_id);
    if (u < 0) {
        if (grow_slots(h, &h->uslots, &h->n_uslots, h->n_users, user_key) ||
            pairing__reserve(&h->users, sizeof(*h->users), h->n_users,
                             &h->cap_users))
            return -1;
        u = (int32_t)h->n_users++;
        memset(&h->users[u], 0, sizeof(h->users[u]));
        strcpy(h->users[u].id, p->user_id);
        size_t mask = h->n_uslots - 1, i = pairing__hash_id(p->user_id) & mask;
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
            pairing__reserve(&h->pairs, sizeof(*h->pairs), h->n_pairs,
                             &h->cap_pairs))
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
    int32_t k = find_pair(h, pairing__find_user(h, a->user_id),
                          pairing__find_user(h, b->user_id));
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
        int32_t ui =
            id_ok(&people[i]) ? pairing__find_user(h, people[i].user_id) : -1;
        for (size_t j = i + 1; j < n; j++) {
            int32_t uj = id_ok(&people[j])
                             ? pairing__find_user(h, people[j].user_id)
                             : -1;
            uint32_t c = ui < 0 || uj < 0 ? 0 : pairing__met_users(h, ui, uj);
            out[i * n + j] = out[j * n + i] = c;
        }
    }
}

/* ---- cross-country shares --------------------------------------------- */

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
