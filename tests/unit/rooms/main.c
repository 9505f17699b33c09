/* main.c: runs every test group of the rooms/ session core and fails when
 * any of them failed. */
#include "rooms_tests.h"

int main(void)
{
    int failed = 0;
    failed += run_perm_tests();
    failed += run_channel_tests();
    failed += run_dedup_tests();
    failed += run_session_tests();
    failed += run_agenda_round_tests();
    return failed == 0 ? 0 : 1;
}
