/* store_tests: the groups of the unit_store executable; main.c runs each
 * and fails if any fails. A new test file adds its group here and there. */
#ifndef KOPA_TESTS_STORE_STORE_TESTS_H
#define KOPA_TESTS_STORE_STORE_TESTS_H

/* Each returns the number of failed tests of its group. */
int redis_client_tests(void);
int breakout_store_tests(void);

#endif
