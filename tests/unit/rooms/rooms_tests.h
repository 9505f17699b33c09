/* The test groups of unit_rooms (main.c runs them all). */
#ifndef KOPA_TEST_ROOMS_H
#define KOPA_TEST_ROOMS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

int run_perm_tests(void);
int run_channel_tests(void);
int run_dedup_tests(void);
int run_session_tests(void);
int run_agenda_round_tests(void);

#endif
