/* test_util.c: shared helpers for the pairing tests: building people and
 * requests, plan invariants, and the brute-force matching oracle. */
#include "pairing_test.h"

#include <stdlib.h>
#include <string.h>

void tp_person(profile *p, const char *id, const char *country,
               const char *langs, unsigned needs, unsigned offers)
{
    profile_init(p);
    assert_int_equal(profile_set_user_id(p, id, strlen(id)), PROFILE_OK);
    assert_int_equal(profile_set_name(p, id, strlen(id)), PROFILE_OK);
    assert_int_equal(profile_set_country(p, country, strlen(country)),
                     PROFILE_OK);
    for (const char *s = langs; *s;) {
        size_t len = strcspn(s, ",");
        assert_int_equal(profile_add_language(p, s, len), PROFILE_OK);
        s += len + (s[len] == ',');
    }
    for (int t = 0; t < PROFILE_TOPIC_COUNT; t++) {
        unsigned m = ((needs >> t) & 1u) * PROFILE_MARK_NEED +
                     ((offers >> t) & 1u) * PROFILE_MARK_OFFER;
        assert_int_equal(profile_set_mark(p, t, (profile_mark)m), PROFILE_OK);
    }
}

pairing_request tp_request(const profile *people, size_t n, pairing_mode mode,
                           uint32_t size, uint64_t seed)
{
    pairing_request r = {0};
    r.people = people;
    r.n_people = n;
    r.mode = mode;
    r.group_size = size;
    r.weights = pairing_weights_default();
    r.seed = seed;
    r.unplaced = PAIRING_UNPLACED_LEAST_BAD;
    return r;
}

static bool in_group(const pairing_group *G, int32_t p)
{
    for (uint32_t i = 0; i < G->n_members; i++)
        if (G->members[i] == p)
            return true;
    return false;
}

void tp_check_plan(const pairing_plan *pl, const pairing_request *req)
{
    assert_non_null(pl);
    assert_int_equal(pl->n_people, req->n_people);
    int *seen = calloc(req->n_people + 1, sizeof(*seen));
    assert_non_null(seen);
    for (size_t g = 0; g < pl->n_groups; g++) {
        const pairing_group *G = &pl->groups[g];
        assert_true(G->n_members <= PAIRING_GROUP_MAX);
        for (uint32_t i = 0; i < G->n_members; i++) {
            int32_t p = G->members[i];
            assert_true(p >= 0 && (size_t)p < req->n_people);
            assert_int_equal(pl->group_of[p], (int32_t)g);
            seen[p]++;
        }
        assert_true(G->first_reason + G->n_reasons <= pl->n_reasons);
        for (size_t r = 0; r < G->n_reasons; r++) {
            const pairing_reason *R = &pl->reasons[G->first_reason + r];
            assert_true(R->a == -1 || in_group(G, R->a));
            assert_true(R->b == -1 || in_group(G, R->b));
        }
    }
    for (size_t p = 0; p < req->n_people; p++) {
        assert_int_equal(seen[p], pl->group_of[p] >= 0 ? 1 : 0);
        if (pl->group_of[p] < 0)
            assert_int_equal(
                tp_warnings(pl, PAIRING_WARN_UNASSIGNED, (int32_t)p), 1);
    }
    free(seen);
}

size_t tp_warnings(const pairing_plan *pl, pairing_warning_kind kind,
                   int32_t person)
{
    size_t k = 0;
    for (size_t i = 0; i < pl->n_warnings; i++)
        k += pl->warnings[i].kind == kind &&
             (person < 0 || pl->warnings[i].person == person);
    return k;
}

bool tp_has_reason(const pairing_plan *pl, size_t g, pairing_reason_kind k,
                   int32_t topic, int32_t a, int32_t b)
{
    const pairing_group *G = &pl->groups[g];
    for (size_t r = 0; r < G->n_reasons; r++) {
        const pairing_reason *R = &pl->reasons[G->first_reason + r];
        if (R->kind == k && (topic == -2 || R->topic == topic) &&
            (a == -2 || R->a == a) && (b == -2 || R->b == b))
            return true;
    }
    return false;
}

typedef struct brute {
    int n;
    const bool *present;
    const int64_t *rep, *soft;
    bool by_card;
    tp_score *memo;
    bool *done;
} brute;

static bool better(const brute *b, tp_score x, tp_score y)
{
    if (b->by_card && x.card != y.card)
        return x.card > y.card;
    if (x.rep != y.rep)
        return x.rep < y.rep;
    return x.soft > y.soft;
}

static tp_score best_of(brute *b, unsigned mask)
{
    if (mask == 0)
        return (tp_score){0, 0, 0};
    if (b->done[mask])
        return b->memo[mask];
    int i = 0;
    while (!(mask & (1u << i)))
        i++;
    unsigned rest = mask & ~(1u << i);
    tp_score best = best_of(b, rest); /* i stays single */
    for (int j = 0; j < b->n; j++) {
        if (!(rest & (1u << j)) || !b->present[i * b->n + j])
            continue;
        tp_score s = best_of(b, rest & ~(1u << j));
        s.card++;
        s.rep += b->rep ? b->rep[i * b->n + j] : 0;
        s.soft += b->soft ? b->soft[i * b->n + j] : 0;
        if (better(b, s, best))
            best = s;
    }
    b->done[mask] = true;
    b->memo[mask] = best;
    return best;
}

tp_score tp_brute_matching(int n, const bool *present, const int64_t *rep,
                           const int64_t *soft, bool by_card)
{
    assert_true(n >= 0 && n <= 16);
    brute b = {n, present, rep, soft, by_card, NULL, NULL};
    b.memo = calloc((size_t)1 << n, sizeof(*b.memo));
    b.done = calloc((size_t)1 << n, sizeof(*b.done));
    assert_non_null(b.memo);
    assert_non_null(b.done);
    tp_score s = best_of(&b, (1u << n) - 1);
    free(b.memo);
    free(b.done);
    return s;
}
