/* test_main.c: runs the pairing unit tests (the list is in
 * pairing_test.h). */
#include "pairing_test.h"

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_keys),
        cmocka_unit_test(test_profile_setters),
        cmocka_unit_test(test_profile_setters_lists),
        cmocka_unit_test(test_profile_validate),
        cmocka_unit_test(test_profile_compare),
        cmocka_unit_test(test_matching_brute_force),
        cmocka_unit_test(test_matching_errors),
        cmocka_unit_test(test_matching_blossoms),
        cmocka_unit_test(test_matching_large_perfect),
        cmocka_unit_test(test_pairing_request_errors),
        cmocka_unit_test(test_pairing_reasons),
        cmocka_unit_test(test_pairing_optimal_small),
        cmocka_unit_test(test_pairing_language_respected),
        cmocka_unit_test(test_pairing_no_common_language),
        cmocka_unit_test(test_pairing_odd_counts),
        cmocka_unit_test(test_pairing_empty_profiles),
        cmocka_unit_test(test_pairing_determinism),
        cmocka_unit_test(test_pairing_random_seeds_differ),
        cmocka_unit_test(test_pairing_shared_interest),
        cmocka_unit_test(test_pairing_manual),
        cmocka_unit_test(test_pairing_edits),
        cmocka_unit_test(test_pairing_edit_full),
        cmocka_unit_test(test_groups_sizes),
        cmocka_unit_test(test_groups_languages),
        cmocka_unit_test(test_groups_leave_out),
        cmocka_unit_test(test_rounds_no_repeat_pairs),
        cmocka_unit_test(test_rounds_groups),
        cmocka_unit_test(test_history_basics),
        cmocka_unit_test(test_history_matrix_share),
        cmocka_unit_test(test_history_repeat_reason),
    };
    return cmocka_run_group_tests_name("unit_pairing", tests, NULL, NULL);
}
