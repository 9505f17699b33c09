/* Unit tests for rooms/channel: offsets continuing from the restored top,
 * refusal of out-of-order appends, the ring keeping the newest cap events,
 * lookups of held, evicted and future offsets, the coverage edges, and
 * that appended bytes are copied. */
#include "rooms_tests.h"

#include <stdio.h>
#include <string.h>

#include "rooms/channel.h"

/* Appends the event "e<offset>" at the next offset. */
static void append_next(channel *c)
{
    char buf[32];
    int64_t off = channel_next_offset(c);
    int n = snprintf(buf, sizeof(buf), "e%lld", (long long)off);
    assert_int_equal(channel_append(c, off, buf, (size_t)n), CHANNEL_OK);
    assert_int_equal(c->top, off);
}

/* Asserts that exactly the offsets first..last are held, each with the
 * bytes append_next() gave it, and that nothing around them is. */
static void expect_held(const channel *c, int64_t first, int64_t last)
{
    char want[32];
    for (int64_t off = first - 3; off <= last + 3; off++) {
        const channel_event *e = channel_get(c, off);
        if (off < first || off > last) {
            if (e != NULL)
                print_message("offset %lld held, want %lld..%lld\n",
                              (long long)off, (long long)first,
                              (long long)last);
            assert_null(e);
            continue;
        }
        assert_non_null(e);
        int n = snprintf(want, sizeof(want), "e%lld", (long long)off);
        assert_int_equal(e->offset, off);
        assert_int_equal(e->len, (size_t)n);
        assert_memory_equal(e->data, want, (size_t)n);
    }
}

static void test_new_and_offsets(void **st)
{
    (void)st;
    channel *c = channel_new("room:main", 0, 4);
    assert_non_null(c);
    assert_string_equal(c->name, "room:main");
    assert_int_equal(c->top, 0);
    assert_int_equal(c->base, 0);
    assert_int_equal(c->count, 0);
    assert_int_equal(channel_next_offset(c), 1);
    append_next(c);
    assert_int_equal(c->top, 1);
    assert_int_equal(channel_next_offset(c), 2);
    channel_free(c);

    /* Offsets continue after what storage holds. */
    c = channel_new("user:ann", 41, 4);
    assert_non_null(c);
    assert_int_equal(c->top, 41);
    assert_int_equal(channel_next_offset(c), 42);
    assert_int_equal(channel_append(c, 1, "x", 1), CHANNEL_ERR_ORDER);
    assert_int_equal(channel_append(c, 42, "x", 1), CHANNEL_OK);
    assert_int_equal(channel_next_offset(c), 43);
    channel_free(c);

    assert_null(channel_new("room:main", 0, 0));
    channel_free(NULL);
}

static void test_long_name_truncated(void **st)
{
    (void)st;
    char name[CHANNEL_NAME_MAX + 21];
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    channel *c = channel_new(name, 0, 1);
    assert_non_null(c);
    assert_int_equal(strlen(c->name), CHANNEL_NAME_MAX);
    assert_memory_equal(c->name, name, CHANNEL_NAME_MAX);
    channel_free(c);
}

static void test_append_order(void **st)
{
    (void)st;
    channel *c = channel_new("room:main", 10, 8);
    assert_non_null(c);
    const int64_t bad[] = {0, 1, 9, 10, 12, 13, 100, -1, INT64_MAX};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(channel_append(c, bad[i], "x", 1), CHANNEL_ERR_ORDER);
        assert_int_equal(c->top, 10);
        assert_int_equal(c->count, 0);
    }
    assert_int_equal(channel_append(c, 11, "a", 1), CHANNEL_OK);
    /* The same offset twice, a gap, and going back are all refused and
     * change nothing. */
    assert_int_equal(channel_append(c, 11, "b", 1), CHANNEL_ERR_ORDER);
    assert_int_equal(channel_append(c, 13, "b", 1), CHANNEL_ERR_ORDER);
    assert_int_equal(channel_append(c, 10, "b", 1), CHANNEL_ERR_ORDER);
    assert_int_equal(c->top, 11);
    assert_int_equal(c->count, 1);
    const channel_event *e = channel_get(c, 11);
    assert_non_null(e);
    assert_memory_equal(e->data, "a", 1);
    assert_null(channel_get(c, 12));
    assert_string_not_equal(channel_strerror(CHANNEL_ERR_ORDER), "ok");
    channel_free(c);
}

static void test_ring_wrap(void **st)
{
    (void)st;
    const size_t cap = 4;
    channel *c = channel_new("room:main", 0, cap);
    assert_non_null(c);
    expect_held(c, 1, 0); /* nothing */
    for (int64_t top = 1; top <= 23; top++) {
        append_next(c);
        int64_t first = top > (int64_t)cap ? top - (int64_t)cap + 1 : 1;
        assert_int_equal(c->count, top < (int64_t)cap ? (size_t)top : cap);
        assert_int_equal(channel_first_held(c), first);
        expect_held(c, first, top);
        assert_null(channel_get(c, top + 1)); /* the future */
        assert_null(channel_get(c, INT64_MAX));
        assert_null(channel_get(c, INT64_MIN));
    }
    assert_int_equal(c->base, 0);
    channel_free(c);

    /* A ring of one keeps only the newest. */
    c = channel_new("user:ann", 5, 1);
    assert_non_null(c);
    for (int i = 0; i < 5; i++) {
        append_next(c);
        expect_held(c, c->top, c->top);
    }
    channel_free(c);
}

static void test_coverage_edges(void **st)
{
    (void)st;
    /* Empty channel: nothing exists, so everything after 0 is covered. */
    channel *c = channel_new("room:main", 0, 4);
    assert_non_null(c);
    assert_int_equal(channel_first_held(c), 1);
    assert_true(channel_covers_after(c, 0));
    assert_true(channel_covers_after(c, 5));
    assert_null(channel_get(c, 0));
    assert_null(channel_get(c, 1));
    channel_free(c);

    /* Restored top with an empty ring: 1..10 live only in storage. */
    c = channel_new("room:main", 10, 4);
    assert_non_null(c);
    assert_int_equal(c->base, 10);
    assert_int_equal(channel_first_held(c), 11);
    assert_true(channel_covers_after(c, 10));
    assert_true(channel_covers_after(c, 11));
    assert_true(channel_covers_after(c, INT64_MAX));
    assert_false(channel_covers_after(c, 9));
    assert_false(channel_covers_after(c, 0));
    for (int64_t off = 0; off <= 12; off++)
        assert_null(channel_get(c, off));
    /* The first append after the restore: only 10 and later covered. */
    append_next(c);
    assert_int_equal(channel_first_held(c), 11);
    assert_true(channel_covers_after(c, 10));
    assert_false(channel_covers_after(c, 9));
    expect_held(c, 11, 11);
    assert_int_equal(c->base, 10); /* base stays the restored top */

    /* Full ring: 11..14, then 13..16 after two evictions. */
    for (int i = 0; i < 3; i++)
        append_next(c);
    assert_int_equal(c->count, 4);
    assert_int_equal(channel_first_held(c), 11);
    assert_true(channel_covers_after(c, 10));
    assert_false(channel_covers_after(c, 9));
    append_next(c);
    append_next(c);
    assert_int_equal(c->top, 16);
    assert_int_equal(channel_first_held(c), 13);
    expect_held(c, 13, 16);
    assert_true(channel_covers_after(c, 12));
    assert_true(channel_covers_after(c, 15));
    assert_true(channel_covers_after(c, 16));
    assert_true(channel_covers_after(c, 17));
    assert_false(channel_covers_after(c, 11));
    assert_false(channel_covers_after(c, 10));
    assert_false(channel_covers_after(c, 0));
    assert_int_equal(c->base, 10);
    channel_free(c);
}

static void test_data_is_copied(void **st)
{
    (void)st;
    channel *c = channel_new("room:main", 0, 2);
    assert_non_null(c);
    char src[] = {'h', 'i', '\0', 'x', 'y'}; /* not a C string */
    assert_int_equal(channel_append(c, 1, src, sizeof(src)), CHANNEL_OK);
    memset(src, '#', sizeof(src));
    const channel_event *e = channel_get(c, 1);
    assert_non_null(e);
    assert_ptr_not_equal(e->data, src);
    assert_int_equal(e->len, 5);
    assert_memory_equal(e->data, "hi\0xy", 5);

    /* An empty event is held too, with length 0. */
    assert_int_equal(channel_append(c, 2, src, 0), CHANNEL_OK);
    e = channel_get(c, 2);
    assert_non_null(e);
    assert_int_equal(e->len, 0);

    /* A larger event evicting a smaller one does not disturb the other. */
    char big[4096];
    memset(big, 'b', sizeof(big));
    assert_int_equal(channel_append(c, 3, big, sizeof(big)), CHANNEL_OK);
    big[0] = 'X';
    e = channel_get(c, 3);
    assert_non_null(e);
    assert_int_equal(e->len, sizeof(big));
    assert_int_equal(e->data[0], 'b');
    assert_int_equal(e->data[sizeof(big) - 1], 'b');
    assert_null(channel_get(c, 1));
    assert_non_null(channel_get(c, 2));
    channel_free(c);
}

static void test_strerror(void **st)
{
    (void)st;
    assert_string_equal(channel_strerror(CHANNEL_OK), "ok");
    assert_string_not_equal(channel_strerror(CHANNEL_ERR_NOMEM),
                            channel_strerror(CHANNEL_ERR_ORDER));
    assert_non_null(channel_strerror((channel_error)99));
}

int run_channel_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_and_offsets),
        cmocka_unit_test(test_long_name_truncated),
        cmocka_unit_test(test_append_order),
        cmocka_unit_test(test_ring_wrap),
        cmocka_unit_test(test_coverage_edges),
        cmocka_unit_test(test_data_is_copied),
        cmocka_unit_test(test_strerror),
    };
    return cmocka_run_group_tests_name("channel", tests, NULL, NULL);
}
