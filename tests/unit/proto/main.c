/* main.c: runs the proto unit test groups and holds their helpers. */
#include "test_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

proto_error parse_n(const char *s, size_t len, proto_msg *m, char *detail,
                    size_t detail_size)
{
    char *copy = malloc(len ? len : 1);
    assert_non_null(copy);
    if (len > 0)
        memcpy(copy, s, len);
    proto_error e = proto_parse(copy, len, m, detail, detail_size);
    free(copy);
    return e;
}

proto_error parse_s(const char *s, proto_msg *m, char *detail,
                    size_t detail_size)
{
    return parse_n(s, strlen(s), m, detail, detail_size);
}

void expect_error_n(const char *s, size_t len, proto_error code,
                    const char *needle)
{
    proto_msg m;
    char detail[256];
    proto_error e = parse_n(s, len, &m, detail, sizeof(detail));

    if (e != code || (needle && !strstr(detail, needle)))
        print_message("frame: %.*s\ndetail: %s\n", (int)(len > 300 ? 300 : len),
                      s, detail);
    assert_string_equal(proto_error_code(e), proto_error_code(code));
    assert_true(detail[0] != '\0');
    if (needle != NULL)
        assert_non_null(strstr(detail, needle));
    proto_msg_free(&m);
}

void expect_error(const char *s, proto_error code, const char *needle)
{
    expect_error_n(s, strlen(s), code, needle);
}

void expect_ok(const char *s, proto_msg *m)
{
    char detail[256];
    proto_error e = parse_s(s, m, detail, sizeof(detail));

    if (e != PROTO_OK)
        print_message("frame: %.300s\ndetail: %s\n", s, detail);
    assert_string_equal(proto_error_code(e), "ok");
    assert_string_equal(detail, "");
}

void golden(char *got, const size_t *lenp, const char *want)
{
    size_t len = *lenp;
    assert_non_null(got);
    if (strcmp(got, want) != 0)
        print_message("got:  %s\nwant: %s\n", got, want);
    assert_string_equal(got, want);
    assert_int_equal(len, strlen(want));
    assert_true(proto_valid_utf8(got, len));
    free(got);
}

char *repeat3(const char *a, const char *b, size_t n, const char *c)
{
    size_t la = strlen(a), lb = strlen(b), lc = strlen(c);
    char *out = malloc(la + lb * n + lc + 1);
    assert_non_null(out);
    memcpy(out, a, la);
    for (size_t i = 0; i < n; i++)
        memcpy(out + la + i * lb, b, lb);
    memcpy(out + la + lb * n, c, lc + 1);
    return out;
}

int main(void)
{
    int failed = 0;

    failed += run_parse_tests();
    failed += run_error_tests();
    failed += run_frame_tests();
    failed += run_encode_tests();
    failed += run_session_tests();
    failed += run_breakout_tests();
    return failed ? 1 : 0;
}
