/* test_rounds.c: a 13-month programme: 30 entrepreneurs from Sweden,
 * Estonia, Latvia and Lithuania meet in monthly breakouts. Pairs never
 * repeat while a non-repeating maximum matching exists (checked by
 * running the matching on the graph of pairs that have not met). Prints
 * the cross-country share per round. */
#include "pairing_test.h"

#include "rooms/matching.h"
#include "rooms/rng.h"

#include <stdio.h>
#include <string.h>

enum { N = 30, ROUNDS = 13 };

/* 8 SE, 7 EE, 8 LV, 7 LT: own language and English; some Baltic people
 * also speak Russian. With `monolingual`, two Swedes and two Latvians
 * speak no English (one Latvian speaks Russian). */
static void cohort(profile *pp, uint64_t seed, bool monolingual)
{
    static const char *const cc[] = {"SE", "EE", "LV", "LT"};
    static const char *const own[] = {"sv", "et", "lv", "lt"};
    static const int count[] = {8, 7, 8, 7};
    rng r;
    rng_seed(&r, seed);
    int i = 0;
    for (int c = 0; c < 4; c++)
        for (int k = 0; k < count[c]; k++, i++) {
            char id[16], langs[16];
            bool ru = c > 0 && k % 2 == 1;
            bool no_en = monolingual && (c == 0 || c == 2) && k < 2;
            snprintf(id, sizeof(id), "%s-%d", cc[c], k);
            snprintf(langs, sizeof(langs), "%s%s%s", own[c], no_en ? "" : ",en",
                     ru || (no_en && c == 2 && k == 1) ? ",ru" : "");
            tp_person(&pp[i], id, cc[c], langs, (unsigned)rng_below(&r, 1024),
                      (unsigned)rng_below(&r, 1024));
        }
}

static size_t max_card(const profile *pp, const pairing_history *h,
                       bool fresh_only)
{
    matching_edge e[N * N];
    int32_t mate[N];
    size_t m = 0, card = 0;
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            if (profile_shared_language(&pp[i], &pp[j]) >= 0 &&
                (!fresh_only ||
                 pairing_history_met(h, &pp[i], &pp[j], NULL) == 0))
                e[m++] = (matching_edge){i, j, 1};
    assert_int_equal(matching_solve(N, e, m, true, mate), MATCHING_OK);
    for (int i = 0; i < N; i++)
        card += mate[i] > i;
    return card;
}

static void run_programme(uint64_t seed, bool monolingual)
{
    profile pp[N];
    cohort(pp, seed, monolingual);
    pairing_history *h = pairing_history_new();
    assert_non_null(h);
    printf("programme seed %llu%s: cross-country share per round:",
           (unsigned long long)seed, monolingual ? " (some monolingual)" : "");
    for (int round = 1; round <= ROUNDS; round++) {
        size_t all = max_card(pp, h, false), fresh = max_card(pp, h, true);
        pairing_request r = tp_request(pp, N, PAIRING_MODE_COMPLEMENTARY, 2,
                                       seed * 100 + (uint64_t)round);
        r.history = h;
        pairing_plan *pl = NULL;
        assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_OK);
        tp_check_plan(pl, &r);
        size_t pairs = 0, repeats = 0;
        for (size_t g = 0; g < pl->n_groups; g++) {
            const pairing_group *G = &pl->groups[g];
            int32_t a = G->members[0], b = G->members[1];
            if (profile_shared_language(&pp[a], &pp[b]) < 0)
                continue;
            pairs++;
            repeats += pairing_history_met(h, &pp[a], &pp[b], NULL) > 0;
        }
        assert_int_equal(pairs, all); /* as many pairs as possible */
        if (fresh == all)
            assert_int_equal(repeats, 0); /* avoidable, so avoided */
        assert_int_equal(tp_warnings(pl, PAIRING_WARN_REPEAT, -1), repeats);
        pairing_share s = pairing_plan_share(pl, pp);
        printf(" %llu/%llu", (unsigned long long)s.cross_pairs,
               (unsigned long long)s.pairs);
        assert_int_equal(pairing_history_add_plan(h, pl, pp, round,
                                                  (int64_t)round * 2629800000),
                         PAIRING_OK);
        pairing_plan_free(pl);
    }
    pairing_share s = pairing_history_share(h);
    printf("\n  total: %llu of %llu pairs cross-country (%.0f%%), %llu "
           "meetings, %llu distinct pairs\n",
           (unsigned long long)s.cross_pairs, (unsigned long long)s.pairs,
           100.0 * (double)s.cross_pairs / (double)s.pairs,
           (unsigned long long)s.meetings, (unsigned long long)s.pairs);
    if (!monolingual) {
        assert_int_equal(s.meetings, s.pairs); /* no pair met twice */
        assert_true(s.cross_pairs * 10 >= s.pairs * 7);
    }
    pairing_history_free(h);
}

void test_rounds_no_repeat_pairs(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 3; seed++)
        run_programme(seed, false);
    run_programme(4, true);
}

void test_rounds_groups(void **state)
{
    (void)state;
    profile pp[N];
    cohort(pp, 9, false);
    for (uint32_t size = 3; size <= 4; size++) {
        pairing_history *h = pairing_history_new();
        assert_non_null(h);
        printf("groups of %u, repeated pairs per round:", size);
        for (int round = 1; round <= ROUNDS; round++) {
            pairing_request r = tp_request(pp, N, PAIRING_MODE_COMPLEMENTARY,
                                           size, (uint64_t)round);
            r.history = h;
            pairing_plan *pl = NULL;
            assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_OK);
            tp_check_plan(pl, &r);
            for (size_t g = 0; g < pl->n_groups; g++) {
                assert_true(pl->groups[g].language_ok);
                assert_true(pl->groups[g].n_members >= size - 1 &&
                            pl->groups[g].n_members <= size + 1 &&
                            pl->groups[g].n_members <= 4);
            }
            size_t rep = tp_warnings(pl, PAIRING_WARN_REPEAT, -1);
            printf(" %zu", rep);
            if (round <= 3) /* plenty of fresh partners early on */
                assert_int_equal(rep, 0);
            assert_int_equal(pairing_history_add_plan(h, pl, pp, round, 0),
                             PAIRING_OK);
            pairing_plan_free(pl);
        }
        pairing_share s = pairing_history_share(h);
        printf("; cross-country %.0f%% of %llu distinct pairs\n",
               100.0 * (double)s.cross_pairs / (double)s.pairs,
               (unsigned long long)s.pairs);
        pairing_history_free(h);
    }
}
