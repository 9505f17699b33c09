/* test_matching.c: the blossom matching against a brute-force optimum on
 * hundreds of random small graphs (both modes, ties, negative weights),
 * hand-made graphs that need nested blossoms, and input errors. */
#include "pairing_test.h"

#include "rooms/matching.h"
#include "rooms/rng.h"

#include <stdlib.h>
#include <string.h>

#define NMAX 12

/* Checks mate is a matching using only present edges; returns its
 * cardinality and weight. */
static tp_score check_mate(int n, const int32_t *mate, const bool *present,
                           const int64_t *w)
{
    tp_score s = {0, 0, 0};
    for (int v = 0; v < n; v++) {
        if (mate[v] < 0)
            continue;
        assert_true(mate[v] < n);
        assert_int_equal(mate[mate[v]], v);
        assert_true(present[v * n + mate[v]]);
        if (v < mate[v]) {
            s.card++;
            s.soft += w[v * n + mate[v]];
        }
    }
    return s;
}

void test_matching_brute_force(void **state)
{
    (void)state;
    int checked = 0;
    for (uint64_t seed = 1; seed <= 600; seed++) {
        rng r;
        rng_seed(&r, seed);
        int n = 1 + (int)rng_below(&r, NMAX - 1); /* 1..11 */
        int density = 15 + (int)rng_below(&r, 86);
        int64_t wmax = rng_below(&r, 3) == 0 ? 3 : 1000; /* many ties */
        int64_t shift = rng_below(&r, 4) == 0 ? -wmax / 2 : 1;
        bool present[NMAX * NMAX] = {0};
        int64_t w[NMAX * NMAX] = {0};
        matching_edge edges[NMAX * NMAX];
        size_t m = 0;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                if ((int)rng_below(&r, 100) >= density)
                    continue;
                int64_t x = (int64_t)rng_below(&r, (uint64_t)wmax) + shift;
                present[i * n + j] = present[j * n + i] = true;
                w[i * n + j] = w[j * n + i] = x;
                edges[m++] = rng_below(&r, 2) ? (matching_edge){i, j, x}
                                              : (matching_edge){j, i, x};
            }
        for (int card = 0; card < 2; card++) {
            int32_t mate[NMAX];
            assert_int_equal(matching_solve((size_t)n, edges, m, card, mate),
                             MATCHING_OK);
            tp_score got = check_mate(n, mate, present, w);
            tp_score want = tp_brute_matching(n, present, NULL, w, card);
            if (card)
                assert_int_equal(got.card, want.card);
            assert_int_equal(got.soft, want.soft);
            checked++;
        }
    }
    assert_int_equal(checked, 1200);
}

void test_matching_errors(void **state)
{
    (void)state;
    int32_t mate[4] = {7, 7, 7, 7};
    matching_edge loop = {1, 1, 5}, out = {0, 4, 5}, neg = {-1, 2, 5};
    matching_edge heavy = {0, 1, MATCHING_WEIGHT_MAX + 1};
    assert_int_equal(matching_solve(4, &loop, 1, false, mate),
                     MATCHING_ERR_INVALID);
    assert_int_equal(matching_solve(4, &out, 1, false, mate),
                     MATCHING_ERR_INVALID);
    assert_int_equal(matching_solve(4, &neg, 1, false, mate),
                     MATCHING_ERR_INVALID);
    assert_int_equal(matching_solve(4, &heavy, 1, false, mate),
                     MATCHING_ERR_WEIGHT);
    assert_int_equal(matching_solve(4, NULL, 1, false, mate),
                     MATCHING_ERR_INVALID);
    assert_int_equal(matching_solve(4, NULL, 0, false, NULL),
                     MATCHING_ERR_INVALID);
    assert_int_equal(
        matching_solve(MATCHING_MAX_VERTICES + 1, NULL, 0, false, mate),
        MATCHING_ERR_TOO_BIG);
    assert_int_equal(matching_solve(0, NULL, 0, false, NULL), MATCHING_OK);
    assert_int_equal(matching_solve(4, NULL, 0, true, mate), MATCHING_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(mate[i], -1);
    /* A lone negative edge: skipped for weight, taken for cardinality. */
    matching_edge e = {0, 1, -3};
    assert_int_equal(matching_solve(2, &e, 1, false, mate), MATCHING_OK);
    assert_int_equal(mate[0], -1);
    assert_int_equal(matching_solve(2, &e, 1, true, mate), MATCHING_OK);
    assert_int_equal(mate[0], 1);
    assert_string_not_equal(matching_strerror(MATCHING_ERR_WEIGHT),
                            matching_strerror(MATCHING_ERR_INVALID));
}

static void expect(size_t n, const matching_edge *e, size_t m, bool card,
                   const int32_t *want)
{
    int32_t mate[16];
    assert_int_equal(matching_solve(n, e, m, card, mate), MATCHING_OK);
    for (size_t v = 0; v < n; v++)
        assert_int_equal(mate[v], want[v]);
}

void test_matching_blossoms(void **state)
{
    (void)state;
    /* A triangle with a pendant: the blossom's base must move. */
    matching_edge t1[] = {{0, 1, 6}, {0, 2, 10}, {1, 2, 5}, {1, 3, 4}};
    expect(4, t1, 4, false, (int32_t[]){2, 3, 0, 1});
    /* A 5-cycle whose best matching runs through its shrunk blossom into
     * two pendants; then a T-blossom that must expand mid-stage. */
    matching_edge t2[] = {{1, 2, 8}, {1, 3, 9}, {2, 3, 10},
                          {3, 4, 7}, {1, 6, 5}, {4, 5, 6}};
    expect(7, t2, 6, false, (int32_t[]){-1, 6, 3, 2, 5, 4, 1});
    matching_edge t3[] = {{1, 2, 23}, {1, 5, 22}, {1, 6, 15}, {2, 3, 25},
                          {3, 4, 22}, {4, 5, 25}, {4, 8, 14}, {5, 7, 13}};
    expect(9, t3, 8, false, (int32_t[]){-1, 6, 3, 2, 8, 7, 1, 5, 4});
    /* Nested S-blossoms, relabelled and expanded. */
    matching_edge t4[] = {{1, 2, 19}, {1, 3, 20}, {1, 8, 8},
                          {2, 3, 25}, {2, 4, 18}, {3, 5, 18},
                          {4, 5, 13}, {4, 7, 7},  {5, 6, 7}};
    expect(9, t4, 9, false, (int32_t[]){-1, 8, 3, 2, 7, 6, 5, 4, 1});
    /* Max-cardinality wins over weight on a path. */
    matching_edge p[] = {{0, 1, 1}, {1, 2, 10}, {2, 3, 1}};
    expect(4, p, 3, false, (int32_t[]){-1, 2, 1, -1});
    expect(4, p, 3, true, (int32_t[]){1, 0, 3, 2});
    /* Parallel edges: the heavier copy counts. */
    matching_edge par[] = {{0, 1, 2}, {1, 0, 9}, {1, 2, 5}};
    int32_t mate[3];
    assert_int_equal(matching_solve(3, par, 3, false, mate), MATCHING_OK);
    assert_int_equal(mate[0], 1);
}

void test_matching_large_perfect(void **state)
{
    (void)state;
    /* A complete graph on 120 vertices: max-cardinality must be perfect
     * and no better than the brute-force bound of pairing each vertex
     * with its own best neighbour; equal weights everywhere give any
     * perfect matching. */
    enum { N = 120 };
    size_t m = 0;
    matching_edge *e = malloc(N * N * sizeof(*e));
    int32_t mate[N];
    assert_non_null(e);
    rng r;
    rng_seed(&r, 7);
    int64_t bound = 0;
    int64_t best[N] = {0};
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++) {
            int64_t w = (int64_t)rng_below(&r, 1000);
            e[m++] = (matching_edge){i, j, w};
            best[i] = w > best[i] ? w : best[i];
            best[j] = w > best[j] ? w : best[j];
        }
    for (int i = 0; i < N; i++)
        bound += best[i];
    assert_int_equal(matching_solve(N, e, m, true, mate), MATCHING_OK);
    int64_t total = 0;
    for (size_t k = 0; k < m; k++)
        if (mate[e[k].u] == e[k].v)
            total += e[k].w;
    for (int i = 0; i < N; i++)
        assert_true(mate[i] >= 0 && mate[mate[i]] == i);
    assert_true(2 * total <= bound);
    /* The greedy matching is a lower bound for the optimum. */
    bool used[N] = {0};
    int64_t greedy = 0;
    for (int64_t w = 999; w >= 0; w--)
        for (size_t k = 0; k < m; k++)
            if (e[k].w == w && !used[e[k].u] && !used[e[k].v]) {
                used[e[k].u] = used[e[k].v] = true;
                greedy += w;
            }
    assert_true(total >= greedy);
    free(e);
}
