/* test_pairing.c: the pair planner: request checks, structured reasons,
 * optimality against brute force, the language constraint, odd and empty
 * inputs, determinism, modes, manual plans and coordinator edits. */
#include "pairing_test.h"

#include "rooms/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIN TP_BIT(PROFILE_TOPIC_FINANCING)
#define INV TP_BIT(PROFILE_TOPIC_IMPACT_INVESTMENT)
#define VIS TP_BIT(PROFILE_TOPIC_VISIBILITY)
#define DIG TP_BIT(PROFILE_TOPIC_DIGITAL_TOOLS)
#define MKT TP_BIT(PROFILE_TOPIC_NEW_MARKETS)

static pairing_plan *make_ok(const pairing_request *req)
{
    pairing_plan *pl = NULL;
    assert_int_equal(pairing_plan_make(req, &pl), PAIRING_OK);
    tp_check_plan(pl, req);
    return pl;
}

void test_pairing_request_errors(void **state)
{
    (void)state;
    profile pp[3];
    tp_person(&pp[0], "a", "SE", "sv,en", 0, 0);
    tp_person(&pp[1], "b", "LV", "lv,en", 0, 0);
    tp_person(&pp[2], "a", "LT", "lt,en", 0, 0);
    pairing_plan *pl = (pairing_plan *)&pl;
    pairing_request r = tp_request(pp, 2, PAIRING_MODE_COMPLEMENTARY, 2, 1);
    assert_int_equal(pairing_plan_make(NULL, &pl), PAIRING_ERR_INVALID);
    assert_null(pl);
    assert_int_equal(pairing_plan_make(&r, NULL), PAIRING_ERR_INVALID);
    r.group_size = 5;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_INVALID);
    r.group_size = 1;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_INVALID);
    r = tp_request(pp, 2, PAIRING_MODE_COMPLEMENTARY, 2, 1);
    r.weights.repeat = -1;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_INVALID);
    r.weights.repeat = PAIRING_WEIGHT_MAX + 1;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_INVALID);
    r = tp_request(pp, 2, (pairing_mode)9, 2, 1);
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_INVALID);
    r = tp_request(pp, 2, PAIRING_MODE_MANUAL, 2, 1);
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_INVALID);
    r = tp_request(pp, 3, PAIRING_MODE_COMPLEMENTARY, 2, 1);
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_DUPLICATE);
    r = tp_request(pp, PAIRING_MAX_PEOPLE + 1, PAIRING_MODE_RANDOM, 2, 1);
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_TOO_MANY);
    strcpy(pp[1].country, "l");
    r = tp_request(pp, 2, PAIRING_MODE_COMPLEMENTARY, 2, 1);
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_PROFILE);
    assert_null(pl);
    assert_string_not_equal(pairing_strerror(PAIRING_ERR_PROFILE),
                            pairing_strerror(PAIRING_ERR_DUPLICATE));
    assert_string_equal(pairing_strerror((pairing_error)99), "unknown error");
    pairing_plan_free(NULL);
}

void test_pairing_reasons(void **state)
{
    (void)state;
    profile pp[2];
    tp_person(&pp[0], "anna", "LV", "lv,en,ru", INV, VIS);
    tp_person(&pp[1], "jonas", "SE", "sv,en", VIS, INV);
    pairing_request r = tp_request(pp, 2, PAIRING_MODE_COMPLEMENTARY, 2, 5);
    pairing_plan *pl = make_ok(&r);
    assert_int_equal(pl->n_groups, 1);
    const pairing_group *G = &pl->groups[0];
    assert_int_equal(G->n_members, 2);
    assert_true(G->language_ok);
    assert_string_equal(G->language, "en");
    assert_true(
        tp_has_reason(pl, 0, PAIRING_REASON_SHARED_LANGUAGE, -1, -1, -1));
    assert_string_equal(pl->reasons[G->first_reason].language, "en");
    assert_true(tp_has_reason(pl, 0, PAIRING_REASON_CROSS_COUNTRY, -1, -2, -2));
    /* "Anna needs impact investors; Jonas offers it", and back. */
    assert_true(tp_has_reason(pl, 0, PAIRING_REASON_COMPLEMENT,
                              PROFILE_TOPIC_IMPACT_INVESTMENT, 0, 1));
    assert_true(tp_has_reason(pl, 0, PAIRING_REASON_COMPLEMENT,
                              PROFILE_TOPIC_VISIBILITY, 1, 0));
    assert_false(tp_has_reason(pl, 0, PAIRING_REASON_COMPLEMENT,
                               PROFILE_TOPIC_IMPACT_INVESTMENT, 1, 0));
    assert_false(tp_has_reason(pl, 0, PAIRING_REASON_REPEAT, -2, -2, -2));
    int64_t s = pairing_pair_score(&r, 0, 1);
    assert_true(s >= 2 * 100 + 150 && s < 2 * 100 + 150 + 10);
    assert_int_equal(G->score, s);
    assert_int_equal(pl->total_score, s);
    assert_int_equal(pl->n_warnings, 0);
    pairing_share sh = pairing_plan_share(pl, pp);
    assert_int_equal(sh.pairs, 1);
    assert_int_equal(sh.cross_pairs, 1);
    pairing_plan_free(pl);
}

/* Random people: four countries, own language plus maybe en / ru, random
 * needs and offers. Sparse languages when `sparse`. */
static void random_people(rng *r, profile *pp, int n, bool sparse)
{
    static const char *const cc[] = {"SE", "EE", "LV", "LT"};
    static const char *const own[] = {"sv", "et", "lv", "lt"};
    for (int i = 0; i < n; i++) {
        char id[16], langs[32];
        int c = (int)rng_below(r, 4);
        snprintf(id, sizeof(id), "p%02d", i);
        snprintf(langs, sizeof(langs), "%s%s%s", own[c],
                 rng_below(r, 100) < (sparse ? 35u : 85u) ? ",en" : "",
                 rng_below(r, 100) < 25 ? ",ru" : "");
        tp_person(&pp[i], id, cc[c], langs, (unsigned)rng_below(r, 1024),
                  (unsigned)rng_below(r, 1024));
    }
}

static bool share_lang(const profile *pp, int a, int b)
{
    return profile_shared_language(&pp[a], &pp[b]) >= 0;
}

/* The matched pairs of a LEAVE_OUT plan (first two members of each
 * group), scored as (count, repeated pairs, soft total). */
static tp_score plan_pairs_score(const pairing_plan *pl,
                                 const pairing_request *r)
{
    tp_score s = {0, 0, 0};
    for (size_t g = 0; g < pl->n_groups; g++) {
        int32_t a = pl->groups[g].members[0], b = pl->groups[g].members[1];
        assert_true(pl->groups[g].n_members >= 2);
        assert_true(share_lang(r->people, a, b));
        s.card++;
        s.rep += pairing_history_met(r->history, &r->people[a], &r->people[b],
                                     NULL) > 0;
        s.soft += pairing_pair_score(r, a, b);
    }
    return s;
}

void test_pairing_optimal_small(void **state)
{
    (void)state;
    enum { N = 10 };
    int runs = 0;
    for (uint64_t seed = 1; seed <= 300; seed++) {
        rng r;
        rng_seed(&r, seed * 7919);
        int n = 2 + (int)rng_below(&r, N - 1);
        profile pp[N];
        random_people(&r, pp, n, seed % 3 == 0);
        pairing_history *h = pairing_history_new();
        assert_non_null(h);
        for (int k = (int)rng_below(&r, (uint64_t)n * 2); k > 0; k--) {
            int a = (int)rng_below(&r, (uint64_t)n),
                b = (int)rng_below(&r, (uint64_t)n);
            if (a != b)
                assert_int_equal(
                    pairing_history_add(h, &pp[a], &pp[b], k, k * 1000),
                    PAIRING_OK);
        }
        pairing_mode mode = (pairing_mode)(seed % 3);
        pairing_request req = tp_request(pp, (size_t)n, mode, 2, seed);
        req.history = h;
        req.unplaced = PAIRING_UNPLACED_LEAVE_OUT;
        req.weights.strict_no_repeat = seed % 4 != 0;
        bool present[N * N];
        int64_t rep[N * N], soft[N * N];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                present[i * n + j] = i != j && share_lang(pp, i, j);
                rep[i * n + j] =
                    req.weights.strict_no_repeat &&
                    pairing_history_met(h, &pp[i], &pp[j], NULL) > 0;
                soft[i * n + j] = pairing_pair_score(&req, i, j);
            }
        pairing_plan *pl = make_ok(&req);
        tp_score got = plan_pairs_score(pl, &req);
        tp_score want = tp_brute_matching(n, present, rep, soft, true);
        assert_int_equal(got.card, want.card);
        if (req.weights.strict_no_repeat)
            assert_int_equal(got.rep, want.rep);
        assert_int_equal(got.soft, want.soft);
        pairing_plan_free(pl);
        pairing_history_free(h);
        runs++;
    }
    assert_int_equal(runs, 300);
}

void test_pairing_language_respected(void **state)
{
    (void)state;
    enum { N = 12 };
    for (uint64_t seed = 1; seed <= 200; seed++) {
        rng r;
        rng_seed(&r, seed);
        int n = 2 + (int)rng_below(&r, N - 1);
        profile pp[N];
        random_people(&r, pp, n, true);
        pairing_request req =
            tp_request(pp, (size_t)n, PAIRING_MODE_COMPLEMENTARY, 2, seed);
        pairing_plan *pl = make_ok(&req);
        bool present[N * N];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                present[i * n + j] = i != j && share_lang(pp, i, j);
        int64_t pairs = 0;
        for (size_t g = 0; g < pl->n_groups; g++) {
            const pairing_group *G = &pl->groups[g];
            pairs += share_lang(pp, G->members[0], G->members[1]);
            for (uint32_t i = 0; G->language_ok && i < G->n_members; i++) {
                const profile *p = &pp[G->members[i]];
                bool ok = false;
                for (unsigned l = 0; l < p->n_languages; l++)
                    ok |= strcmp(p->languages[l], G->language) == 0;
                assert_true(ok);
            }
            assert_int_equal(!G->language_ok,
                             tp_has_reason(pl, g,
                                           PAIRING_REASON_NO_COMMON_LANGUAGE,
                                           -1, -2, -1));
        }
        /* As many language-sharing pairs as the best matching has. */
        assert_int_equal(pairs,
                         tp_brute_matching(n, present, NULL, NULL, true).card);
        /* Everyone warned shares no language with anyone else warned. */
        for (size_t i = 0; i < pl->n_warnings; i++)
            for (size_t j = 0; j < pl->n_warnings; j++) {
                const pairing_warning *a = &pl->warnings[i],
                                      *b = &pl->warnings[j];
                if (a->kind == PAIRING_WARN_NO_COMMON_LANGUAGE &&
                    b->kind == PAIRING_WARN_NO_COMMON_LANGUAGE &&
                    a->person != b->person)
                    assert_false(share_lang(pp, a->person, b->person));
            }
        /* Nobody is left out under the least-bad policy. */
        for (int i = 0; i < n; i++)
            assert_true(pl->group_of[i] >= 0);
        pairing_plan_free(pl);
    }
}

void test_pairing_no_common_language(void **state)
{
    (void)state;
    profile pp[3];
    tp_person(&pp[0], "sv1", "SE", "sv", FIN, 0);
    tp_person(&pp[1], "lv1", "LV", "lv", 0, FIN);
    pairing_request r = tp_request(pp, 2, PAIRING_MODE_COMPLEMENTARY, 2, 1);
    pairing_plan *pl = make_ok(&r);
    assert_int_equal(pl->n_groups, 1);
    assert_false(pl->groups[0].language_ok);
    assert_string_equal(pl->groups[0].language, "");
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, -1), 1);
    /* One of the two is named as not speaking the group's language. */
    int32_t who = tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, 1) ? 1 : 0;
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, who), 1);
    assert_true(
        tp_has_reason(pl, 0, PAIRING_REASON_NO_COMMON_LANGUAGE, -1, who, -1));
    pairing_plan_free(pl);

    r.unplaced = PAIRING_UNPLACED_LEAVE_OUT;
    pl = make_ok(&r);
    assert_int_equal(pl->n_groups, 0);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_UNASSIGNED, -1), 2);
    assert_int_equal(pl->warnings[0].cause, PAIRING_CAUSE_NO_COMMON_LANGUAGE);
    pairing_plan_free(pl);

    /* Two English speakers and a Swedish-only one: the pair stays, the
     * third joins it with a warning, or is left out. */
    tp_person(&pp[0], "en1", "LV", "en", 0, 0);
    tp_person(&pp[1], "en2", "LT", "lt,en", 0, 0);
    tp_person(&pp[2], "sv1", "SE", "sv", 0, 0);
    r = tp_request(pp, 3, PAIRING_MODE_COMPLEMENTARY, 2, 1);
    pl = make_ok(&r);
    assert_int_equal(pl->n_groups, 1);
    assert_int_equal(pl->groups[0].n_members, 3);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, 2), 1);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, -1), 1);
    pairing_plan_free(pl);
    r.unplaced = PAIRING_UNPLACED_LEAVE_OUT;
    pl = make_ok(&r);
    assert_int_equal(pl->n_groups, 1);
    assert_int_equal(pl->groups[0].n_members, 2);
    assert_true(pl->groups[0].language_ok);
    assert_int_equal(pl->group_of[2], -1);
    assert_int_equal(pl->cause[2], PAIRING_CAUSE_NO_COMMON_LANGUAGE);
    pairing_plan_free(pl);
}

void test_pairing_odd_counts(void **state)
{
    (void)state;
    profile pp[31];
    rng r;
    rng_seed(&r, 3);
    random_people(&r, pp, 31, false);
    for (int i = 0; i < 31; i++) { /* everyone speaks English */
        profile_error e = profile_add_language(&pp[i], "en", 2);
        assert_true(e == PROFILE_OK || e == PROFILE_ERR_LANG_DUP);
    }
    int sizes[] = {3, 5, 7, 9, 31};
    for (int k = 0; k < 5; k++) {
        pairing_request req =
            tp_request(pp, (size_t)sizes[k], PAIRING_MODE_COMPLEMENTARY, 2, 9);
        pairing_plan *pl = make_ok(&req);
        int threes = 0;
        for (size_t g = 0; g < pl->n_groups; g++) {
            const pairing_group *G = &pl->groups[g];
            assert_true(G->n_members == 2 || G->n_members == 3);
            if (G->n_members == 3) {
                threes++;
                assert_true(tp_has_reason(pl, g, PAIRING_REASON_ODD_COUNT, -1,
                                          G->members[2], -1));
            }
            assert_true(G->language_ok);
        }
        assert_int_equal(threes, 1);
        assert_int_equal(pl->n_groups, (size_t)sizes[k] / 2);
        assert_int_equal(pl->n_warnings, 0);
        pairing_plan_free(pl);
    }
    pairing_request one = tp_request(pp, 1, PAIRING_MODE_RANDOM, 2, 1);
    pairing_plan *pl = make_ok(&one);
    assert_int_equal(pl->n_groups, 0);
    assert_int_equal(pl->n_warnings, 1);
    assert_int_equal(pl->warnings[0].kind, PAIRING_WARN_UNASSIGNED);
    assert_int_equal(pl->warnings[0].cause, PAIRING_CAUSE_ALONE);
    pairing_plan_free(pl);
    pairing_request none = tp_request(NULL, 0, PAIRING_MODE_RANDOM, 3, 1);
    pl = make_ok(&none);
    assert_int_equal(pl->n_groups, 0);
    assert_int_equal(pl->n_warnings, 0);
    pairing_plan_free(pl);
}

void test_pairing_empty_profiles(void **state)
{
    (void)state;
    profile pp[6];
    for (int i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof(id), "e%d", i);
        tp_person(&pp[i], id, "", "", 0, 0);
    }
    for (uint32_t size = 2; size <= 4; size++) {
        pairing_request r =
            tp_request(pp, 6, PAIRING_MODE_COMPLEMENTARY, size, 1);
        pairing_plan *pl = make_ok(&r);
        assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_LANGUAGES, -1), 6);
        assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, -1),
                         6);
        for (int i = 0; i < 6; i++)
            assert_true(pl->group_of[i] >= 0);
        for (size_t g = 0; g < pl->n_groups; g++) {
            assert_true(pl->groups[g].n_members >= 2);
            assert_false(pl->groups[g].language_ok);
        }
        pairing_plan_free(pl);
        r.unplaced = PAIRING_UNPLACED_LEAVE_OUT;
        pl = make_ok(&r);
        assert_int_equal(pl->n_groups, 0);
        assert_int_equal(tp_warnings(pl, PAIRING_WARN_UNASSIGNED, -1), 6);
        pairing_plan_free(pl);
    }
}

static bool same_plan(const pairing_plan *a, const pairing_plan *b)
{
    if (a->n_groups != b->n_groups || a->n_reasons != b->n_reasons ||
        a->n_warnings != b->n_warnings || a->total_score != b->total_score)
        return false;
    for (size_t g = 0; g < a->n_groups; g++)
        if (memcmp(&a->groups[g], &b->groups[g], sizeof(a->groups[g])) != 0)
            return false;
    return memcmp(a->reasons, b->reasons, a->n_reasons * sizeof(*a->reasons)) ==
               0 &&
           memcmp(a->group_of, b->group_of,
                  a->n_people * sizeof(*a->group_of)) == 0;
}

void test_pairing_determinism(void **state)
{
    (void)state;
    profile pp[40];
    rng r;
    rng_seed(&r, 11);
    random_people(&r, pp, 40, true);
    for (int mode = 0; mode < 3; mode++)
        for (uint32_t size = 2; size <= 4; size++) {
            pairing_request req =
                tp_request(pp, 40, (pairing_mode)mode, size, 1234);
            pairing_plan *a = make_ok(&req), *b = make_ok(&req);
            assert_true(same_plan(a, b));
            pairing_plan_free(a);
            pairing_plan_free(b);
        }
}

void test_pairing_random_seeds_differ(void **state)
{
    (void)state;
    profile pp[20];
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof(id), "r%d", i);
        tp_person(&pp[i], id, i % 2 ? "SE" : "LV", "en", FIN, VIS);
    }
    pairing_plan *first = NULL;
    int differ = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        pairing_request req = tp_request(pp, 20, PAIRING_MODE_RANDOM, 2, seed);
        pairing_plan *pl = make_ok(&req);
        assert_int_equal(pl->n_groups, 10);
        for (size_t g = 0; g < pl->n_groups; g++) {
            assert_true(
                tp_has_reason(pl, g, PAIRING_REASON_RANDOM, -1, -1, -1));
            assert_false(
                tp_has_reason(pl, g, PAIRING_REASON_COMPLEMENT, -2, -2, -2));
        }
        if (first == NULL) {
            first = pl;
            continue;
        }
        differ +=
            memcmp(first->group_of, pl->group_of, 20 * sizeof(int32_t)) != 0;
        pairing_plan_free(pl);
    }
    assert_true(differ >= 5);
    pairing_plan_free(first);
}

void test_pairing_shared_interest(void **state)
{
    (void)state;
    profile pp[4];
    tp_person(&pp[0], "a", "SE", "en", FIN | DIG, 0);
    tp_person(&pp[1], "b", "SE", "en", MKT, 0);
    tp_person(&pp[2], "c", "SE", "en", 0, FIN | DIG);
    tp_person(&pp[3], "d", "SE", "en", MKT, 0);
    pairing_request r = tp_request(pp, 4, PAIRING_MODE_SHARED_INTEREST, 2, 1);
    pairing_plan *pl = make_ok(&r);
    assert_int_equal(pl->group_of[0], pl->group_of[2]);
    assert_int_equal(pl->group_of[1], pl->group_of[3]);
    size_t g = (size_t)pl->group_of[0];
    assert_true(tp_has_reason(pl, g, PAIRING_REASON_SHARED_INTEREST,
                              PROFILE_TOPIC_DIGITAL_TOOLS, -2, -2));
    assert_true(tp_has_reason(pl, g, PAIRING_REASON_SAME_COUNTRY, -1, -2, -2));
    pairing_plan_free(pl);
    /* Complementary mode pairs the one who needs with the one who offers
     * (a-c again here, b-d left together). */
    r.mode = PAIRING_MODE_COMPLEMENTARY;
    pl = make_ok(&r);
    assert_int_equal(pl->group_of[0], pl->group_of[2]);
    g = (size_t)pl->group_of[0];
    assert_true(tp_has_reason(pl, g, PAIRING_REASON_COMPLEMENT,
                              PROFILE_TOPIC_FINANCING, 0, 2));
    pairing_plan_free(pl);
}

void test_pairing_manual(void **state)
{
    (void)state;
    profile pp[20];
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof(id), "m%d", i);
        tp_person(&pp[i], id, "EE", i == 4 ? "et" : "et,en", 0, 0);
    }
    int32_t manual[20] = {0, 0, 1, 1, 1, -1};
    for (int i = 6; i < 20; i++)
        manual[i] = 2;
    pairing_request r = tp_request(pp, 6, PAIRING_MODE_MANUAL, 2, 1);
    r.manual = manual;
    pairing_plan *pl = make_ok(&r);
    assert_int_equal(pl->n_groups, 2);
    assert_int_equal(pl->groups[1].n_members, 3);
    assert_true(pl->groups[1].language_ok); /* everyone speaks et */
    assert_string_equal(pl->groups[1].language, "et");
    assert_true(tp_has_reason(pl, 0, PAIRING_REASON_MANUAL, -1, -1, -1));
    assert_false(tp_has_reason(pl, 1, PAIRING_REASON_ODD_COUNT, -2, -2, -2));
    assert_int_equal(pl->group_of[5], -1);
    assert_int_equal(pl->cause[5], PAIRING_CAUSE_MANUAL);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_UNASSIGNED, 5), 1);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_GROUP_SIZE, -1), 0);
    pairing_plan_free(pl);
    /* 14 in one manual group: allowed, with a size warning. */
    r.n_people = 20;
    pl = make_ok(&r);
    assert_int_equal(pl->groups[2].n_members, 14);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_GROUP_SIZE, -1), 1);
    pairing_plan_free(pl);
    manual[0] = 20;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_MANUAL);
    manual[0] = -2;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_MANUAL);
    for (int i = 0; i < 20; i++)
        manual[i] = 0; /* 20 > PAIRING_GROUP_MAX */
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_ERR_MANUAL);
    assert_null(pl);
}

void test_pairing_edits(void **state)
{
    (void)state;
    profile pp[6];
    tp_person(&pp[0], "a", "SE", "sv,en", FIN, 0);
    tp_person(&pp[1], "b", "LV", "lv,en", 0, FIN);
    tp_person(&pp[2], "c", "EE", "et,en", VIS, 0);
    tp_person(&pp[3], "d", "LT", "lt,en", 0, VIS);
    tp_person(&pp[4], "s1", "SE", "sv", 0, 0);
    tp_person(&pp[5], "s2", "SE", "sv", 0, 0);
    pairing_request r = tp_request(pp, 6, PAIRING_MODE_COMPLEMENTARY, 2, 1);
    pairing_plan *pl = make_ok(&r);
    assert_int_equal(pl->n_groups, 3);
    assert_int_equal(pl->group_of[4], pl->group_of[5]);
    assert_int_equal(pl->group_of[0], pl->group_of[1]);
    int32_t gs = pl->group_of[4], gab = pl->group_of[0];
    assert_int_equal(pl->n_warnings, 0);

    /* Swap a Swedish-only speaker with b: both groups keep Swedish or
     * English... a-s1 speak sv; b-s2 share nothing. */
    assert_int_equal(pairing_plan_swap(pl, &r, 4, 1), PAIRING_OK);
    tp_check_plan(pl, &r);
    assert_int_equal(pl->group_of[4], gab);
    assert_int_equal(pl->group_of[1], gs);
    assert_string_equal(pl->groups[gab].language, "sv");
    assert_false(pl->groups[gs].language_ok);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, -1), 1);
    assert_false(
        tp_has_reason(pl, (size_t)gab, PAIRING_REASON_COMPLEMENT, -2, -2, -2));
    /* Swap back: the reasons come back. */
    assert_int_equal(pairing_plan_swap(pl, &r, 4, 1), PAIRING_OK);
    assert_true(tp_has_reason(pl, (size_t)gab, PAIRING_REASON_COMPLEMENT,
                              PROFILE_TOPIC_FINANCING, 0, 1));
    assert_int_equal(pl->n_warnings, 0);

    /* Move s1 into a's group: a group of three, all warned properly. */
    assert_int_equal(pairing_plan_move(pl, &r, 4, gab), PAIRING_OK);
    tp_check_plan(pl, &r);
    assert_int_equal(pl->groups[gab].n_members, 3);
    assert_false(pl->groups[gab].language_ok);
    /* a, b speak en; a, s1 speak sv: one of b, s1 is warned. */
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, -1), 1);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_NO_COMMON_LANGUAGE, 0), 0);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_GROUP_SIZE, -1), 1);
    /* Unassign, then open a new group with s1 in it. */
    assert_int_equal(pairing_plan_move(pl, &r, 4, -1), PAIRING_OK);
    assert_int_equal(pl->cause[4], PAIRING_CAUSE_MANUAL);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_UNASSIGNED, 4), 1);
    size_t before = pl->n_groups;
    assert_int_equal(pairing_plan_move(pl, &r, 4, (int32_t)before), PAIRING_OK);
    assert_int_equal(pl->n_groups, before + 1);
    assert_int_equal(pl->group_of[4], (int32_t)before);
    assert_int_equal(pl->cause[4], PAIRING_CAUSE_NONE);
    tp_check_plan(pl, &r);
    /* Swap with an unassigned person moves the "unassigned" over. */
    assert_int_equal(pairing_plan_move(pl, &r, 5, -1), PAIRING_OK);
    assert_int_equal(pairing_plan_swap(pl, &r, 5, 0), PAIRING_OK);
    assert_int_equal(pl->group_of[0], -1);
    assert_int_equal(pl->group_of[5], gab);
    tp_check_plan(pl, &r);
    /* Bad arguments leave the plan alone. */
    assert_int_equal(pairing_plan_move(pl, &r, 6, 0), PAIRING_ERR_INVALID);
    assert_int_equal(pairing_plan_move(pl, &r, 1, -2), PAIRING_ERR_INVALID);
    assert_int_equal(pairing_plan_move(pl, &r, 1, (int32_t)pl->n_groups + 1),
                     PAIRING_ERR_INVALID);
    assert_int_equal(pairing_plan_swap(pl, &r, -1, 0), PAIRING_ERR_INVALID);
    assert_int_equal(pairing_plan_move(NULL, &r, 1, 0), PAIRING_ERR_INVALID);
    pairing_plan_free(pl);
}

void test_pairing_edit_full(void **state)
{
    (void)state;
    /* A full manual group refuses one more. */
    profile many[PAIRING_GROUP_MAX + 1];
    int32_t manual[PAIRING_GROUP_MAX + 1];
    for (int i = 0; i <= PAIRING_GROUP_MAX; i++) {
        char id[16];
        snprintf(id, sizeof(id), "f%d", i);
        tp_person(&many[i], id, "LT", "lt", 0, 0);
        manual[i] = i < PAIRING_GROUP_MAX ? 0 : -1;
    }
    pairing_request r =
        tp_request(many, PAIRING_GROUP_MAX + 1, PAIRING_MODE_MANUAL, 4, 1);
    r.manual = manual;
    pairing_plan *pl = make_ok(&r);
    assert_int_equal(pairing_plan_move(pl, &r, PAIRING_GROUP_MAX, 0),
                     PAIRING_ERR_FULL);
    assert_int_equal(pl->group_of[PAIRING_GROUP_MAX], -1);
    pairing_plan_free(pl);
}
