/* Unit tests for rooms/hands: arrival order, idempotent raise, calling the
 * next or a specific person, the speaking set, limits and deep copies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rooms/hands.h"

#define T0 1700000000000LL

static void test_arrival_order(void **st)
{
    (void)st;
    struct hands h;
    bool changed = false;
    hands_init(&h);
    assert_int_equal(hands_raise(&h, "carl", T0, &changed), HANDS_OK);
    assert_true(changed);
    assert_int_equal(hands_raise(&h, "anna", T0 + 1, NULL), HANDS_OK);
    assert_int_equal(hands_raise(&h, "bea", T0 + 2, NULL), HANDS_OK);
    /* Raising twice keeps the first place. */
    assert_int_equal(hands_raise(&h, "carl", T0 + 3, &changed), HANDS_OK);
    assert_false(changed);
    assert_int_equal(h.n_queue, 3);
    assert_int_equal(hands_position(&h, "carl"), 1);
    assert_int_equal(hands_position(&h, "anna"), 2);
    assert_int_equal(hands_position(&h, "bea"), 3);
    assert_int_equal(hands_position(&h, "dan"), 0);
    assert_int_equal(h.queue[0].at_ms, T0);
    assert_true(h.queue[0].seq < h.queue[1].seq);
    assert_true(h.queue[1].seq < h.queue[2].seq);
    /* Lower and raise again: to the back of the queue. */
    assert_int_equal(hands_lower(&h, "carl"), HANDS_OK);
    assert_int_equal(hands_lower(&h, "carl"), HANDS_ERR_NOT_RAISED);
    assert_int_equal(hands_raise(&h, "carl", T0 + 4, NULL), HANDS_OK);
    assert_int_equal(hands_position(&h, "carl"), 3);
    assert_int_equal(hands_position(&h, "anna"), 1);
    hands_free(&h);
    hands_free(NULL);
}

static void test_call(void **st)
{
    (void)st;
    struct hands h;
    struct hands_entry who;
    hands_init(&h);
    assert_int_equal(hands_call_next(&h, T0, &who), HANDS_ERR_EMPTY);
    hands_raise(&h, "a", T0, NULL);
    hands_raise(&h, "b", T0 + 1, NULL);
    hands_raise(&h, "c", T0 + 2, NULL);
    assert_int_equal(hands_call_next(&h, T0 + 10, &who), HANDS_OK);
    assert_string_equal(who.user, "a");
    assert_int_equal(who.at_ms, T0);
    assert_true(hands_is_speaking(&h, "a"));
    assert_int_equal(hands_position(&h, "a"), 0);
    assert_int_equal(h.speaking[0].at_ms, T0 + 10);
    /* A specific person, out of order. */
    assert_int_equal(hands_call(&h, "c", T0 + 20), HANDS_OK);
    assert_true(hands_is_speaking(&h, "c"));
    assert_int_equal(hands_position(&h, "b"), 1);
    assert_int_equal(h.n_queue, 1);
    /* Someone without a raised hand may be called too. */
    assert_int_equal(hands_call(&h, "z", T0 + 30), HANDS_OK);
    assert_int_equal(hands_call(&h, "z", T0 + 31), HANDS_OK);
    assert_int_equal(h.n_speaking, 3);
    assert_int_equal(hands_stop_speaking(&h, "a"), HANDS_OK);
    assert_int_equal(hands_stop_speaking(&h, "a"), HANDS_ERR_NOT_SPEAKING);
    assert_false(hands_is_speaking(&h, "a"));
    hands_clear(&h);
    assert_int_equal(h.n_queue, 0);
    assert_int_equal(h.n_speaking, 2); /* clearing the queue keeps speakers */
    hands_stop_all(&h);
    assert_int_equal(h.n_speaking, 0);
    hands_free(&h);
}

static void test_forget_and_validation(void **st)
{
    (void)st;
    struct hands h;
    char big[HANDS_USER_MAX + 2];
    memset(big, 'u', sizeof big - 1);
    big[sizeof big - 1] = 0;
    hands_init(&h);
    assert_int_equal(hands_raise(&h, "", T0, NULL), HANDS_ERR_USER);
    assert_int_equal(hands_raise(&h, NULL, T0, NULL), HANDS_ERR_USER);
    assert_int_equal(hands_raise(&h, big, T0, NULL), HANDS_ERR_USER);
    assert_int_equal(hands_raise(&h, "a\nb", T0, NULL), HANDS_ERR_USER);
    big[HANDS_USER_MAX] = 0;
    assert_int_equal(hands_raise(&h, big, T0, NULL), HANDS_OK);
    assert_int_equal(hands_call(&h, big, T0), HANDS_OK);
    hands_raise(&h, big, T0 + 1, NULL);
    hands_forget(&h, big);
    assert_int_equal(h.n_queue, 0);
    assert_int_equal(h.n_speaking, 0);
    assert_int_equal(hands_lower(&h, ""), HANDS_ERR_USER);
    assert_string_equal(hands_strerror(HANDS_ERR_EMPTY),
                        "nobody has a hand up");
    hands_free(&h);
}

static void test_limits_and_copy(void **st)
{
    (void)st;
    struct hands h, c;
    char u[16];
    hands_init(&h);
    for (int i = 0; i < HANDS_QUEUE_MAX; i++) {
        snprintf(u, sizeof u, "u%d", i);
        assert_int_equal(hands_raise(&h, u, T0 + i, NULL), HANDS_OK);
    }
    assert_int_equal(hands_raise(&h, "extra", T0, NULL), HANDS_ERR_FULL);
    assert_int_equal(hands_raise(&h, "u5", T0, NULL), HANDS_OK);
    for (int i = 0; i < HANDS_SPEAKING_MAX; i++)
        assert_int_equal(hands_call_next(&h, T0, NULL), HANDS_OK);
    size_t left = h.n_queue;
    assert_int_equal(hands_call_next(&h, T0, NULL), HANDS_ERR_FULL);
    assert_int_equal(h.n_queue, left); /* nothing lost */
    assert_int_equal(hands_position(&h, "u64"), 1);
    assert_int_equal(hands_copy(&c, &h), HANDS_OK);
    hands_lower(&h, "u64");
    assert_int_equal(hands_position(&c, "u64"), 1);
    assert_int_equal(c.n_speaking, HANDS_SPEAKING_MAX);
    assert_int_equal(c.next_seq, h.next_seq);
    hands_free(&h);
    hands_free(&c);
}

/* The same calls in the same order give the same queue. */
static void test_replay(void **st)
{
    (void)st;
    struct hands a, b;
    const char *who[] = {"a", "b", "c", "d", "e"};
    hands_init(&a);
    hands_init(&b);
    struct hands *hs[2] = {&a, &b};
    for (int k = 0; k < 2; k++) {
        uint32_t s = 7;
        for (int i = 0; i < 500; i++) {
            s = s * 1103515245u + 12345u;
            const char *u = who[(s >> 8) % 5];
            switch ((s >> 16) % 5) {
            case 0:
            case 1:
                hands_raise(hs[k], u, i, NULL);
                break;
            case 2:
                hands_lower(hs[k], u);
                break;
            case 3:
                hands_call_next(hs[k], i, NULL);
                break;
            case 4:
                hands_stop_speaking(hs[k], u);
                break;
            }
        }
    }
    assert_int_equal(a.n_queue, b.n_queue);
    assert_int_equal(a.n_speaking, b.n_speaking);
    assert_memory_equal(a.queue, b.queue, a.n_queue * sizeof a.queue[0]);
    assert_memory_equal(a.speaking, b.speaking,
                        a.n_speaking * sizeof a.speaking[0]);
    hands_free(&a);
    hands_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arrival_order),
        cmocka_unit_test(test_call),
        cmocka_unit_test(test_forget_and_validation),
        cmocka_unit_test(test_limits_and_copy),
        cmocka_unit_test(test_replay),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
