/* Unit tests for rooms/perm: the whole role x action table against an
 * expected table written out here (so any change to rooms/actions.def must
 * be mirrored on purpose), role names both ways, and refusal of unknown
 * names and out-of-range values. */
#include "rooms_tests.h"

#include <stdio.h>
#include <string.h>

#include "rooms/perm.h"

/* The permissions as the product means them: one row per action of
 * rooms/actions.def, columns entrepreneur, expert, coordinator. */
static const struct {
    action a;
    const char *name;
    int allowed[ROLE_COUNT];
} expected[] = {
    {ACTION_CHAT, "chat", {1, 1, 1}},
    {ACTION_DM, "dm", {1, 1, 1}},
    {ACTION_READ_HISTORY, "read_history", {1, 1, 1}},
    {ACTION_AUDIO_BROADCAST, "audio_broadcast", {0, 0, 1}},
    {ACTION_AUDIO_LISTEN, "audio_listen", {0, 0, 1}},
    {ACTION_RECORD, "record", {0, 0, 1}},
    /* Running a session: roles; a session's host (an expert or
     * coordinator named by its programme entry) may also do the
     * agenda_run, hand_manage, topic_moderate, stage_manage,
     * question_moderate and note_write rows there. */
    {ACTION_PROGRAMME_READ, "programme_read", {1, 1, 1}},
    {ACTION_PROGRAMME_EDIT, "programme_edit", {0, 0, 1}},
    {ACTION_HOST_RUNS_SESSION, "host_runs_session", {0, 1, 1}},
    {ACTION_AGENDA_RUN, "agenda_run", {0, 0, 1}},
    {ACTION_HAND_RAISE, "hand_raise", {1, 1, 1}},
    {ACTION_HAND_MANAGE, "hand_manage", {0, 0, 1}},
    {ACTION_TOPIC_PROPOSE, "topic_propose", {1, 1, 1}},
    {ACTION_TOPIC_VOTE, "topic_vote", {1, 1, 1}},
    {ACTION_TOPIC_MODERATE, "topic_moderate", {0, 0, 1}},
    {ACTION_STAGE_MANAGE, "stage_manage", {0, 0, 1}},
    {ACTION_QUESTION_ASK, "question_ask", {1, 1, 1}},
    {ACTION_QUESTION_VOTE, "question_vote", {1, 1, 1}},
    {ACTION_QUESTION_MODERATE, "question_moderate", {0, 0, 1}},
    {ACTION_PULSE_SUBMIT, "pulse_submit", {1, 1, 1}},
    {ACTION_PULSE_RESULTS, "pulse_results", {0, 0, 1}},
    {ACTION_NOTE_WRITE, "note_write", {0, 0, 1}},
    {ACTION_PROFILE_EDIT, "profile_edit", {1, 0, 0}},
    {ACTION_PROFILE_READ_ALL, "profile_read_all", {0, 0, 1}},
    {ACTION_ROUND_MANAGE, "round_manage", {0, 0, 1}},
    {ACTION_ROUND_JOIN, "round_join", {1, 0, 0}},
    {ACTION_HELP_ASK, "help_ask", {1, 0, 0}},
    {ACTION_HELP_ANSWER, "help_answer", {0, 1, 1}},
    {ACTION_BREAKOUT_VISIT, "breakout_visit", {0, 1, 1}},
    {ACTION_BREAKOUT_NOTE, "breakout_note", {1, 1, 1}},
    {ACTION_COVERAGE_READ, "coverage_read", {0, 0, 1}},
};
#define NEXPECTED (sizeof(expected) / sizeof(expected[0]))

/* The names and values the generator made from actions.def itself. */
static const struct {
    action a;
    const char *name;
    int allowed[ROLE_COUNT];
} generated[] = {
#define ACTION(name, str, e, x, c) {ACTION_##name, str, {e, x, c}},
#include "rooms/actions.def"
#undef ACTION
};
#define NGENERATED (sizeof(generated) / sizeof(generated[0]))

static void test_table_size(void **st)
{
    (void)st;
    if (NEXPECTED != ACTION_COUNT)
        print_message("rooms/actions.def has %d actions, the expected table "
                      "of test_perm.c lists %zu: add the new rows there\n",
                      (int)ACTION_COUNT, NEXPECTED);
    assert_int_equal(NEXPECTED, ACTION_COUNT);
    assert_int_equal(NGENERATED, ACTION_COUNT);
    assert_int_equal(ROLE_COUNT, 3);
}

static void test_every_role_and_action(void **st)
{
    (void)st;
    for (size_t i = 0; i < NEXPECTED; i++) {
        action a = expected[i].a;
        for (size_t j = 0; j < i; j++) /* each action once */
            assert_int_not_equal(expected[j].a, a);
        assert_string_equal(perm_action_name(a), expected[i].name);
        for (int r = 0; r < ROLE_COUNT; r++) {
            int got = perm_allows((role)r, a);
            if (got != expected[i].allowed[r])
                print_message("%s may %s: got %d, want %d\n",
                              perm_role_name((role)r), expected[i].name, got,
                              expected[i].allowed[r]);
            assert_int_equal(got, expected[i].allowed[r]);
        }
    }
}

static void test_generated_rows(void **st)
{
    (void)st;
    /* Every row of actions.def reaches the table under its own enum. */
    for (size_t i = 0; i < NGENERATED; i++) {
        assert_int_equal(generated[i].a, (action)i);
        assert_string_equal(perm_action_name(generated[i].a),
                            generated[i].name);
        for (int r = 0; r < ROLE_COUNT; r++)
            assert_int_equal(perm_allows((role)r, generated[i].a),
                             generated[i].allowed[r] != 0);
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(generated[i].name, generated[j].name);
    }
}

static void test_role_names_round_trip(void **st)
{
    (void)st;
    static const char *const names[ROLE_COUNT] = {"entrepreneur", "expert",
                                                  "coordinator"};
    for (int r = 0; r < ROLE_COUNT; r++) {
        const char *name = perm_role_name((role)r);
        assert_string_equal(name, names[r]);
        role out = ROLE_COUNT;
        assert_int_equal(perm_role_parse(name, strlen(name), &out), 0);
        assert_int_equal(out, r);
    }
    /* The length is explicit: the bytes after it are not part of the name. */
    role out = ROLE_COUNT;
    assert_int_equal(perm_role_parse("expertise", 6, &out), 0);
    assert_int_equal(out, ROLE_EXPERT);
    char exact[11]; /* "coordinator" with no NUL after it */
    memcpy(exact, "coordinato", 10);
    exact[10] = 'r';
    assert_int_equal(perm_role_parse(exact, sizeof(exact), &out), 0);
    assert_int_equal(out, ROLE_COORDINATOR);
}

static void test_unknown_role(void **st)
{
    (void)st;
    static const char *const bad[] = {
        "admin", "Expert",       "EXPERT",         "expert ", " expert",
        "exper", "coordinators", "entrepreneur\n", "unknown", "",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        role out = ROLE_COORDINATOR;
        assert_int_equal(perm_role_parse(bad[i], strlen(bad[i]), &out), -1);
        assert_int_equal(out, ROLE_COORDINATOR); /* unchanged */
    }
    /* A prefix of a real name is not that name. */
    role out = ROLE_EXPERT;
    assert_int_equal(perm_role_parse("entrepreneur", 5, &out), -1);
    assert_int_equal(out, ROLE_EXPERT);
    /* An embedded NUL does not end the name early. */
    assert_int_equal(perm_role_parse("expert\0xx", 9, &out), -1);
    assert_int_equal(out, ROLE_EXPERT);
}

static void test_out_of_range(void **st)
{
    (void)st;
    assert_string_equal(perm_role_name(ROLE_COUNT), "unknown");
    assert_string_equal(perm_role_name((role)-1), "unknown");
    assert_string_equal(perm_role_name((role)1000), "unknown");
    assert_string_equal(perm_action_name(ACTION_COUNT), "unknown");
    assert_string_equal(perm_action_name((action)-1), "unknown");
    for (int a = 0; a < ACTION_COUNT; a++) {
        assert_int_equal(perm_allows(ROLE_COUNT, (action)a), 0);
        assert_int_equal(perm_allows((role)-1, (action)a), 0);
    }
    for (int r = 0; r < ROLE_COUNT; r++) {
        assert_int_equal(perm_allows((role)r, ACTION_COUNT), 0);
        assert_int_equal(perm_allows((role)r, (action)-1), 0);
        assert_int_equal(perm_allows((role)r, (action)100000), 0);
    }
}

int run_perm_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_size),
        cmocka_unit_test(test_every_role_and_action),
        cmocka_unit_test(test_generated_rows),
        cmocka_unit_test(test_role_names_round_trip),
        cmocka_unit_test(test_unknown_role),
        cmocka_unit_test(test_out_of_range),
    };
    return cmocka_run_group_tests_name("perm", tests, NULL, NULL);
}
