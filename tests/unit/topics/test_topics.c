/* Unit tests for rooms/topics: proposals, one vote per member per topic,
 * ordering by votes then time, limits and deep copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rooms/topics.h"

#define T0 1700000000000LL

static void test_propose_validation(void **st)
{
    (void)st;
    struct topics t;
    char title[TOPICS_TITLE_MAX + 2];
    uint32_t id = 0;
    memset(title, 't', sizeof title - 1);
    title[sizeof title - 1] = 0;
    topics_init(&t);
    assert_int_equal(topics_propose(&t, "ann", "Impact investors", T0, &id),
                     TOPICS_OK);
    assert_int_equal(id, 1);
    assert_int_equal(topics_propose(&t, "", "x", T0, NULL), TOPICS_ERR_USER);
    assert_int_equal(topics_propose(&t, "ann", "", T0, NULL), TOPICS_ERR_TITLE);
    assert_int_equal(topics_propose(&t, "ann", NULL, T0, NULL),
                     TOPICS_ERR_TITLE);
    assert_int_equal(topics_propose(&t, "ann", title, T0, NULL),
                     TOPICS_ERR_TITLE);
    assert_int_equal(topics_propose(&t, "ann", "two\nlines", T0, NULL),
                     TOPICS_ERR_TITLE);
    title[TOPICS_TITLE_MAX] = 0;
    assert_int_equal(topics_propose(&t, "ann", title, T0, &id), TOPICS_OK);
    assert_int_equal(strlen(topics_find(&t, id)->title), TOPICS_TITLE_MAX);
    assert_int_equal(topics_edit(&t, id, "Public procurement"), TOPICS_OK);
    assert_string_equal(topics_find(&t, id)->title, "Public procurement");
    assert_int_equal(topics_edit(&t, id, ""), TOPICS_ERR_TITLE);
    assert_int_equal(topics_edit(&t, 77, "x"), TOPICS_ERR_NO_SUCH_TOPIC);
    /* One author may not flood the list. */
    while (t.n < TOPICS_PER_AUTHOR_MAX)
        assert_int_equal(topics_propose(&t, "ann", "more", T0, NULL),
                         TOPICS_OK);
    assert_int_equal(topics_propose(&t, "ann", "more", T0, NULL),
                     TOPICS_ERR_FULL);
    assert_int_equal(topics_propose(&t, "ben", "more", T0, NULL), TOPICS_OK);
    topics_free(&t);
}

static void test_one_vote_per_member(void **st)
{
    (void)st;
    struct topics t;
    bool changed = false;
    topics_init(&t);
    topics_propose(&t, "ann", "A", T0, NULL);
    topics_propose(&t, "ann", "B", T0 + 1, NULL);
    assert_int_equal(topics_vote(&t, 1, "ben", &changed), TOPICS_OK);
    assert_true(changed);
    assert_int_equal(topics_vote(&t, 1, "ben", &changed), TOPICS_OK);
    assert_false(changed);
    assert_int_equal(topics_find(&t, 1)->votes, 1);
    assert_int_equal(topics_vote(&t, 2, "ben", NULL), TOPICS_OK);
    assert_int_equal(topics_vote(&t, 1, "cia", NULL), TOPICS_OK);
    assert_int_equal(topics_find(&t, 1)->votes, 2);
    assert_true(topics_has_voted(&t, 1, "ben"));
    assert_false(topics_has_voted(&t, 1, "ann"));
    assert_int_equal(topics_unvote(&t, 1, "ben", &changed), TOPICS_OK);
    assert_true(changed);
    assert_int_equal(topics_unvote(&t, 1, "ben", &changed), TOPICS_OK);
    assert_false(changed);
    assert_int_equal(topics_find(&t, 1)->votes, 1);
    assert_int_equal(topics_find(&t, 2)->votes, 1); /* other topic intact */
    assert_int_equal(topics_vote(&t, 9, "ben", NULL), TOPICS_ERR_NO_SUCH_TOPIC);
    assert_int_equal(topics_vote(&t, 1, "", NULL), TOPICS_ERR_USER);
    assert_int_equal(topics_unvote(&t, 9, "ben", NULL),
                     TOPICS_ERR_NO_SUCH_TOPIC);
    /* Removing a topic drops its votes; ids are not reused. */
    assert_int_equal(topics_remove(&t, 1), TOPICS_OK);
    assert_int_equal(topics_remove(&t, 1), TOPICS_ERR_NO_SUCH_TOPIC);
    assert_false(topics_has_voted(&t, 1, "cia"));
    assert_int_equal(t.n_votes, 1);
    uint32_t id;
    assert_int_equal(topics_propose(&t, "ann", "C", T0, &id), TOPICS_OK);
    assert_int_equal(id, 3);
    assert_int_equal(topics_find(&t, 3)->votes, 0);
    topics_free(&t);
}

static void test_ordering(void **st)
{
    (void)st;
    struct topics t;
    const struct topics_topic *out[8];
    topics_init(&t);
    /* created: A 10, B 5, C 5 (C arrives after B), D 1 */
    topics_propose(&t, "u", "A", T0 + 10, NULL);
    topics_propose(&t, "u", "B", T0 + 5, NULL);
    topics_propose(&t, "u", "C", T0 + 5, NULL);
    topics_propose(&t, "u", "D", T0 + 1, NULL);
    assert_int_equal(topics_sorted(&t, out, 8), 4);
    assert_string_equal(out[0]->title, "D");
    assert_string_equal(out[1]->title, "B");
    assert_string_equal(out[2]->title, "C");
    assert_string_equal(out[3]->title, "A");
    topics_vote(&t, 1, "v1", NULL);
    topics_vote(&t, 1, "v2", NULL);
    topics_vote(&t, 3, "v1", NULL);
    topics_vote(&t, 2, "v3", NULL);
    assert_int_equal(topics_sorted(&t, out, 8), 4);
    assert_string_equal(out[0]->title, "A");
    assert_string_equal(out[1]->title, "B");
    assert_string_equal(out[2]->title, "C");
    assert_string_equal(out[3]->title, "D");
    /* A short output buffer gets the top of the same order. */
    assert_int_equal(topics_sorted(&t, out, 3), 4);
    assert_string_equal(out[0]->title, "A");
    assert_string_equal(out[1]->title, "B");
    assert_string_equal(out[2]->title, "C");
    assert_int_equal(topics_sorted(&t, NULL, 0), 4);
    topics_free(&t);
}

static void test_limits_and_copy(void **st)
{
    (void)st;
    struct topics t, c;
    char u[16];
    topics_init(&t);
    for (int i = 0; i < TOPICS_MAX; i++) {
        snprintf(u, sizeof u, "a%d", i);
        assert_int_equal(topics_propose(&t, u, "t", T0 + i, NULL), TOPICS_OK);
    }
    assert_int_equal(topics_propose(&t, "z", "t", T0, NULL), TOPICS_ERR_FULL);
    size_t votes = 0;
    for (uint32_t id = 1; votes < TOPICS_VOTES_MAX; id = id % TOPICS_MAX + 1) {
        snprintf(u, sizeof u, "v%zu", votes / TOPICS_MAX);
        assert_int_equal(topics_vote(&t, id, u, NULL), TOPICS_OK);
        votes++;
    }
    assert_int_equal(topics_vote(&t, 1, "new", NULL), TOPICS_ERR_FULL);
    assert_int_equal(topics_copy(&c, &t), TOPICS_OK);
    topics_remove(&t, 1);
    assert_non_null(topics_find(&c, 1));
    assert_true(topics_has_voted(&c, 1, "v0"));
    assert_int_equal(c.n_votes, TOPICS_VOTES_MAX);
    assert_int_equal(c.next_id, t.next_id);
    assert_string_equal(topics_strerror(TOPICS_ERR_FULL),
                        "too many topics or votes");
    topics_free(&t);
    topics_free(&c);
    topics_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_propose_validation),
        cmocka_unit_test(test_one_vote_per_member),
        cmocka_unit_test(test_ordering),
        cmocka_unit_test(test_limits_and_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
