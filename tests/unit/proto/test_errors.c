/* test_errors.c: one test per error code that proto_parse produces, each
 * with the frames that must give exactly that code and a detail naming the
 * field; and the ref / type / id that a failing message still carries. */
#include "test_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct bad_frame {
    const char *frame;
    const char *needle; /* expected inside the detail */
} bad_frame;

static void expect_all(const bad_frame *f, size_t n, proto_error code)
{
    for (size_t i = 0; i < n; i++)
        expect_error(f[i].frame, code, f[i].needle);
}

#define EXPECT_ALL(table, code)                                                \
    expect_all(table, sizeof(table) / sizeof(table[0]), code)

static void err_bad_json(void **state)
{
    static const bad_frame f[] = {
        {"", "empty"},
        {"   \n", "byte"},
        {"{\"type\":\"ping\"", "byte"},
        {"{\"type\":\"ping\",}", "byte"},
        {"{'type':'ping'}", "unexpected"},
        {"{\"type\":\"ping\"}x", "unexpected"},
        {"{\"type\":\"ping\"}{}", "after the value"},
        {"{\"type\":\"ping\"} 1", "after the value"},
        {"{\"type\":\"ping\",\"n\":0123}", "bad number"},
        {"{\"type\":\"ping\",\"n\":1.}", "bad number"},
        {"{\"type\":\"ping\",\"n\":+1}", "unexpected"},
        {"{\"type\":\"ping\",\"n\":.5}", "unexpected"},
        {"{\"type\":\"ping\",\"n\":-}", "bad number"},
        {"{\"type\":\"ping\",\"n\":1e}", "bad number"},
        {"{\"type\":\"ping\",\"n\":tru}", "unexpected"},
        {"{\"type\":\"ping\",\"n\":nullx}", "unexpected"},
        {"{\"type\":\"ping\",\"n\":NaN}", "unexpected"},
        {"{\"type\":\"ping\",\"n\":Infinity}", "unexpected"},
        {"{\"type\":\"ping\",\"s\":\"\\x\"}", "bad escape"},
        {"{\"type\":\"ping\",\"s\":\"\\u12\"}", "\\u escape"},
        {"{\"type\":\"ping\",\"s\":\"\\u12g4\"}", "\\u escape"},
        {"{\"type\":\"ping\",\"s\":\"a\tb\"}", "control character"},
        {"{\"type\":\"ping\",\"s\":\"a\nb\"}", "control character"},
        {"\x01{\"type\":\"ping\"}", "unexpected byte"},
        {"{\"type\":\"ping\"}\x0b", "unexpected byte"},
        {"\xEF\xBB\xBF{\"type\":\"ping\"}", "unexpected byte"}, /* BOM */
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\xC3\x28\"}", "UTF-8"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\xC0\xAF\"}", "UTF-8"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\xED\xA0\x80\"}", "UTF-8"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\xF8\x88\x80\x80\x80\"}",
         "UTF-8"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\xE2\x82\"}", "UTF-8"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\ud800\"}", "surrogate"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\udc00\"}", "surrogate"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\ud800\\u0041\"}",
         "surrogate"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\ud800x\"}", "surrogate"},
        {"{\"type\":\"chat\",\"id\":\"1\",\"text\":\"\\ude00\\ud83d\"}",
         "surrogate"},
        {"{\"type\":\"ping\",\"s\":\"unterminated}", "unterminated"},
        {"{\"type\":\"ping\",\"s\":\"ends in a backslash\\", "unterminated"},
        {"{\"type\":\"ping\"]", "byte"},
        {"{\"type\" \"ping\"}", "byte"},
    };
    EXPECT_ALL(f, PROTO_ERR_BAD_JSON);
    /* A NUL byte in the frame, inside or outside a string. */
    expect_error_n("{\"type\":\"ping\"}\0", 16, PROTO_ERR_BAD_JSON,
                   "unexpected byte");
    expect_error_n("{\"type\":\"pi\0ng\"}", 16, PROTO_ERR_BAD_JSON,
                   "control character");
}

static void err_bad_message(void **state)
{
    static const bad_frame f[] = {
        {"[]", "not an array"},
        {"[{\"type\":\"ping\"}]", "not an array"},
        {"\"ping\"", "JSON object"},
        {"42", "JSON object"},
        {"null", "JSON object"},
        {"true", "JSON object"},
        {"{}", "type"},
        {"{\"ref\":\"r\"}", "type"},
        {"{\"Type\":\"ping\"}", "type"},
        {"{\"type\":1}", "type must be a string"},
        {"{\"type\":null}", "type must be a string"},
        {"{\"type\":[\"ping\"]}", "type must be a string"},
        {"{\"type\":\"ping\",\"type\":\"chat\"}", "more than once"},
    };
    EXPECT_ALL(f, PROTO_ERR_BAD_MESSAGE);
}

static void err_unknown_type(void **state)
{
    static const bad_frame f[] = {
        {"{\"type\":\"dance\"}", "\"dance\""},
        {"{\"type\":\"\"}", "\"\""},
        {"{\"type\":\"PING\"}", "PING"},
        {"{\"type\":\"ping \"}", "ping "},
        {"{\"type\":\"welcome\"}", "welcome"}, /* a server message */
    };
    EXPECT_ALL(f, PROTO_ERR_UNKNOWN_TYPE);
}

static void err_missing_field(void **state)
{
    static const bad_frame f[] = {
        {"{\"type\":\"auth\",\"token\":\"t\"}", "v is required"},
        {"{\"type\":\"auth\",\"v\":1}", "token is required"},
        {"{\"type\":\"chat\",\"text\":\"t\"}", "id is required"},
        {"{\"type\":\"chat\",\"id\":\"x\"}", "text is required"},
        {"{\"type\":\"dm\",\"id\":\"x\",\"text\":\"t\"}", "to is required"},
        {"{\"type\":\"dm\",\"id\":\"x\",\"to\":\"u\"}", "text is required"},
        {"{\"type\":\"dm\",\"to\":\"u\",\"text\":\"t\"}", "id is required"},
        {"{\"type\":\"history\"}", "channel is required"},
        {"{\"type\":\"join\",\"since\":{\"room:main\":{\"offset\":1}}}",
         "since[\"room:main\"].epoch is required"},
        {"{\"type\":\"join\",\"since\":{\"user:u7\":{\"epoch\":\"e\"}}}",
         "since[\"user:u7\"].offset is required"},
    };
    EXPECT_ALL(f, PROTO_ERR_MISSING_FIELD);
}

static void err_wrong_type(void **state)
{
    static const bad_frame f[] = {
        {"{\"type\":\"ping\",\"ref\":5}", "ref must be a string"},
        {"{\"type\":\"ping\",\"ref\":null}", "ref must be a string"},
        {"{\"type\":\"auth\",\"v\":1,\"token\":[\"t\"]}", "token must be"},
        {"{\"type\":\"chat\",\"id\":7,\"text\":\"t\"}", "id must be a string"},
        {"{\"type\":\"chat\",\"id\":\"x\",\"text\":42}", "text must be"},
        {"{\"type\":\"chat\",\"id\":\"x\",\"room\":null,\"text\":\"t\"}",
         "room must be"},
        {"{\"type\":\"chat\",\"id\":\"x\",\"text\":{\"a\":1}}", "text must be"},
        {"{\"type\":\"dm\",\"id\":\"x\",\"to\":true,\"text\":\"t\"}",
         "to must be"},
        {"{\"type\":\"history\",\"channel\":1}", "channel must be"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"limit\":\"5\"}",
         "limit must be"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"before\":false}",
         "before must be"},
        {"{\"type\":\"join\",\"since\":[]}", "since must be an object"},
        {"{\"type\":\"join\",\"since\":\"room:main\"}", "since must be"},
        {"{\"type\":\"join\",\"since\":{\"room:main\":41}}",
         "since[\"room:main\"] must be an object"},
        {"{\"type\":\"join\",\"since\":{\"room:main\":{\"epoch\":1,"
         "\"offset\":1}}}",
         "since[\"room:main\"].epoch must be a string"},
        {"{\"type\":\"join\",\"since\":{\"room:main\":{\"epoch\":\"e\","
         "\"offset\":\"1\"}}}",
         "since[\"room:main\"].offset must be"},
    };
    EXPECT_ALL(f, PROTO_ERR_WRONG_TYPE);
}

static void err_bad_value(void **state)
{
    static const bad_frame f[] = {
        {"{\"type\":\"chat\",\"id\":\"a b\",\"text\":\"t\"}", "id must be"},
        {"{\"type\":\"chat\",\"id\":\"\",\"text\":\"t\"}", "id must be"},
        {"{\"type\":\"chat\",\"id\":\"\xC3\xA9\",\"text\":\"t\"}", "id must"},
        {"{\"type\":\"chat\",\"id\":\"x\",\"text\":\"\"}", "text must not be"},
        {"{\"type\":\"chat\",\"id\":\"x\",\"room\":\"a/b\",\"text\":\"t\"}",
         "room must be"},
        {"{\"type\":\"dm\",\"id\":\"x\",\"to\":\"u 9\",\"text\":\"t\"}",
         "to must be"},
        {"{\"type\":\"auth\",\"v\":1,\"token\":\"\"}", "token must not be"},
        {"{\"type\":\"history\",\"channel\":\"main\"}", "channel must be"},
        {"{\"type\":\"history\",\"channel\":\"room:\"}", "channel must be"},
        {"{\"type\":\"history\",\"channel\":\"lobby:x\"}", "channel must be"},
        {"{\"type\":\"history\",\"channel\":\"room:a b\"}", "channel must"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"limit\":0}",
         "limit must be between 1 and 100"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"limit\":101}",
         "limit must be between 1 and 100"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"limit\":50.5}",
         "limit must be an integer"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"before\":0}",
         "before must be at least 1"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"before\":-5}",
         "before must be at least 1"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"before\":1e400}",
         "before is out of range"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"before\":-1e400}",
         "before is out of range"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"before\":1e16}",
         "before is out of range"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"before\":"
         "9007199254740994}",
         "before is out of range"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"limit\":"
         "99999999999999999999999999999999999999999999999999}",
         "limit is out of range"},
        {"{\"type\":\"history\",\"channel\":\"room:m\",\"limit\":5,"
         "\"limit\":6}",
         "limit appears more than once"},
        {"{\"type\":\"join\",\"since\":{\"room:main\":{\"epoch\":\"k3f9\","
         "\"offset\":-1}}}",
         "since[\"room:main\"].offset must be at least 0"},
        {"{\"type\":\"join\",\"since\":{\"room:main\":{\"epoch\":\"k3-f9\","
         "\"offset\":1}}}",
         "since[\"room:main\"].epoch must be"},
        {"{\"type\":\"join\",\"since\":{\"room:main\":{\"epoch\":\"\","
         "\"offset\":1}}}",
         "since[\"room:main\"].epoch must be"},
        {"{\"type\":\"join\",\"since\":{\"lobby\":{\"epoch\":\"e\","
         "\"offset\":1}}}",
         "since key \"lobby\" must be room:<id> or user:<id>"},
        {"{\"type\":\"join\",\"since\":{\"\":{\"epoch\":\"e\",\"offset\":1}}}",
         "since key \"\""},
        {"{\"type\":\"join\",\"since\":{\"room:a\":{\"epoch\":\"e\","
         "\"offset\":1},\"room:a\":{\"epoch\":\"e\",\"offset\":2}}}",
         "twice"},
        /* \u0000 anywhere: C strings cannot carry it. */
        {"{\"type\":\"chat\",\"id\":\"x\",\"text\":\"a\\u0000b\"}",
         "\"text\" contains \\u0000"},
        {"{\"type\":\"chat\",\"id\":\"x\\u0000\",\"text\":\"t\"}",
         "\"id\" contains \\u0000"},
        {"{\"type\":\"ping\",\"ty\\u0000pe\":1}", "key contains \\u0000"},
        {"{\"type\":\"ping\",\"extra\":[\"\\u0000\"]}", "\"extra\" contains"},
    };
    EXPECT_ALL(f, PROTO_ERR_BAD_VALUE);
}

static void err_too_long(void **state)
{
    char *f;

    f = repeat3("{\"type\":\"chat\",\"id\":\"x\",\"text\":\"", "a",
                PROTO_MAX_TEXT + 1, "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "text is longer than 4000 bytes");
    free(f);
    f = repeat3("{\"type\":\"chat\",\"id\":\"x\",\"text\":\"", "\\u0101",
                PROTO_MAX_TEXT / 2 + 1, "\"}"); /* 4002 bytes decoded */
    expect_error(f, PROTO_ERR_TOO_LONG, "text is longer");
    free(f);
    f = repeat3("{\"type\":\"chat\",\"text\":\"t\",\"id\":\"", "z",
                PROTO_MAX_ID + 1, "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "id is longer than 64 bytes");
    free(f);
    f = repeat3("{\"type\":\"dm\",\"id\":\"x\",\"text\":\"t\",\"to\":\"", "z",
                PROTO_MAX_ID + 1, "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "to is longer");
    free(f);
    f = repeat3("{\"type\":\"ping\",\"ref\":\"", "r", PROTO_MAX_ID + 1, "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "ref is longer than 64 bytes");
    free(f);
    f = repeat3("{\"type\":\"auth\",\"v\":1,\"token\":\"", "t",
                PROTO_MAX_TOKEN + 1, "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "token is longer than 4096 bytes");
    free(f);
    f = repeat3("{\"type\":\"history\",\"channel\":\"room:", "c", 80, "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "channel is longer than 80 bytes");
    free(f);
    f = repeat3("{\"type\":\"join\",\"since\":{\"room:m\":{\"offset\":1,"
                "\"epoch\":\"",
                "e", PROTO_MAX_EPOCH + 1, "\"}}}");
    expect_error(f, PROTO_ERR_TOO_LONG, "since[\"room:m\"].epoch is longer");
    free(f);
    f = repeat3("{\"type\":\"join\",\"since\":{\"room:", "c", 80,
                "\":{\"epoch\":\"e\",\"offset\":1}}}");
    expect_error(f, PROTO_ERR_TOO_LONG, "since key");
    free(f);

    /* The frame itself: 65,536 bytes pass, one more does not. */
    f = repeat3("{\"type\":\"ping\"}", " ", PROTO_MAX_FRAME - 15, "");
    proto_msg m;
    assert_int_equal(strlen(f), PROTO_MAX_FRAME);
    expect_ok(f, &m);
    proto_msg_free(&m);
    free(f);
    f = repeat3("{\"type\":\"ping\"}", " ", PROTO_MAX_FRAME - 14, "");
    expect_error(f, PROTO_ERR_TOO_LONG, "65537 bytes");
    free(f);
}

static void err_too_many(void **state)
{
    char frame[2048];
    size_t n = (size_t)snprintf(frame, sizeof(frame),
                                "{\"type\":\"join\",\"since\":{");

    for (int i = 0; i <= PROTO_MAX_SINCE; i++)
        n += (size_t)snprintf(frame + n, sizeof(frame) - n,
                              "%s\"room:r%d\":{\"epoch\":\"e\",\"offset\":1}",
                              i ? "," : "", i);
    snprintf(frame + n, sizeof(frame) - n, "}}");
    expect_error(frame, PROTO_ERR_TOO_MANY, "since has more than 16 entries");
}

static void err_unsupported_version(void **state)
{
    static const bad_frame f[] = {
        {"{\"type\":\"auth\",\"v\":2,\"token\":\"t\"}", "version 2"},
        {"{\"type\":\"auth\",\"v\":0,\"token\":\"t\"}", "version 0"},
        {"{\"type\":\"auth\",\"v\":-1}", "version -1"},
        {"{\"type\":\"auth\",\"v\":2}", "speaks 1"}, /* before the token */
        /* Any v that is not the integer 1, whatever its type. */
        {"{\"type\":\"auth\",\"v\":\"1\",\"token\":\"t\"}", "integer 1"},
        {"{\"type\":\"auth\",\"v\":1.5,\"token\":\"t\"}", "integer 1"},
        {"{\"type\":\"auth\",\"v\":null,\"token\":\"t\"}", "integer 1"},
    };
    EXPECT_ALL(f, PROTO_ERR_UNSUPPORTED_VERSION);
}

/* A failing message still tells who it was, for the error reply. */
static void error_keeps_envelope(void **state)
{
    proto_msg m;
    char d[128];

    assert_int_equal(parse_s("{\"type\":\"chat\",\"ref\":\"r5\",\"id\":"
                             "\"c-1699-9\",\"text\":42}",
                             &m, d, sizeof(d)),
                     PROTO_ERR_WRONG_TYPE);
    assert_int_equal(m.type, PROTO_CHAT);
    assert_string_equal(m.ref, "r5");
    assert_string_equal(m.u.chat.id, "c-1699-9");
    assert_null(m.u.chat.text);
    proto_msg_free(&m);

    assert_int_equal(parse_s("{\"text\":\"t\",\"id\":\"d1\",\"to\":\"u 9\","
                             "\"type\":\"dm\",\"ref\":\"r6\"}",
                             &m, d, sizeof(d)),
                     PROTO_ERR_BAD_VALUE);
    assert_int_equal(m.type, PROTO_DM);
    assert_string_equal(m.ref, "r6");
    assert_string_equal(m.u.dm.id, "d1");
    assert_null(m.u.dm.text); /* freed on error */
    proto_msg_free(&m);

    assert_int_equal(
        parse_s("{\"type\":\"auth\",\"v\":3,\"ref\":\"a\"}", &m, d, sizeof(d)),
        PROTO_ERR_UNSUPPORTED_VERSION);
    assert_int_equal(m.type, PROTO_AUTH);
    assert_string_equal(m.ref, "a");
    proto_msg_free(&m);

    assert_int_equal(
        parse_s("{\"type\":\"dance\",\"ref\":\"q\"}", &m, d, sizeof(d)),
        PROTO_ERR_UNKNOWN_TYPE);
    assert_int_equal(m.type, PROTO_NONE);
    assert_string_equal(m.ref, "q");
    proto_msg_free(&m);

    /* An invalid id or ref is not echoed. */
    assert_int_equal(parse_s("{\"type\":\"chat\",\"ref\":7,\"id\":\"a b\"}", &m,
                             d, sizeof(d)),
                     PROTO_ERR_WRONG_TYPE);
    assert_string_equal(m.ref, "");
    assert_string_equal(m.u.chat.id, "");
    proto_msg_free(&m);

    /* Nothing is readable from a frame that is not JSON. */
    assert_int_equal(
        parse_s("{\"type\":\"chat\",\"ref\":\"r\"", &m, d, sizeof(d)),
        PROTO_ERR_BAD_JSON);
    assert_int_equal(m.type, PROTO_NONE);
    assert_string_equal(m.ref, "");
    proto_msg_free(&m);
}

/* The detail buffer may be small or absent. */
static void detail_buffer(void **state)
{
    proto_msg m;
    char d[8];

    memset(d, 'z', sizeof(d));
    assert_int_equal(parse_s("{\"type\":\"history\"}", &m, d, sizeof(d)),
                     PROTO_ERR_MISSING_FIELD);
    assert_int_equal(strlen(d), sizeof(d) - 1);
    proto_msg_free(&m);
    assert_int_equal(parse_s("{\"type\":\"history\"}", &m, NULL, 0),
                     PROTO_ERR_MISSING_FIELD);
    proto_msg_free(&m);
    memset(d, 'z', sizeof(d));
    assert_int_equal(parse_s("{\"type\":\"history\"}", &m, d, 0),
                     PROTO_ERR_MISSING_FIELD);
    assert_int_equal(d[0], 'z');
    proto_msg_free(&m);
    assert_int_equal(parse_s("{\"type\":\"ping\"}", &m, d, sizeof(d)),
                     PROTO_OK);
    assert_string_equal(d, "");
    proto_msg_free(&m);
}

int run_error_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(err_bad_json),
        cmocka_unit_test(err_bad_message),
        cmocka_unit_test(err_unknown_type),
        cmocka_unit_test(err_missing_field),
        cmocka_unit_test(err_wrong_type),
        cmocka_unit_test(err_bad_value),
        cmocka_unit_test(err_too_long),
        cmocka_unit_test(err_too_many),
        cmocka_unit_test(err_unsupported_version),
        cmocka_unit_test(error_keeps_envelope),
        cmocka_unit_test(detail_buffer),
    };
    return cmocka_run_group_tests_name("proto_errors", tests, NULL, NULL);
}
