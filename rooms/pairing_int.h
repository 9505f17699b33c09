/* pairing_int.h: what the pairing files share; internal to rooms/ (the
 * public API is rooms/pairing.h).
 *
 *   pairing.c          requests, scoring, the planning context, plan
 *                      storage, manual plans and edits (entry points)
 *   pairing_pairs.c    pair mode: optimal matching, then those left over
 *   pairing_groups.c   groups of 3 or 4: greedy fill and local search
 *   pairing_explain.c  every group's reasons and the plan's warnings
 *   pairing_history.c  who met whom, and cross-country shares
 *
 * Functions returning int return 0, or -1 when out of memory. */
#ifndef KOPA_ROOMS_PAIRING_INT_H
#define KOPA_ROOMS_PAIRING_INT_H

#include "rooms/pairing.h"
#include "rooms/rng.h"
#include "rooms/rooms_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Makes room for element n of a plan's or a history's array (limited only
 * by memory; the capacity doubles from 16). */
static inline int pairing__reserve(void *arrp, size_t size, size_t n,
                                   size_t *cap)
{
    return rooms__reserve(arrp, size, n, cap, SIZE_MAX, 16) == ROOMS__OK ? 0
                                                                         : -1;
}

/* ---- people (pairing.c, pairing_history.c) ----------------------------- */

/* FNV-1a hash of a user id: the history's table key and the seed of a
 * pair's jitter. */
uint64_t pairing__hash_id(const char *s);
/* Whether p lists language lang. */
bool pairing__speaks(const profile *p, const char *lang);
/* Both countries known and different. */
bool pairing__cross_country(const profile *a, const profile *b);
/* The language the most members of G speak (the first such), or NULL when
 * nobody lists one. */
const char *pairing__majority_language(const pairing_request *req,
                                       const pairing_group *G);

/* ---- history lookups (pairing_history.c) ------------------------------- */

/* The history's index of user id, or -1 (also when h is NULL). */
int32_t pairing__find_user(const pairing_history *h, const char *id);
/* Meetings of history users a and b (indices from pairing__find_user()). */
uint32_t pairing__met_users(const pairing_history *h, int32_t a, int32_t b);

/* ---- scoring and the planning context (pairing.c) ---------------------- */

/* The soft score s(i, j) of pairing.h for people i and j, given how often
 * they met. */
int64_t pairing__score(const pairing_request *req, int32_t i, int32_t j,
                       uint32_t met);

/* What the planners read: the request and per-person and per-pair tables
 * computed once per plan. */
typedef struct pairing__ctx {
    const pairing_request *req;
    int32_t n;
    size_t words;      /* language bitset words per person */
    uint64_t *langs;   /* n * words */
    int64_t *soft;     /* n * n soft scores */
    uint32_t *met;     /* n * n earlier meetings */
    int32_t *partners; /* n: people sharing a language with each */
} pairing__ctx;

/* Whether the cnt people m[] share a language (fewer than two always do).
 * Inline: the planners call it in their innermost loops. */
static inline bool pairing__common_language(const pairing__ctx *c,
                                            const int32_t *m, uint32_t cnt)
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

/* Whether i and j may be paired: they share a language. */
static inline bool pairing__eligible(const pairing__ctx *c, int32_t i,
                                     int32_t j)
{
    int32_t m[2] = {i, j};
    return pairing__common_language(c, m, 2);
}

/* The sum of x's soft scores with the cnt people m[]; *rep counts those x
 * met before. */
static inline int64_t pairing__soft_with(const pairing__ctx *c, int32_t x,
                                         const int32_t *m, uint32_t cnt,
                                         int64_t *rep)
{
    int64_t s = 0;
    *rep = 0;
    for (uint32_t i = 0; i < cnt; i++) {
        s += c->soft[(size_t)x * (size_t)c->n + (size_t)m[i]];
        *rep += c->met[(size_t)x * (size_t)c->n + (size_t)m[i]] > 0;
    }
    return s;
}

/* ---- plan storage (pairing.c) ------------------------------------------ */

/* Appends an empty group; returns its index, or -1 when out of memory. */
int32_t pairing__open_group(pairing_plan *pl);
/* Puts person p (in no group) into group g. */
void pairing__join(pairing_plan *pl, int32_t g, int32_t p);
/* Takes p out of its group (if any), recording why p is unassigned. */
void pairing__leave(pairing_plan *pl, int32_t p, pairing_cause cause);
/* Removes empty groups, keeping the order of the others. */
void pairing__compact_groups(pairing_plan *pl);

/* ---- planners ---------------------------------------------------------- */

/* Pair mode (pairing_pairs.c). */
int pairing__plan_pairs(const pairing__ctx *c, pairing_plan *pl);
/* Group mode, with r seeded from the request (pairing_groups.c). */
int pairing__plan_groups(const pairing__ctx *c, pairing_plan *pl, rng *r);

#endif
