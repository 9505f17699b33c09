/* Unit tests for what rooms/ knows about breakout rounds run by the
 * agenda: an item's breakout settings and round link (rooms/agenda.h:
 * checks, survival of edits and snapshots, cleared by a reset), when a
 * breakout item waits for its round (agenda_breakout_due), and where a
 * late joiner goes (rooms/pairing_late.c: language first, then size, then
 * needs against offers). */
#include "rooms_tests.h"

#include <string.h>

#include "rooms/agenda.h"
#include "rooms/pairing.h"

static uint32_t add(struct agenda *a, const char *title, agenda_item_kind kind)
{
    struct agenda_item_spec s = {
        .title = title, .lead = NULL, .kind = kind, .timebox_ms = 600000};
    uint32_t id = 0;
    assert_int_equal(agenda_add(a, &s, 0, 1000, &id), AGENDA_OK);
    return id;
}

static void test_breakout_settings(void **state)
{
    (void)state;
    struct agenda a;
    agenda_init(&a, false);
    uint32_t b = add(&a, "Pairs", AGENDA_KIND_BREAKOUT);
    assert_int_equal(agenda_breakout_check(0, 0), AGENDA_OK);
    assert_int_equal(agenda_breakout_check(4, 4), AGENDA_OK);
    assert_int_equal(agenda_breakout_check(5, 2), AGENDA_ERR_BREAKOUT);
    assert_int_equal(agenda_breakout_check(1, 1), AGENDA_ERR_BREAKOUT);
    assert_int_equal(agenda_breakout_check(1, 5), AGENDA_ERR_BREAKOUT);
    assert_int_equal(agenda_breakout_check(-1, 2), AGENDA_ERR_BREAKOUT);
    assert_int_equal(agenda_set_breakout(&a, b, 2, 3), AGENDA_OK);
    assert_int_equal(agenda_set_breakout(&a, 99, 2, 3),
                     AGENDA_ERR_NO_SUCH_ITEM);
    assert_int_equal(agenda_set_breakout(&a, b, 9, 3), AGENDA_ERR_BREAKOUT);
    const struct agenda_item *it = agenda_find(&a, b);
    assert_int_equal(it->breakout_mode, 2);
    assert_int_equal(it->breakout_size, 3);
    assert_string_equal(agenda_strerror(AGENDA_ERR_BREAKOUT),
                        "breakout mode or group size out of range");

    /* Settings and the link survive an edit and a snapshot. */
    assert_int_equal(agenda_set_round(&a, b, 7), AGENDA_OK);
    assert_int_equal(agenda_set_round(&a, b, -1), AGENDA_ERR_INVALID);
    struct agenda_item_spec s = {.title = "Pairs again",
                                 .kind = AGENDA_KIND_BREAKOUT,
                                 .timebox_ms = 900000};
    assert_int_equal(agenda_edit(&a, b, &s, 2000), AGENDA_OK);
    assert_int_equal(agenda_find(&a, b)->round, 7);
    unsigned char buf[AGENDA_SNAPSHOT_MAX];
    size_t len = 0;
    assert_int_equal(agenda_save(&a, buf, sizeof(buf), &len), AGENDA_OK);
    struct agenda copy;
    agenda_init(&copy, false);
    assert_int_equal(agenda_load(&copy, buf, len), AGENDA_OK);
    assert_true(agenda_equal(&a, &copy));
    assert_int_equal(agenda_find(&copy, b)->round, 7);
    assert_int_equal(agenda_find(&copy, b)->breakout_size, 3);
    /* A snapshot with a size out of range is refused. */
    copy.items[0].breakout_size = 9;
    assert_int_equal(agenda_save(&copy, buf, sizeof(buf), &len), AGENDA_OK);
    struct agenda bad;
    agenda_init(&bad, false);
    assert_int_equal(agenda_load(&bad, buf, len), AGENDA_ERR_SNAPSHOT);
    assert_int_equal(bad.count, 0);
}

static void test_breakout_due(void **state)
{
    (void)state;
    struct agenda a;
    agenda_init(&a, false);
    uint32_t p = add(&a, "Welcome", AGENDA_KIND_PLENARY);
    uint32_t b = add(&a, "Pairs", AGENDA_KIND_BREAKOUT);
    uint32_t id = 0;
    assert_false(agenda_breakout_due(&a, 0, &id)); /* nothing current */
    assert_int_equal(agenda_start(&a, 1000), AGENDA_OK);
    assert_false(agenda_breakout_due(&a, 0, &id)); /* a plenary */
    assert_int_equal(agenda_next(&a, 2000), AGENDA_OK);
    assert_true(agenda_breakout_due(&a, 3, &id)); /* never linked */
    assert_int_equal(id, b);
    assert_int_equal(agenda_set_round(&a, b, 4), AGENDA_OK);
    assert_true(agenda_breakout_due(&a, 3, &id));  /* linked, round lost */
    assert_false(agenda_breakout_due(&a, 4, &id)); /* had its round */
    assert_false(agenda_breakout_due(&a, 9, NULL));
    assert_int_equal(agenda_pause(&a, 3000), AGENDA_OK);
    assert_false(agenda_breakout_due(&a, 4, NULL)); /* paused, same rule */
    /* Going back resets the item: a new run waits for a new round. */
    assert_int_equal(agenda_previous(&a, 4000), AGENDA_OK);
    assert_int_equal(a.current_id, p);
    assert_int_equal(agenda_find(&a, b)->round, 0);
    assert_int_equal(agenda_next(&a, 5000), AGENDA_OK);
    assert_true(agenda_breakout_due(&a, 4, &id));
    assert_int_equal(agenda_set_round(&a, 99, 1), AGENDA_ERR_NO_SUCH_ITEM);
}

/* A person with languages (comma-free list), country and one mark. */
static void person(profile *p, const char *id, const char *country,
                   const char *l1, const char *l2, profile_topic t,
                   profile_mark m)
{
    profile_init(p);
    profile_set_user_id(p, id, strlen(id));
    profile_set_country(p, country, 2);
    if (l1)
        profile_add_language(p, l1, strlen(l1));
    if (l2)
        profile_add_language(p, l2, strlen(l2));
    profile_set_mark(p, t, m);
}

static pairing_request request(const profile *people, size_t n)
{
    return (pairing_request){.people = people,
                             .n_people = n,
                             .mode = PAIRING_MODE_COMPLEMENTARY,
                             .group_size = 2,
                             .weights = pairing_weights_default(),
                             .seed = 1};
}

static void test_late_group(void **state)
{
    (void)state;
    profile people[6];
    /* 0 the late joiner: speaks lv, needs financing. */
    person(&people[0], "late", "LT", "lv", NULL, PROFILE_TOPIC_FINANCING,
           PROFILE_MARK_NEED);
    person(&people[1], "e1", "EE", "et", NULL, PROFILE_TOPIC_FINANCING,
           PROFILE_MARK_OFFER);
    person(&people[2], "e2", "EE", "et", NULL, PROFILE_TOPIC_VISIBILITY,
           PROFILE_MARK_NEED);
    person(&people[3], "l1", "LV", "lv", "en", PROFILE_TOPIC_VISIBILITY,
           PROFILE_MARK_NEED);
    person(&people[4], "l2", "LV", "lv", NULL, PROFILE_TOPIC_VISIBILITY,
           PROFILE_MARK_NEED);
    person(&people[5], "l3", "LV", "lv", NULL, PROFILE_TOPIC_FINANCING,
           PROFILE_MARK_OFFER);
    pairing_request req = request(people, 6);
    int32_t et[] = {1, 2}, lv[] = {3, 4}, lv3[] = {5};
    pairing_late_group_view groups[] = {{et, 2}, {lv, 2}};
    /* Language first: the Estonian group offers financing, but she
     * speaks no Estonian. */
    assert_int_equal(pairing_late_group(&req, 0, groups, 2), 1);
    /* Someone with no language fits anywhere: then needs and offers. */
    profile_init(&people[0]);
    profile_set_user_id(&people[0], "late", 4);
    profile_set_mark(&people[0], PROFILE_TOPIC_FINANCING, PROFILE_MARK_NEED);
    assert_int_equal(pairing_late_group(&req, 0, groups, 2), 0);
    /* Size before score: a smaller Latvian group wins over a bigger one. */
    person(&people[0], "late", "LT", "lv", NULL, PROFILE_TOPIC_FINANCING,
           PROFILE_MARK_NEED);
    pairing_late_group_view two[] = {{lv, 2}, {lv3, 1}};
    assert_int_equal(pairing_late_group(&req, 0, two, 2), 1);
    /* Among equal sizes the complement wins: l3 offers financing. */
    int32_t a[] = {3}, b[] = {5};
    pairing_late_group_view eq[] = {{a, 1}, {b, 1}};
    assert_int_equal(pairing_late_group(&req, 0, eq, 2), 1);
    /* No group shares a language: the smallest one. */
    pairing_late_group_view none[] = {{et, 2}, {lv3, 1}};
    person(&people[0], "late", "LT", "lt", NULL, PROFILE_TOPIC_FINANCING,
           PROFILE_MARK_NEED);
    assert_int_equal(pairing_late_group(&req, 0, none, 2), 1);
    /* Nothing to join, or bad arguments. */
    pairing_late_group_view empty[] = {{NULL, 0}};
    assert_int_equal(pairing_late_group(&req, 0, empty, 1), -1);
    assert_int_equal(pairing_late_group(&req, 9, groups, 2), -1);
    assert_int_equal(pairing_late_group(NULL, 0, groups, 2), -1);
    int32_t out_of_range[] = {42};
    pairing_late_group_view bad[] = {{out_of_range, 1}};
    assert_int_equal(pairing_late_group(&req, 0, bad, 1), -1);
}

int run_agenda_round_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_breakout_settings),
        cmocka_unit_test(test_breakout_due),
        cmocka_unit_test(test_late_group),
    };
    return cmocka_run_group_tests_name("agenda_round", tests, NULL, NULL);
}
