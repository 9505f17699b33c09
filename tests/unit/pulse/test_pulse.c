/* Unit tests for rooms/pulse: validation, one pulse per member per scope,
 * aggregates, and the CSV export (exact bytes, RFC 4180 escaping checked
 * by a small independent parser, dates, truncation). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rooms/pulse.h"

#define T0 1700000000000LL /* 2023-11-14T22:13:20Z */

static void test_validation(void **st)
{
    (void)st;
    struct pulse p;
    char big[PULSE_TEXT_MAX + 2];
    memset(big, 'c', sizeof big - 1);
    big[sizeof big - 1] = 0;
    assert_int_equal(pulse_init(&p, ""), PULSE_ERR_ID);
    pulse_free(&p);
    assert_int_equal(pulse_init(&p, "s42"), PULSE_OK);
    assert_int_equal(pulse_submit(&p, "s42", "ann", 0, true, NULL, T0, NULL),
                     PULSE_ERR_USEFULNESS);
    assert_int_equal(pulse_submit(&p, "s42", "ann", 6, true, NULL, T0, NULL),
                     PULSE_ERR_USEFULNESS);
    assert_int_equal(pulse_submit(&p, "", "ann", 3, true, NULL, T0, NULL),
                     PULSE_ERR_ID);
    assert_int_equal(pulse_submit(&p, "s42", NULL, 3, true, NULL, T0, NULL),
                     PULSE_ERR_ID);
    assert_int_equal(pulse_submit(&p, "s42", "ann", 3, true, big, T0, NULL),
                     PULSE_ERR_TEXT);
    assert_int_equal(
        pulse_submit(&p, "s42", "ann", 3, true, "nul\x01", T0, NULL),
        PULSE_ERR_TEXT);
    assert_int_equal(p.n, 0);
    big[PULSE_TEXT_MAX] = 0;
    assert_int_equal(pulse_submit(&p, "s42", "ann", 1, false, big, T0, NULL),
                     PULSE_OK);
    assert_int_equal(pulse_submit(&p, "s42", "ben", 5, true, "", T0, NULL),
                     PULSE_OK);
    assert_null(pulse_find(&p, "s42", "ben")->text); /* "" = no comment */
    assert_string_equal(pulse_strerror(PULSE_ERR_USEFULNESS),
                        "usefulness must be 1 to 5");
    pulse_free(&p);
    pulse_free(NULL);
}

static void test_resubmit_replaces(void **st)
{
    (void)st;
    struct pulse p;
    bool replaced = true;
    pulse_init(&p, "s1");
    assert_int_equal(
        pulse_submit(&p, "s1", "ann", 2, false, "meh", T0, &replaced),
        PULSE_OK);
    assert_false(replaced);
    assert_int_equal(
        pulse_submit(&p, "b1", "ann", 4, true, NULL, T0 + 1, &replaced),
        PULSE_OK);
    assert_false(replaced); /* another scope: another pulse */
    assert_int_equal(
        pulse_submit(&p, "s1", "ann", 5, true, "better", T0 + 2, &replaced),
        PULSE_OK);
    assert_true(replaced);
    assert_int_equal(p.n, 2);
    const struct pulse_entry *e = pulse_find(&p, "s1", "ann");
    assert_int_equal(e->usefulness, 5);
    assert_true(e->will_apply);
    assert_string_equal(e->text, "better");
    assert_int_equal(e->submitted_ms, T0 + 2);
    assert_int_equal(e->seq, 1); /* keeps its place */
    assert_null(pulse_find(&p, "s1", "ben"));
    /* A failed resubmission changes nothing. */
    assert_int_equal(
        pulse_submit(&p, "s1", "ann", 9, false, NULL, T0 + 3, NULL),
        PULSE_ERR_USEFULNESS);
    assert_int_equal(pulse_find(&p, "s1", "ann")->usefulness, 5);
    assert_int_equal(pulse_forget_user(&p, "ann"), 2);
    assert_int_equal(p.n, 0);
    pulse_free(&p);
}

static void test_stats(void **st)
{
    (void)st;
    struct pulse p;
    struct pulse_stats s;
    const char *scopes[4];
    pulse_init(&p, "s1");
    pulse_stats(&p, NULL, &s);
    assert_int_equal(s.count, 0);
    assert_true(s.mean_usefulness == 0.0);
    pulse_submit(&p, "s1", "a", 5, true, "great", T0, NULL);
    pulse_submit(&p, "s1", "b", 4, true, NULL, T0, NULL);
    pulse_submit(&p, "s1", "c", 4, false, NULL, T0, NULL);
    pulse_submit(&p, "s1", "d", 1, false, "x", T0, NULL);
    pulse_submit(&p, "b7", "a", 2, true, NULL, T0, NULL);
    pulse_stats(&p, "s1", &s);
    assert_int_equal(s.count, 4);
    assert_int_equal(s.histogram[0], 1);
    assert_int_equal(s.histogram[1], 0);
    assert_int_equal(s.histogram[3], 2);
    assert_int_equal(s.histogram[4], 1);
    assert_true(s.mean_usefulness == 3.5);
    assert_int_equal(s.will_apply, 2);
    assert_true(s.will_apply_share == 0.5);
    assert_int_equal(s.comments, 2);
    pulse_stats(&p, NULL, &s);
    assert_int_equal(s.count, 5);
    assert_true(s.mean_usefulness == 16.0 / 5.0);
    assert_true(s.will_apply_share == 3.0 / 5.0);
    pulse_stats(&p, "b9", &s);
    assert_int_equal(s.count, 0);
    assert_int_equal(pulse_scopes(&p, scopes, 4), 2);
    assert_string_equal(scopes[0], "s1");
    assert_string_equal(scopes[1], "b7");
    assert_int_equal(pulse_scopes(&p, scopes, 1), 2);
    pulse_free(&p);
}

static char *csv(const struct pulse *p, unsigned flags, size_t *len)
{
    size_t need = 0;
    pulse_err e = pulse_csv(p, flags, NULL, 0, &need);
    assert_true(e == PULSE_ERR_NOSPACE || need == 0);
    char *buf = malloc(need + 1);
    assert_non_null(buf);
    assert_int_equal(pulse_csv(p, flags, buf, need, len), PULSE_OK);
    assert_int_equal(*len, need);
    buf[need] = 0;
    return buf;
}

static void test_csv_exact(void **st)
{
    (void)st;
    struct pulse p;
    size_t len;
    pulse_init(&p, "riga-2025-03");
    pulse_submit(&p, "main", "ann", 4, true, NULL, T0, NULL);
    pulse_submit(&p, "b,2", "ben", 5, false, "He said \"hi\", then\nleft",
                 1709164800000LL, NULL);
    pulse_submit(&p, "main", "=cmd", 1, false, "-1+1", -1, NULL);
    char *out = csv(&p, PULSE_CSV_HEADER, &len);
    assert_string_equal(
        out, "session,scope,user,submitted_at,usefulness,will_apply,comment\r\n"
             "riga-2025-03,main,ann,2023-11-14T22:13:20Z,4,yes,\r\n"
             "riga-2025-03,\"b,2\",ben,2024-02-29T00:00:00Z,5,no,"
             "\"He said \"\"hi\"\", then\nleft\"\r\n"
             "riga-2025-03,main,=cmd,1969-12-31T23:59:59Z,1,no,-1+1\r\n");
    free(out);
    out = csv(&p, PULSE_CSV_ANONYMOUS | PULSE_CSV_NEUTRALISE, &len);
    assert_string_equal(
        out, "riga-2025-03,main,,2023-11-14T22:13:20Z,4,yes,\r\n"
             "riga-2025-03,\"b,2\",,2024-02-29T00:00:00Z,5,no,"
             "\"He said \"\"hi\"\", then\nleft\"\r\n"
             "riga-2025-03,main,,1969-12-31T23:59:59Z,1,no,'-1+1\r\n");
    free(out);
    /* Too small: NOSPACE, the full size reported, no overrun. */
    char small[20];
    memset(small, '#', sizeof small);
    assert_int_equal(pulse_csv(&p, 0, small, 10, &len), PULSE_ERR_NOSPACE);
    assert_true(len > 10);
    assert_memory_equal(small, "riga-2025-", 10);
    assert_int_equal(small[10], '#');
    pulse_free(&p);
}

/* A small RFC 4180 reader, independent of the writer: splits buf into
 * cells, calling back with (row, col, cell). Returns rows read. */
static size_t read_csv(const char *s, size_t n,
                       void (*cell_cb)(size_t, size_t, const char *, void *),
                       void *ctx)
{
    static char cell[4096];
    size_t row = 0, col = 0, i = 0;
    while (i < n) {
        size_t k = 0;
        if (s[i] == '"') {
            for (i++;; i++) {
                assert_true(i < n);
                if (s[i] == '"' && i + 1 < n && s[i + 1] == '"')
                    cell[k++] = s[i++];
                else if (s[i] == '"')
                    break;
                else
                    cell[k++] = s[i];
            }
            i++;
        } else {
            while (i < n && s[i] != ',' && s[i] != '\r') {
                assert_true(s[i] != '"' && s[i] != '\n');
                cell[k++] = s[i++];
            }
        }
        cell[k] = 0;
        cell_cb(row, col, cell, ctx);
        assert_true(i < n);
        if (s[i] == ',') {
            col++;
            i++;
        } else {
            assert_true(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n');
            i += 2;
            row++;
            col = 0;
        }
    }
    return row;
}

static const char *const nasty[] = {
    "plain", "comma, inside", "\"quoted\"", "line\nbreak",  "cr\r\nlf", "\"",
    ",",     "tail\"",        "ünïcødé, ķ", "\t=tab first",
};

static void check_cell(size_t row, size_t col, const char *cell, void *ctx)
{
    (void)ctx;
    assert_true(row < sizeof nasty / sizeof nasty[0]);
    if (col == 6)
        assert_string_equal(cell, nasty[row]);
    if (col == 1)
        assert_string_equal(cell, row % 2 ? "b,1" : "main");
    assert_true(col <= 6);
}

static void test_csv_roundtrip(void **st)
{
    (void)st;
    struct pulse p;
    size_t len;
    char user[16];
    pulse_init(&p, "s1");
    for (size_t i = 0; i < sizeof nasty / sizeof nasty[0]; i++) {
        snprintf(user, sizeof user, "u%zu", i);
        assert_int_equal(pulse_submit(&p, i % 2 ? "b,1" : "main", user, 3, true,
                                      nasty[i], T0, NULL),
                         PULSE_OK);
    }
    char *out = csv(&p, 0, &len);
    assert_int_equal(read_csv(out, len, check_cell, NULL),
                     sizeof nasty / sizeof nasty[0]);
    free(out);
    pulse_free(&p);
}

static void test_limit(void **st)
{
    (void)st;
    struct pulse p;
    char user[16];
    pulse_init(&p, "s1");
    for (int i = 0; i < PULSE_ENTRIES_MAX; i++) {
        snprintf(user, sizeof user, "u%d", i);
        assert_int_equal(pulse_submit(&p, "s", user, 3, true, "c", T0, NULL),
                         PULSE_OK);
    }
    assert_int_equal(pulse_submit(&p, "s", "extra", 3, true, NULL, T0, NULL),
                     PULSE_ERR_FULL);
    assert_int_equal(pulse_submit(&p, "s", "u5", 4, true, NULL, T0, NULL),
                     PULSE_OK); /* replacing still works when full */
    pulse_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_validation),
        cmocka_unit_test(test_resubmit_replaces),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_csv_exact),
        cmocka_unit_test(test_csv_roundtrip),
        cmocka_unit_test(test_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
