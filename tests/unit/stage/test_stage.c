/* Unit tests for rooms/stage: the stage list and its size, audience
 * questions with one vote per member, answer/hide/pin and the display
 * order (pinned, votes, time). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rooms/stage.h"

#define T0 1700000000000LL

static void test_stage_list(void **st)
{
    (void)st;
    struct stage s;
    bool changed = false;
    stage_init(&s);
    assert_int_equal(s.max_speakers, STAGE_SPEAKERS_DEFAULT);
    assert_int_equal(stage_set_max(&s, 0), STAGE_ERR_INVALID);
    assert_int_equal(stage_set_max(&s, STAGE_SPEAKERS_LIMIT + 1),
                     STAGE_ERR_INVALID);
    assert_int_equal(stage_set_max(&s, 2), STAGE_OK);
    assert_int_equal(stage_add(&s, "expert", T0, &changed), STAGE_OK);
    assert_true(changed);
    assert_int_equal(stage_add(&s, "expert", T0 + 1, &changed), STAGE_OK);
    assert_false(changed);
    assert_int_equal(stage_add(&s, "ann", T0 + 2, NULL), STAGE_OK);
    assert_int_equal(stage_add(&s, "ben", T0 + 3, NULL), STAGE_ERR_STAGE_FULL);
    assert_int_equal(stage_set_max(&s, 1), STAGE_ERR_INVALID); /* 2 on it */
    assert_true(stage_is_on(&s, "ann"));
    assert_false(stage_is_on(&s, "ben"));
    assert_int_equal(s.speakers[0].since_ms, T0);
    assert_int_equal(stage_remove(&s, "expert"), STAGE_OK);
    assert_int_equal(stage_remove(&s, "expert"), STAGE_ERR_NOT_ON_STAGE);
    assert_string_equal(s.speakers[0].user, "ann");
    assert_int_equal(stage_add(&s, "ben", T0 + 4, NULL), STAGE_OK);
    assert_int_equal(stage_add(&s, "", T0, NULL), STAGE_ERR_USER);
    assert_int_equal(stage_remove(&s, NULL), STAGE_ERR_USER);
    stage_free(&s);
}

static void test_questions_and_votes(void **st)
{
    (void)st;
    struct stage s;
    uint32_t id = 0;
    bool changed = false;
    char long_q[STAGE_QUESTION_MAX + 2];
    memset(long_q, 'q', sizeof long_q - 1);
    long_q[sizeof long_q - 1] = 0;
    stage_init(&s);
    assert_int_equal(stage_ask(&s, "ann", "How do\nI apply?", T0, &id),
                     STAGE_OK);
    assert_int_equal(id, 1);
    assert_int_equal(stage_ask(&s, "ann", "", T0, NULL), STAGE_ERR_TEXT);
    assert_int_equal(stage_ask(&s, "ann", long_q, T0, NULL), STAGE_ERR_TEXT);
    assert_int_equal(stage_ask(&s, "ann", "bell\a", T0, NULL), STAGE_ERR_TEXT);
    assert_int_equal(stage_ask(&s, "a\tb", "ok", T0, NULL), STAGE_ERR_USER);
    long_q[STAGE_QUESTION_MAX] = 0;
    assert_int_equal(stage_ask(&s, "ben", long_q, T0, &id), STAGE_OK);
    assert_int_equal(stage_vote(&s, 1, "ben", &changed), STAGE_OK);
    assert_true(changed);
    assert_int_equal(stage_vote(&s, 1, "ben", &changed), STAGE_OK);
    assert_false(changed);
    assert_int_equal(stage_question(&s, 1)->votes, 1);
    assert_int_equal(stage_vote(&s, 3, "ben", NULL),
                     STAGE_ERR_NO_SUCH_QUESTION);
    assert_int_equal(stage_unvote(&s, 1, "ben", &changed), STAGE_OK);
    assert_true(changed);
    assert_int_equal(stage_unvote(&s, 1, "ben", &changed), STAGE_OK);
    assert_false(changed);
    assert_int_equal(stage_question(&s, 1)->votes, 0);
    /* Hidden questions take no votes but keep theirs. */
    stage_vote(&s, 2, "cia", NULL);
    assert_int_equal(stage_hide(&s, 2, true), STAGE_OK);
    assert_int_equal(stage_vote(&s, 2, "dan", NULL), STAGE_ERR_HIDDEN);
    assert_int_equal(stage_question(&s, 2)->votes, 1);
    assert_int_equal(stage_unvote(&s, 2, "cia", NULL), STAGE_OK);
    /* Answer and un-answer. */
    assert_int_equal(stage_answer(&s, 1, true, T0 + 50), STAGE_OK);
    assert_true(stage_question(&s, 1)->answered);
    assert_int_equal(stage_question(&s, 1)->answered_ms, T0 + 50);
    assert_int_equal(stage_answer(&s, 1, true, T0 + 60), STAGE_OK);
    assert_int_equal(stage_question(&s, 1)->answered_ms, T0 + 50);
    assert_int_equal(stage_answer(&s, 1, false, T0 + 70), STAGE_OK);
    assert_int_equal(stage_question(&s, 1)->answered_ms, 0);
    assert_int_equal(stage_answer(&s, 9, true, T0), STAGE_ERR_NO_SUCH_QUESTION);
    assert_int_equal(stage_pin(&s, 9, true), STAGE_ERR_NO_SUCH_QUESTION);
    assert_int_equal(stage_hide(&s, 9, true), STAGE_ERR_NO_SUCH_QUESTION);
    /* Withdrawing drops the question and its votes. */
    stage_vote(&s, 1, "cia", NULL);
    assert_int_equal(stage_withdraw(&s, 1), STAGE_OK);
    assert_null(stage_question(&s, 1));
    assert_false(stage_has_voted(&s, 1, "cia"));
    assert_int_equal(stage_withdraw(&s, 1), STAGE_ERR_NO_SUCH_QUESTION);
    stage_free(&s);
}

static void test_ordering(void **st)
{
    (void)st;
    struct stage s;
    const struct stage_question *out[8];
    stage_init(&s);
    stage_ask(&s, "u", "A", T0 + 30, NULL); /* 1 */
    stage_ask(&s, "u", "B", T0 + 20, NULL); /* 2 */
    stage_ask(&s, "u", "C", T0 + 20, NULL); /* 3: same time, later */
    stage_ask(&s, "u", "D", T0 + 40, NULL); /* 4 */
    stage_ask(&s, "u", "E", T0 + 10, NULL); /* 5 */
    stage_vote(&s, 1, "v1", NULL);
    stage_vote(&s, 1, "v2", NULL);
    stage_vote(&s, 2, "v1", NULL);
    stage_vote(&s, 3, "v1", NULL);
    stage_vote(&s, 4, "v1", NULL);
    stage_vote(&s, 4, "v2", NULL);
    stage_vote(&s, 4, "v3", NULL);
    stage_pin(&s, 5, true);
    stage_hide(&s, 4, true);
    assert_int_equal(stage_questions_sorted(&s, false, out, 8), 4);
    assert_string_equal(out[0]->text, "E"); /* pinned, no votes */
    assert_string_equal(out[1]->text, "A"); /* 2 votes */
    assert_string_equal(out[2]->text, "B"); /* 1 vote, asked at 20 */
    assert_string_equal(out[3]->text, "C"); /* 1 vote, asked at 20, later */
    assert_int_equal(stage_questions_sorted(&s, true, out, 8), 5);
    assert_string_equal(out[0]->text, "E");
    assert_string_equal(out[1]->text, "D"); /* hidden, 3 votes */
    /* A short buffer gets the top of the same order. */
    assert_int_equal(stage_questions_sorted(&s, false, out, 2), 4);
    assert_string_equal(out[0]->text, "E");
    assert_string_equal(out[1]->text, "A");
    stage_pin(&s, 3, true);
    assert_int_equal(stage_questions_sorted(&s, false, out, 3), 4);
    assert_string_equal(out[0]->text, "C"); /* pinned with a vote */
    assert_string_equal(out[1]->text, "E");
    assert_string_equal(out[2]->text, "A");
    assert_int_equal(stage_questions_sorted(&s, false, NULL, 0), 4);
    stage_free(&s);
}

static void test_limits_and_copy(void **st)
{
    (void)st;
    struct stage s, c;
    char u[16];
    stage_init(&s);
    for (int i = 0; i < STAGE_PER_AUTHOR_MAX; i++)
        assert_int_equal(stage_ask(&s, "ann", "q", T0, NULL), STAGE_OK);
    assert_int_equal(stage_ask(&s, "ann", "q", T0, NULL), STAGE_ERR_FULL);
    for (int i = 0; s.n_questions < STAGE_QUESTIONS_MAX; i++) {
        snprintf(u, sizeof u, "p%d", i);
        assert_int_equal(stage_ask(&s, u, "q", T0, NULL), STAGE_OK);
    }
    assert_int_equal(stage_ask(&s, "zed", "q", T0, NULL), STAGE_ERR_FULL);
    /* Votes stop at STAGE_VOTES_MAX over all questions. */
    size_t votes = 0;
    for (int v = 0; votes < STAGE_VOTES_MAX; v++) {
        snprintf(u, sizeof u, "v%d", v);
        for (uint32_t id = 1;
             id <= STAGE_QUESTIONS_MAX && votes < STAGE_VOTES_MAX;
             id++, votes++)
            assert_int_equal(stage_vote(&s, id, u, NULL), STAGE_OK);
    }
    assert_int_equal(s.n_votes, STAGE_VOTES_MAX);
    assert_int_equal(stage_vote(&s, 999, "late", NULL), STAGE_ERR_FULL);
    assert_int_equal(stage_unvote(&s, 1, "v0", NULL), STAGE_OK);
    assert_int_equal(stage_vote(&s, 999, "late", NULL), STAGE_OK);
    assert_int_equal(stage_withdraw(&s, 2), STAGE_OK);
    assert_int_equal(s.n_votes, STAGE_VOTES_MAX - 66);
    stage_add(&s, "expert", T0, NULL);
    stage_vote(&s, 7, "ben", NULL);
    assert_int_equal(stage_copy(&c, &s), STAGE_OK);
    stage_withdraw(&s, 7);
    stage_remove(&s, "expert");
    assert_true(stage_has_voted(&c, 7, "ben"));
    assert_true(stage_has_voted(&c, 3, "v5"));
    assert_int_equal(c.n_votes, s.n_votes + stage_question(&c, 7)->votes);
    assert_true(stage_is_on(&c, "expert"));
    assert_int_equal(c.n_questions, STAGE_QUESTIONS_MAX - 1);
    assert_string_equal(stage_strerror(STAGE_ERR_HIDDEN),
                        "the question is hidden");
    stage_free(&s);
    stage_free(&c);
    stage_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stage_list),
        cmocka_unit_test(test_questions_and_votes),
        cmocka_unit_test(test_ordering),
        cmocka_unit_test(test_limits_and_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
