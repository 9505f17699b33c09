/* pairing_pairs.c: pair mode (group_size 2). An optimal matching over
 * the pairs with a common language (rooms/matching.c), then the people it
 * left out: into a pair they share a language with, else by the request's
 * unplaced policy (see rooms/pairing.h). Called by pairing_plan_make()
 * through pairing__plan_pairs(). */
#include "rooms/pairing_int.h"

#include "rooms/matching.h"

#include <stdlib.h>

static int32_t shared_with(const pairing__ctx *c, int32_t x,
                           const pairing_group *G)
{
    int32_t k = 0;
    for (uint32_t i = 0; i < G->n_members; i++)
        k += pairing__eligible(c, x, G->members[i]);
    return k;
}

/* The least-bad home for x: most members sharing a language, then the
 * smallest group, then the best score. -1 means "a new group" (ranked as
 * empty) when allow_new, else "none". */
static int32_t least_bad_group(const pairing__ctx *c, const pairing_plan *pl,
                               int32_t x, uint32_t cap, bool allow_new)
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
        int64_t soft = pairing__soft_with(c, x, G->members, G->n_members, &rep);
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
static int place_leftovers(const pairing__ctx *c, pairing_plan *pl)
{
    int32_t n = c->n;
    size_t first_new = pl->n_groups;
    for (int32_t x = 0; x < n; x++) {
        int32_t best = -1;
        int64_t brep = 0, bsoft = 0, rep;
        for (size_t g = 0; pl->group_of[x] < 0 && g < first_new; g++) {
            pairing_group *G = &pl->groups[g];
            int32_t m[3] = {G->members[0], G->members[1], x};
            if (G->n_members != 2 || !pairing__common_language(c, m, 3))
                continue;
            int64_t soft = pairing__soft_with(c, x, m, 2, &rep);
            if (best < 0 || rep < brep || (rep == brep && soft > bsoft)) {
                best = (int32_t)g;
                brep = rep;
                bsoft = soft;
            }
        }
        if (best >= 0)
            pairing__join(pl, best, x);
    }
    bool least_bad = c->req->unplaced == PAIRING_UNPLACED_LEAST_BAD;
    for (int32_t x = 0; least_bad && x < n; x++) {
        if (pl->group_of[x] >= 0)
            continue;
        int32_t g = least_bad_group(c, pl, x, 3, true);
        if (g < 0 && (g = pairing__open_group(pl)) < 0)
            return -1;
        pairing__join(pl, g, x);
    }
    for (size_t g = first_new; g < pl->n_groups; g++) {
        if (pl->groups[g].n_members != 1)
            continue;
        int32_t x = pl->groups[g].members[0];
        int32_t h = least_bad_group(c, pl, x, 3, false);
        if (h < 0) /* every group already has three: accept a four */
            h = least_bad_group(c, pl, x, 4, false);
        pairing__leave(pl, x, PAIRING_CAUSE_NO_COMMON_LANGUAGE);
        if (h >= 0)
            pairing__join(pl, h, x);
    }
    for (int32_t x = 0; x < n; x++)
        if (pl->group_of[x] < 0)
            pl->cause[x] = PAIRING_CAUSE_NO_COMMON_LANGUAGE;
    pairing__compact_groups(pl);
    return 0;
}

int pairing__plan_pairs(const pairing__ctx *c, pairing_plan *pl)
{
    size_t n = (size_t)c->n, m = 0;
    int64_t smin = INT64_MAX, smax = INT64_MIN;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (pairing__eligible(c, (int32_t)i, (int32_t)j)) {
                int64_t s = c->soft[i * n + j];
                smin = s < smin ? s : smin;
                smax = s > smax ? s : smax;
                m++;
            }
    /* calloc: with no eligible pair nothing is written, and GCC 12 then
     * warns that matching_solve() may read uninitialised edges. */
    matching_edge *edges = calloc(m + 1, sizeof(*edges));
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
            if (pairing__eligible(c, (int32_t)i, (int32_t)j))
                edges[m++] =
                    (matching_edge){(int32_t)i, (int32_t)j,
                                    1 + (c->soft[i * n + j] - smin) +
                                        (c->met[i * n + j] == 0 ? tier : 0)};
    if (matching_solve(n, edges, m, true, mate) != MATCHING_OK)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (mate[i] <= (int32_t)i)
            continue;
        int32_t g = pairing__open_group(pl);
        if (g < 0)
            goto done;
        pairing__join(pl, g, (int32_t)i);
        pairing__join(pl, g, mate[i]);
    }
    rc = place_leftovers(c, pl);
done:
    free(edges);
    free(mate);
    return rc;
}
