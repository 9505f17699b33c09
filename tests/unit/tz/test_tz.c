/* Unit tests for rooms/tz: which names have the shape of IANA zones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "rooms/tz.h"

static void test_accepts_real_zones(void **st)
{
    (void)st;
    static const char *const good[] = {"UTC",
                                       "Europe/Stockholm",
                                       "Europe/Tallinn",
                                       "Europe/Riga",
                                       "Europe/Vilnius",
                                       "Etc/GMT+2",
                                       "Etc/GMT-14",
                                       "EST5EDT",
                                       "America/Port-au-Prince",
                                       "America/Argentina/Buenos_Aires",
                                       "America/North_Dakota/New_Salem",
                                       "Antarctica/DumontDUrville",
                                       "America/Argentina/ComodRivadavia"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(tz_name_valid(good[i]));
}

static void test_rejects_other_shapes(void **st)
{
    (void)st;
    static const char *const bad[] = {"",
                                      "/",
                                      "/Europe",
                                      "Europe/",
                                      "Europe//Riga",
                                      "../etc/passwd",
                                      "Europe/../Riga",
                                      "Europe/.hidden",
                                      "Europe/Riga ",
                                      " UTC",
                                      "Europe/Ri ga",
                                      "+02:00",
                                      "1Europe",
                                      "Europe\\Riga",
                                      "Europe/Riga\n",
                                      "Eur\xc3\xb6pe/Riga",
                                      "a/b/c/d/e",
                                      "A/0"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(tz_name_valid(bad[i]));
    assert_false(tz_name_valid(NULL));
}

static void test_lengths(void **st)
{
    (void)st;
    char name[TZ_NAME_MAX + 2];
    /* Parts at their limit. */
    memset(name, 'a', TZ_PART_MAX);
    name[TZ_PART_MAX] = 0;
    assert_true(tz_name_valid(name));
    name[TZ_PART_MAX] = 'a';
    name[TZ_PART_MAX + 1] = 0;
    assert_false(tz_name_valid(name));
    /* Whole name at its limit: parts of 20 + '/' ... */
    memset(name, 'b', sizeof name);
    name[20] = name[41] = name[62] = '/';
    name[TZ_NAME_MAX] = 0;
    assert_true(tz_name_valid(name)); /* 4 parts, 64 bytes */
    name[TZ_NAME_MAX] = 'b';
    name[TZ_NAME_MAX + 1] = 0;
    assert_false(tz_name_valid(name));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepts_real_zones),
        cmocka_unit_test(test_rejects_other_shapes),
        cmocka_unit_test(test_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
