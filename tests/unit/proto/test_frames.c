/* test_frames.c: frames at the edges of JSON text: whitespace around the
 * object, data after it, buffers that are not NUL-terminated, top-level
 * arrays, deep nesting, huge numbers, negative offsets, surrogates. */
#include "test_proto.h"

#include <stdlib.h>
#include <string.h>

static void whitespace_around(void **state)
{
    proto_msg m;

    expect_ok(" \t\r\n{ \"type\" : \"chat\" ,\n\"id\":\"c1\",\t\"text\":"
              "\"hi\" }\r\n \t",
              &m);
    assert_int_equal(m.type, PROTO_CHAT);
    assert_string_equal(m.u.chat.text, "hi");
    proto_msg_free(&m);
}

static void data_after_the_object(void **state)
{
    expect_error("{}x", PROTO_ERR_BAD_JSON, "byte 2");
    expect_error("{\"type\":\"ping\"}x", PROTO_ERR_BAD_JSON, "byte 15");
    expect_error("{\"type\":\"ping\"} {\"type\":\"ping\"}", PROTO_ERR_BAD_JSON,
                 "after the value at byte 16");
    expect_error("{\"type\":\"ping\"}\n\"x\"", PROTO_ERR_BAD_JSON, "after");
}

/* A frame is a slice of a larger buffer: the byte after it is not NUL, and
 * it must not be read. */
static void not_nul_terminated(void **state)
{
    static const char big[] = "XX{\"type\":\"chat\",\"id\":\"c1\",\"text\":"
                              "\"hi\"}{\"more\":1}";
    const char *start = big + 2;
    size_t len = (size_t)(strstr(start, "}{") - start) + 1;
    proto_msg m;
    char d[128];

    assert_int_equal(start[len], '{');
    assert_int_equal(parse_n(start, len, &m, d, sizeof(d)), PROTO_OK);
    assert_string_equal(m.u.chat.text, "hi");
    proto_msg_free(&m);

    /* Cut inside the object: incomplete, even though the bytes go on. */
    assert_int_equal(proto_parse(start, len - 1, &m, d, sizeof(d)),
                     PROTO_ERR_BAD_JSON);
    proto_msg_free(&m);
    /* Cut inside a string, a number and a literal. */
    expect_error_n("{\"type\":\"ping\",\"ref\":\"abc\"}", 24,
                   PROTO_ERR_BAD_JSON, "unterminated");
    expect_error_n("{\"type\":\"ping\",\"n\":12345}", 21, PROTO_ERR_BAD_JSON,
                   NULL);
    expect_error_n("{\"type\":\"ping\",\"n\":true}", 21, PROTO_ERR_BAD_JSON,
                   "unexpected");
    expect_error_n("{\"type\":\"ping\",\"s\":\"\\u00e9\"}", 24,
                   PROTO_ERR_BAD_JSON, "\\u escape");
    expect_error_n("{\"type\":\"ping\",\"s\":\"\xC4\x81\"}", 21,
                   PROTO_ERR_BAD_JSON, "UTF-8");
    /* A frame whose every byte is a digit right up to the end. */
    expect_error_n("7777", 4, PROTO_ERR_BAD_MESSAGE, NULL);
}

static void top_level_array(void **state)
{
    expect_error("[{\"type\":\"ping\"},{\"type\":\"ping\"}]",
                 PROTO_ERR_BAD_MESSAGE, "array");
    expect_error(" [ ] ", PROTO_ERR_BAD_MESSAGE, "array");
}

static void deep_nesting(void **state)
{
    proto_msg m;
    char *f;

    /* 32 levels in all (the object and 31 arrays) are allowed. */
    f = repeat3("{\"type\":\"ping\",\"x\":", "[", PROTO_MAX_DEPTH - 1, "");
    char *g = repeat3(f, "]", PROTO_MAX_DEPTH - 1, "}");
    expect_ok(g, &m);
    assert_int_equal(m.type, PROTO_PING);
    proto_msg_free(&m);
    free(f);
    free(g);

    f = repeat3("{\"type\":\"ping\",\"x\":", "[", PROTO_MAX_DEPTH, "");
    g = repeat3(f, "]", PROTO_MAX_DEPTH, "}");
    expect_error(g, PROTO_ERR_BAD_JSON, "nested too deeply");
    free(f);
    free(g);

    /* Far deeper than cJSON's own limit, and filling the whole frame. */
    f = repeat3("", "[", PROTO_MAX_FRAME, "");
    expect_error(f, PROTO_ERR_BAD_JSON, "nested too deeply");
    free(f);
    f = repeat3("", "{\"a\":", PROTO_MAX_FRAME / 5, "");
    expect_error(f, PROTO_ERR_BAD_JSON, "nested too deeply");
    free(f);
    /* Unbalanced closers are cJSON's to refuse. */
    f = repeat3("{\"type\":\"ping\"}", "]", 5000, "");
    expect_error(f, PROTO_ERR_BAD_JSON, NULL);
    free(f);
}

static void huge_numbers(void **state)
{
    proto_msg m;

    expect_error("{\"type\":\"history\",\"channel\":\"room:m\",\"before\":"
                 "1e308}",
                 PROTO_ERR_BAD_VALUE, "before is out of range");
    expect_error("{\"type\":\"history\",\"channel\":\"room:m\",\"before\":"
                 "1e99999}",
                 PROTO_ERR_BAD_VALUE, "before is out of range");
    expect_error("{\"type\":\"history\",\"channel\":\"room:m\",\"limit\":"
                 "-9223372036854775809}",
                 PROTO_ERR_BAD_VALUE, "limit is out of range");
    expect_error("{\"type\":\"auth\",\"v\":18446744073709551617,"
                 "\"token\":\"t\"}",
                 PROTO_ERR_UNSUPPORTED_VERSION, "integer 1");
    /* More digits than cJSON reads: refused as such, not misread. */
    char *f =
        repeat3("{\"type\":\"history\",\"channel\":\"room:m\",\"before\":", "1",
                64, "}");
    expect_error(f, PROTO_ERR_BAD_JSON, "longer than 63");
    free(f);
    /* Tiny and negative-zero values are integers. */
    expect_ok("{\"type\":\"join\",\"since\":{\"room:m\":{\"epoch\":\"e\","
              "\"offset\":-0}}}",
              &m);
    assert_int_equal(m.u.join.since[0].offset, 0);
    proto_msg_free(&m);
    expect_error("{\"type\":\"history\",\"channel\":\"room:m\",\"before\":"
                 "1e-400}",
                 PROTO_ERR_BAD_VALUE, "before must be at least 1");
}

static void negative_offsets(void **state)
{
    expect_error("{\"type\":\"join\",\"since\":{\"room:main\":{\"epoch\":"
                 "\"k3f9\",\"offset\":-1}}}",
                 PROTO_ERR_BAD_VALUE, "offset must be at least 0");
    expect_error("{\"type\":\"join\",\"since\":{\"user:u7\":{\"epoch\":"
                 "\"k3f9\",\"offset\":-9007199254740992}}}",
                 PROTO_ERR_BAD_VALUE, "offset must be at least 0");
    expect_error("{\"type\":\"join\",\"since\":{\"user:u7\":{\"epoch\":"
                 "\"k3f9\",\"offset\":0.5}}}",
                 PROTO_ERR_BAD_VALUE, "offset must be an integer");
}

static void surrogates(void **state)
{
    proto_msg m;

    expect_error("{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\ud800\"}",
                 PROTO_ERR_BAD_JSON, "lone high surrogate");
    expect_error("{\"type\":\"chat\",\"id\":\"1\",\"text\":\"x\\uDFFF\"}",
                 PROTO_ERR_BAD_JSON, "lone low surrogate");
    expect_error("{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\ud800\\ud800"
                 "\"}",
                 PROTO_ERR_BAD_JSON, "lone high surrogate");
    /* In a field nobody reads, too: the frame is not valid Unicode. */
    expect_error("{\"type\":\"ping\",\"x\":\"\\ud800\"}", PROTO_ERR_BAD_JSON,
                 "surrogate");
    /* Raw (CESU-8) surrogates are not UTF-8. */
    expect_error("{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\xED\xA0\xBD"
                 "\xED\xB8\x80\"}",
                 PROTO_ERR_BAD_JSON, "UTF-8");
    /* A proper pair decodes to one 4-byte character. */
    expect_ok("{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\uD83D\\uDE00\"}",
              &m);
    assert_int_equal(m.u.chat.text_len, 4);
    assert_memory_equal(m.u.chat.text, "\xF0\x9F\x98\x80", 4);
    proto_msg_free(&m);
    /* The last code point. */
    expect_ok("{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\udbff\\udfff\"}",
              &m);
    assert_memory_equal(m.u.chat.text, "\xF4\x8F\xBF\xBF", 4);
    proto_msg_free(&m);
}

static void escapes_in_keys_and_types(void **state)
{
    proto_msg m;

    /* Keys and the type are compared after unescaping. */
    expect_ok("{\"\\u0074ype\":\"\\u0070ing\",\"r\\u0065f\":\"\\u0041\"}", &m);
    assert_int_equal(m.type, PROTO_PING);
    assert_string_equal(m.ref, "A");
    proto_msg_free(&m);
}

int run_frame_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whitespace_around),
        cmocka_unit_test(data_after_the_object),
        cmocka_unit_test(not_nul_terminated),
        cmocka_unit_test(top_level_array),
        cmocka_unit_test(deep_nesting),
        cmocka_unit_test(huge_numbers),
        cmocka_unit_test(negative_offsets),
        cmocka_unit_test(surrogates),
        cmocka_unit_test(escapes_in_keys_and_types),
    };
    return cmocka_run_group_tests_name("proto_frames", tests, NULL, NULL);
}
