/* Unit tests for rooms/dedup: put and find, FIFO eviction of the oldest
 * id when full, keys that differ only in user or id, long hash chains
 * under heavy churn, and refusal of keys that do not fit. */
#include "rooms_tests.h"

#include <stdio.h>
#include <string.h>

#include "rooms/dedup.h"

/* Checks the table's structure: every bucket chain ends, ends without a
 * cycle, holds only used entries that hash to it once, and the chains
 * together hold exactly count entries. Returns the longest chain. */
static size_t check_table(const dedup *d)
{
    size_t total = 0, longest = 0;
    for (size_t b = 0; b < d->nbuckets; b++) {
        size_t len = 0;
        for (int32_t i = d->buckets[b]; i >= 0; i = d->entries[i].next) {
            assert_true((size_t)i < d->cap);
            assert_true(d->entries[i].used);
            len++;
            assert_true(len <= d->count); /* no cycle */
        }
        total += len;
        if (len > longest)
            longest = len;
    }
    assert_int_equal(total, d->count);
    size_t used = 0;
    for (size_t i = 0; i < d->cap; i++)
        used += d->entries[i].used != 0;
    assert_int_equal(used, d->count);
    return longest;
}

static void id_of(char *buf, size_t size, int n)
{
    snprintf(buf, size, "m-%d", n);
}

static void test_put_find(void **st)
{
    (void)st;
    dedup *d = dedup_new(8);
    assert_non_null(d);
    assert_null(dedup_find(d, "ann", "m1"));
    dedup_entry *e = dedup_put(d, "ann", "m1", "room:main", 17);
    assert_non_null(e);
    assert_int_equal(e->offset, 17);
    assert_string_equal(e->channel, "room:main");
    assert_int_equal(e->stored, 0);
    assert_int_equal(e->waiter, 0);
    assert_string_equal(e->waiter_ref, "");
    /* The caller fills in the rest and finds it again. */
    e->stored = 1;
    e->waiter = 42;
    snprintf(e->waiter_ref, sizeof(e->waiter_ref), "r1");
    dedup_entry *f = dedup_find(d, "ann", "m1");
    assert_ptr_equal(f, e);
    assert_int_equal(f->stored, 1);
    assert_int_equal(f->waiter, 42);
    assert_string_equal(f->waiter_ref, "r1");

    e = dedup_put(d, "ben", "m1", "user:ann", 3);
    assert_non_null(e);
    assert_int_equal(dedup_find(d, "ben", "m1")->offset, 3);
    assert_string_equal(dedup_find(d, "ben", "m1")->channel, "user:ann");
    assert_int_equal(dedup_find(d, "ann", "m1")->offset, 17);
    assert_null(dedup_find(d, "ann", "m2"));
    assert_null(dedup_find(d, "cy", "m1"));
    assert_int_equal(d->count, 2);
    check_table(d);

    /* A channel name longer than the field is cut, not overflowed. */
    char chan[200];
    memset(chan, 'c', sizeof(chan) - 1);
    chan[sizeof(chan) - 1] = '\0';
    e = dedup_put(d, "ann", "m3", chan, 1);
    assert_non_null(e);
    assert_int_equal(strlen(e->channel), sizeof(e->channel) - 1);
    dedup_free(d);

    assert_null(dedup_new(0));
    dedup_free(NULL);
}

static void test_fifo_eviction(void **st)
{
    (void)st;
    char id[32];
    dedup *d = dedup_new(4);
    assert_non_null(d);
    for (int n = 1; n <= 4; n++) {
        id_of(id, sizeof(id), n);
        assert_non_null(dedup_put(d, "ann", id, "room:main", n));
    }
    assert_int_equal(d->count, 4);
    for (int n = 1; n <= 4; n++) {
        id_of(id, sizeof(id), n);
        assert_non_null(dedup_find(d, "ann", id));
    }
    /* A fifth id pushes out the first, a sixth the second. */
    assert_non_null(dedup_put(d, "ann", "m-5", "room:main", 5));
    assert_null(dedup_find(d, "ann", "m-1"));
    assert_non_null(dedup_find(d, "ann", "m-2"));
    assert_non_null(dedup_put(d, "ann", "m-6", "room:main", 6));
    assert_null(dedup_find(d, "ann", "m-2"));
    for (int n = 3; n <= 6; n++) {
        id_of(id, sizeof(id), n);
        dedup_entry *e = dedup_find(d, "ann", id);
        assert_non_null(e);
        assert_int_equal(e->offset, n);
        assert_int_equal(e->stored, 0);
    }
    assert_int_equal(d->count, 4);
    check_table(d);

    /* Finding an old id does not make it younger: eviction is by age of
     * insertion, not of use. */
    assert_non_null(dedup_find(d, "ann", "m-3"));
    assert_non_null(dedup_put(d, "ann", "m-7", "room:main", 7));
    assert_null(dedup_find(d, "ann", "m-3"));
    assert_non_null(dedup_find(d, "ann", "m-4"));
    /* An evicted id can be put again as a new one. */
    assert_non_null(dedup_put(d, "ann", "m-1", "room:b", 99));
    assert_int_equal(dedup_find(d, "ann", "m-1")->offset, 99);
    assert_null(dedup_find(d, "ann", "m-4"));
    check_table(d);
    dedup_free(d);
}

static void test_keys_do_not_collide(void **st)
{
    (void)st;
    dedup *d = dedup_new(16);
    assert_non_null(d);
    static const char *const keys[][2] = {
        {"ann", "1"}, {"ann", "12"}, {"ann1", "2"}, {"an", "n1"}, {"ben", "1"},
        {"Ann", "1"}, {"ann", "1 "}, {"", "ann1"},  {"ann1", ""}, {"12", "ann"},
    };
    size_t n = sizeof(keys) / sizeof(keys[0]);
    for (size_t i = 0; i < n; i++) {
        assert_null(dedup_find(d, keys[i][0], keys[i][1]));
        assert_non_null(dedup_put(d, keys[i][0], keys[i][1], "room:main",
                                  (int64_t)i + 100));
    }
    for (size_t i = 0; i < n; i++) {
        dedup_entry *e = dedup_find(d, keys[i][0], keys[i][1]);
        assert_non_null(e);
        assert_int_equal(e->offset, (int64_t)i + 100);
    }
    check_table(d);
    dedup_free(d);
}

/* The key of the n-th id of test_many_entries_small_cap(). */
static void churn_key(char *user, char *id, size_t size, int n)
{
    snprintf(user, size, "u%d", n % 7);
    id_of(id, size, n);
}

/* After the n-th put into a table of cap ids: the newest cap ids are
 * found with their offsets, the one before them is not. */
static void check_newest(dedup *d, int n, size_t cap)
{
    char id[32], user[32];
    for (int k = n; k >= 0 && k > n - (int)cap; k--) {
        churn_key(user, id, sizeof(id), k);
        dedup_entry *f = dedup_find(d, user, id);
        assert_non_null(f);
        assert_int_equal(f->offset, k);
    }
    if (n >= (int)cap) {
        churn_key(user, id, sizeof(id), n - (int)cap);
        assert_null(dedup_find(d, user, id));
    }
}

static void test_many_entries_small_cap(void **st)
{
    (void)st;
    char id[32], user[32];
    static const size_t caps[] = {1, 2, 3, 4, 7, 64};
    const int total = 5000;
    for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
        size_t cap = caps[c], longest = 0;
        dedup *d = dedup_new(cap);
        assert_non_null(d);
        for (int n = 0; n < total; n++) {
            churn_key(user, id, sizeof(id), n);
            assert_null(dedup_find(d, user, id));
            assert_non_null(dedup_put(d, user, id, "room:main", n));
            size_t l = check_table(d);
            longest = l > longest ? l : longest;
            check_newest(d, n, cap);
        }
        assert_int_equal(d->count, cap);
        /* Thousands of puts into twice as many buckets as entries do put
         * several entries in one chain, so unlinking from the middle and
         * the end of a chain was exercised above. */
        if (cap >= 3)
            assert_true(longest >= 3);
        /* Every id older than the newest cap is gone. */
        for (int n = 0; n < total - (int)cap; n++) {
            churn_key(user, id, sizeof(id), n);
            assert_null(dedup_find(d, user, id));
        }
        dedup_free(d);
    }
}

static void test_key_too_long(void **st)
{
    (void)st;
    dedup *d = dedup_new(4);
    assert_non_null(d);
    /* "<user>\n<id>" may be DEDUP_KEY_MAX bytes, not one more. */
    char user[DEDUP_KEY_MAX + 2], id[DEDUP_KEY_MAX + 2];
    memset(user, 'u', 64);
    user[64] = '\0';
    size_t idlen = DEDUP_KEY_MAX - 64 - 1;
    memset(id, 'i', idlen);
    id[idlen] = '\0';
    dedup_entry *e = dedup_put(d, user, id, "room:main", 1);
    assert_non_null(e);
    assert_int_equal(strlen(e->key), DEDUP_KEY_MAX);
    assert_ptr_equal(dedup_find(d, user, id), e);

    assert_non_null(dedup_put(d, "a", "1", "room:main", 2));
    assert_non_null(dedup_put(d, "a", "2", "room:main", 3));
    assert_non_null(dedup_put(d, "a", "3", "room:main", 4));
    assert_int_equal(d->count, 4);
    id[idlen] = 'i';
    id[idlen + 1] = '\0';
    assert_null(dedup_put(d, user, id, "room:main", 5));
    assert_null(dedup_find(d, user, id));
    /* A refused put evicts nothing. */
    assert_int_equal(d->count, 4);
    id[idlen] = '\0';
    assert_ptr_equal(dedup_find(d, user, id), e);

    char huge[1000];
    memset(huge, 'h', sizeof(huge) - 1);
    huge[sizeof(huge) - 1] = '\0';
    assert_null(dedup_put(d, huge, "1", "room:main", 6));
    assert_null(dedup_put(d, "a", huge, "room:main", 6));
    assert_null(dedup_find(d, huge, "1"));
    assert_null(dedup_find(d, "a", huge));
    assert_int_equal(d->count, 4);
    check_table(d);
    dedup_free(d);
}

int run_dedup_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_find),
        cmocka_unit_test(test_fifo_eviction),
        cmocka_unit_test(test_keys_do_not_collide),
        cmocka_unit_test(test_many_entries_small_cap),
        cmocka_unit_test(test_key_too_long),
    };
    return cmocka_run_group_tests_name("dedup", tests, NULL, NULL);
}
