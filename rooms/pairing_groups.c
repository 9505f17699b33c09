/* pairing_groups.c: group mode (group_size 3 or 4). Balanced groups
 * filled greedily (people with the fewest possible partners first), then
 * improved by moves and swaps (see rooms/pairing.h for the objective).
 * Called by pairing_plan_make() through pairing__plan_groups(). */
#include "rooms/pairing_int.h"

#include <stdlib.h>
#include <string.h>

#define DEFAULT_PASSES 50

/* Objective of one group, compared lexicographically: fewer groups
 * without a language, fewer repeated pairs, then 6 x (sum over members of
 * their mean score with the others - balance x size^2), exact in integers
 * for sizes up to 5. */
typedef struct value {
    int64_t bad, rep, soft;
} value;

static value group_value(const pairing__ctx *c, const int32_t *m, uint32_t cnt)
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
        v.bad = !pairing__common_language(c, m, cnt);
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
    const pairing__ctx *c;
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
static int local_search(const pairing__ctx *c, pairing_plan *pl,
                        const int32_t *order)
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
static void greedy_fill(const pairing__ctx *c, pairing_plan *pl, int32_t *order,
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
                    !pairing__common_language(c, G->members, G->n_members + 1);
            v.soft = pairing__soft_with(c, p, G->members, G->n_members, &v.rep);
            if (best < 0 || vbetter(v, bv)) {
                best = (int32_t)g;
                bv = v;
            }
        }
        pairing__join(pl, best, p);
    }
}

/* LEAVE_OUT: in a group without a common language, keep those who speak
 * its majority language (if at least two) and unassign the others. */
static void drop_non_speakers(const pairing__ctx *c, pairing_plan *pl)
{
    for (size_t g = 0; g < pl->n_groups; g++) {
        pairing_group *G = &pl->groups[g];
        if (pairing__common_language(c, G->members, G->n_members))
            continue;
        const char *lang = pairing__majority_language(c->req, G);
        int32_t m[PAIRING_GROUP_MAX];
        uint32_t cnt = G->n_members, keep = 0;
        memcpy(m, G->members, sizeof(m));
        for (uint32_t i = 0; i < cnt; i++)
            keep += lang && pairing__speaks(&c->req->people[m[i]], lang);
        for (uint32_t i = 0; i < cnt; i++)
            if (keep < 2 || !lang ||
                !pairing__speaks(&c->req->people[m[i]], lang))
                pairing__leave(pl, m[i], PAIRING_CAUSE_NO_COMMON_LANGUAGE);
    }
    pairing__compact_groups(pl);
}

int pairing__plan_groups(const pairing__ctx *c, pairing_plan *pl, rng *r)
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
        if (pairing__open_group(pl) < 0)
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
