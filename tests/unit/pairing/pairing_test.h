/* pairing_test.h: helpers shared by the pairing unit tests, and the one
 * list of test functions (run by test_main.c). The brute-force oracle
 * enumerates every matching of a small graph (n <= 16). */
#ifndef KOPA_PAIRING_TEST_H
#define KOPA_PAIRING_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "rooms/pairing.h"

#define TP_BIT(t) (1u << (t))

/* Fills p: id, country ("" = unknown), comma-separated languages, and
 * the topics (bit masks of TP_BIT(PROFILE_TOPIC_*)) needed and offered. */
void tp_person(profile *p, const char *id, const char *country,
               const char *langs, unsigned needs, unsigned offers);

/* A request over people with the default weights. */
pairing_request tp_request(const profile *people, size_t n, pairing_mode mode,
                           uint32_t size, uint64_t seed);

/* Asserts the plan's structure: group_of agrees with the member lists,
 * nobody twice, reason slices in range and pointing at group members. */
void tp_check_plan(const pairing_plan *pl, const pairing_request *req);

/* Number of warnings (of the kind, for person when person >= 0). */
size_t tp_warnings(const pairing_plan *pl, pairing_warning_kind kind,
                   int32_t person);

/* True when group g has a reason of the kind with the given topic, a and
 * b (-2 matches anything). */
bool tp_has_reason(const pairing_plan *pl, size_t g, pairing_reason_kind k,
                   int32_t topic, int32_t a, int32_t b);

/* The best matching by brute force: present[i*n+j] says which pairs may
 * be matched; maximise (cardinality if by_card), then minimise the sum of
 * rep (may be NULL), then maximise the sum of soft. */
typedef struct tp_score {
    int64_t card, rep, soft;
} tp_score;
tp_score tp_brute_matching(int n, const bool *present, const int64_t *rep,
                           const int64_t *soft, bool by_card);

/* Tests (one list, run by test_main.c). */
void test_profile_keys(void **state);
void test_profile_setters(void **state);
void test_profile_setters_lists(void **state);
void test_profile_validate(void **state);
void test_profile_compare(void **state);
void test_matching_brute_force(void **state);
void test_matching_errors(void **state);
void test_matching_blossoms(void **state);
void test_matching_large_perfect(void **state);
void test_pairing_request_errors(void **state);
void test_pairing_reasons(void **state);
void test_pairing_optimal_small(void **state);
void test_pairing_language_respected(void **state);
void test_pairing_no_common_language(void **state);
void test_pairing_odd_counts(void **state);
void test_pairing_empty_profiles(void **state);
void test_pairing_determinism(void **state);
void test_pairing_random_seeds_differ(void **state);
void test_pairing_shared_interest(void **state);
void test_pairing_manual(void **state);
void test_pairing_edits(void **state);
void test_pairing_edit_full(void **state);
void test_groups_sizes(void **state);
void test_groups_languages(void **state);
void test_groups_leave_out(void **state);
void test_rounds_no_repeat_pairs(void **state);
void test_rounds_groups(void **state);
void test_history_basics(void **state);
void test_history_matrix_share(void **state);
void test_history_repeat_reason(void **state);

#endif
