/* test_groups.c: groups of 3 and 4: balanced sizes, the language
 * constraint under local search, and the leave-out policy. */
#include "pairing_test.h"

#include <stdio.h>
#include <string.h>

static void everyone(profile *pp, int n, const char *langs)
{
    static const char *const cc[] = {"SE", "EE", "LV", "LT"};
    for (int i = 0; i < n; i++) {
        char id[16];
        snprintf(id, sizeof(id), "g%d", i);
        tp_person(&pp[i], id, cc[i % 4], langs, 0, 0);
    }
}

void test_groups_sizes(void **state)
{
    (void)state;
    profile pp[41];
    everyone(pp, 41, "en");
    for (uint32_t size = 3; size <= 4; size++)
        for (int n = 2; n <= 41; n++) {
            pairing_request r = tp_request(
                pp, (size_t)n, PAIRING_MODE_COMPLEMENTARY, size, (uint64_t)n);
            pairing_plan *pl = NULL;
            assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_OK);
            tp_check_plan(pl, &r);
            uint32_t lo = 99, hi = 0;
            for (size_t g = 0; g < pl->n_groups; g++) {
                uint32_t k = pl->groups[g].n_members;
                lo = k < lo ? k : lo;
                hi = k > hi ? k : hi;
                assert_true(pl->groups[g].language_ok);
                assert_false(
                    tp_has_reason(pl, g, PAIRING_REASON_ODD_COUNT, -2, -2, -2));
            }
            for (int i = 0; i < n; i++)
                assert_true(pl->group_of[i] >= 0);
            assert_true(lo >= 2 && hi <= 4);
            assert_true(hi - lo <= 1); /* equal people: balance decides */
            if (n >= 8)                /* close to the asked size */
                assert_true(lo >= size - 1 && hi <= size + 1);
            assert_int_equal(pl->n_warnings, 0);
            pairing_plan_free(pl);
        }
}

static bool speaks_all(const profile *pp, const pairing_group *G,
                       const char *lang)
{
    for (uint32_t i = 0; i < G->n_members; i++) {
        const profile *p = &pp[G->members[i]];
        bool ok = false;
        for (unsigned l = 0; l < p->n_languages; l++)
            ok |= strcmp(p->languages[l], lang) == 0;
        if (!ok)
            return false;
    }
    return true;
}

void test_groups_languages(void **state)
{
    (void)state;
    /* 8 Swedish-only, 8 Latvian-only and 4 who speak both: groups of 4
     * with a common language exist, so every group must have one. */
    profile pp[20];
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof(id), "x%d", i);
        const char *langs = i < 8 ? "sv" : i < 16 ? "lv" : "sv,lv,en";
        tp_person(&pp[i], id, i < 8 ? "SE" : "LV", langs, (unsigned)i * 37u,
                  (unsigned)i * 91u);
    }
    for (uint32_t size = 3; size <= 4; size++)
        for (uint64_t seed = 1; seed <= 20; seed++) {
            pairing_request r =
                tp_request(pp, 20, (pairing_mode)(seed % 3), size, seed);
            pairing_plan *pl = NULL;
            assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_OK);
            tp_check_plan(pl, &r);
            for (size_t g = 0; g < pl->n_groups; g++) {
                assert_true(pl->groups[g].language_ok);
                assert_true(
                    speaks_all(pp, &pl->groups[g], pl->groups[g].language));
            }
            assert_int_equal(
                tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, -1), 0);
            pairing_plan_free(pl);
        }
    /* 5 Swedish-only and 3 English-only in groups of 3: sizes 3+2 and 3
     * keep everyone with a language; in groups of 4 (4+4) it cannot. */
    for (int i = 0; i < 8; i++) {
        char id[16];
        snprintf(id, sizeof(id), "z%d", i);
        tp_person(&pp[i], id, i < 5 ? "SE" : "EE", i < 5 ? "sv" : "en", 0, 0);
    }
    pairing_request r = tp_request(pp, 8, PAIRING_MODE_COMPLEMENTARY, 3, 4);
    pairing_plan *pl = NULL;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_OK);
    for (size_t g = 0; g < pl->n_groups; g++)
        assert_true(pl->groups[g].language_ok);
    pairing_plan_free(pl);
    r.group_size = 4;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_OK);
    tp_check_plan(pl, &r);
    assert_int_equal(pl->n_groups, 2);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, -1), 1);
    for (int i = 0; i < 8; i++)
        assert_true(pl->group_of[i] >= 0);
    pairing_plan_free(pl);
}

void test_groups_leave_out(void **state)
{
    (void)state;
    profile pp[8];
    for (int i = 0; i < 8; i++) {
        char id[16];
        snprintf(id, sizeof(id), "y%d", i);
        tp_person(&pp[i], id, i < 5 ? "SE" : "EE", i < 5 ? "sv" : "en", 0, 0);
    }
    pairing_request r = tp_request(pp, 8, PAIRING_MODE_COMPLEMENTARY, 4, 4);
    r.unplaced = PAIRING_UNPLACED_LEAVE_OUT;
    pairing_plan *pl = NULL;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_OK);
    tp_check_plan(pl, &r);
    /* The Swedish speaker among the English ones is left out. */
    int out = 0;
    for (int i = 0; i < 8; i++)
        if (pl->group_of[i] < 0) {
            out++;
            assert_true(i < 5);
            assert_int_equal(pl->cause[i], PAIRING_CAUSE_NO_COMMON_LANGUAGE);
        }
    assert_int_equal(out, 1);
    for (size_t g = 0; g < pl->n_groups; g++)
        assert_true(pl->groups[g].language_ok);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_UNASSIGNED, -1), 1);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, -1), 0);
    pairing_plan_free(pl);
}
