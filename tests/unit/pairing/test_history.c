/* test_history.c: the pair history: counts and rounds, iteration, the
 * who-met-whom matrix, cross-country share, growth to many users, and the
 * repeat reason it feeds into plans. */
#include "pairing_test.h"

#include "rooms/rng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void test_history_basics(void **state)
{
    (void)state;
    profile a, b, c;
    tp_person(&a, "anna", "LV", "lv,en", 0, 0);
    tp_person(&b, "jonas", "SE", "sv,en", 0, 0);
    tp_person(&c, "kadri", "EE", "et,en", 0, 0);
    pairing_history *h = pairing_history_new();
    assert_non_null(h);
    assert_int_equal(pairing_history_size(h), 0);
    assert_int_equal(pairing_history_met(h, &a, &b, NULL), 0);
    assert_int_equal(pairing_history_add(h, &b, &a, 3, 3000), PAIRING_OK);
    assert_int_equal(pairing_history_add(h, &a, &b, 1, 1000), PAIRING_OK);
    assert_int_equal(pairing_history_add(h, &a, &c, 2, 2000), PAIRING_OK);
    assert_int_equal(pairing_history_add(h, &a, &a, 2, 2000),
                     PAIRING_ERR_INVALID);
    assert_int_equal(pairing_history_add(NULL, &a, &b, 2, 2000),
                     PAIRING_ERR_INVALID);
    assert_int_equal(pairing_history_size(h), 2);
    pairing_meeting m;
    assert_int_equal(pairing_history_met(h, &b, &a, &m), 2);
    assert_string_equal(m.a, "anna"); /* ordered ids */
    assert_string_equal(m.b, "jonas");
    assert_string_equal(m.country_a, "LV");
    assert_string_equal(m.country_b, "SE");
    assert_int_equal(m.first_round, 1);
    assert_int_equal(m.last_round, 3); /* the latest by time */
    assert_int_equal(m.last_at_ms, 3000);
    assert_int_equal(pairing_history_met(h, &b, &c, NULL), 0);
    assert_true(pairing_history_at(h, 1, &m));
    assert_string_equal(m.b, "kadri");
    assert_int_equal(m.count, 1);
    assert_false(pairing_history_at(h, 2, &m));
    pairing_history_free(h);
    pairing_history_free(NULL);
}

void test_history_matrix_share(void **state)
{
    (void)state;
    enum { U = 500 };
    static profile pp[U];
    static uint32_t want[U * U], got[U * U];
    static const char *const cc[] = {"SE", "EE", "LV", "LT", ""};
    for (int i = 0; i < U; i++) {
        char id[16];
        snprintf(id, sizeof(id), "user-%d", i);
        tp_person(&pp[i], id, cc[i % 5], "en", 0, 0);
    }
    pairing_history *h = pairing_history_new();
    assert_non_null(h);
    memset(want, 0, sizeof(want));
    rng r;
    rng_seed(&r, 5);
    uint64_t cross = 0, meetings = 0, unknown = 0;
    for (int k = 0; k < 20000; k++) {
        int a = (int)rng_below(&r, U), b = (int)rng_below(&r, U / 4);
        if (a == b)
            continue;
        assert_int_equal(pairing_history_add(h, &pp[a], &pp[b], k, k),
                         PAIRING_OK);
        want[a * U + b]++;
        want[b * U + a]++;
    }
    pairing_history_matrix(h, pp, U, got);
    assert_memory_equal(got, want, sizeof(want));
    size_t distinct = 0;
    for (int i = 0; i < U; i++)
        for (int j = i + 1; j < U; j++) {
            if (!want[i * U + j])
                continue;
            distinct++;
            if (!pp[i].country[0] || !pp[j].country[0]) {
                unknown++;
                continue;
            }
            meetings += want[i * U + j];
            cross += strcmp(pp[i].country, pp[j].country) != 0;
        }
    assert_int_equal(pairing_history_size(h), distinct);
    pairing_share s = pairing_history_share(h);
    assert_int_equal(s.pairs + s.unknown_pairs, distinct);
    assert_int_equal(s.unknown_pairs, unknown);
    assert_int_equal(s.cross_pairs, cross);
    assert_int_equal(s.meetings, meetings);
    assert_true(s.cross_meetings <= s.meetings);
    pairing_history_free(h);
}

void test_history_repeat_reason(void **state)
{
    (void)state;
    profile pp[2];
    tp_person(&pp[0], "anna", "LV", "lv,en", 0, 0);
    tp_person(&pp[1], "jonas", "SE", "sv,en", 0, 0);
    pairing_history *h = pairing_history_new();
    assert_non_null(h);
    assert_int_equal(pairing_history_add(h, &pp[0], &pp[1], 3, 777),
                     PAIRING_OK);
    pairing_request r = tp_request(pp, 2, PAIRING_MODE_COMPLEMENTARY, 2, 1);
    r.history = h;
    pairing_plan *pl = NULL;
    assert_int_equal(pairing_plan_make(&r, &pl), PAIRING_OK);
    tp_check_plan(pl, &r);
    assert_int_equal(pl->n_groups, 1); /* the only possible pair */
    const pairing_group *G = &pl->groups[0];
    const pairing_reason *rep = NULL;
    for (size_t i = 0; i < G->n_reasons; i++)
        if (pl->reasons[G->first_reason + i].kind == PAIRING_REASON_REPEAT)
            rep = &pl->reasons[G->first_reason + i];
    assert_non_null(rep);
    assert_int_equal(rep->met_count, 1);
    assert_int_equal(rep->last_round, 3); /* "met in month 3" */
    assert_int_equal(rep->last_at_ms, 777);
    assert_int_equal(tp_warnings(pl, PAIRING_WARN_REPEAT, 0), 1);
    assert_int_equal(G->score, pairing_pair_score(&r, 0, 1));
    assert_true(pairing_pair_score(&r, 0, 1) <
                150 + 0 - 50 + 10); /* cross + jitter - repeat */
    pairing_plan_free(pl);
    pairing_history_free(h);
}
