/* test_parse.c: golden client frames, one or more per message type, parse
 * into exactly the expected fields; and the tables of the module. */
#include "test_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void auth_frame(void **state)
{
    proto_msg m;

    expect_ok("{\"type\":\"auth\",\"v\":1,\"token\":\"eyJhbGciOi.x.y\","
              "\"ref\":\"a1\"}",
              &m);
    assert_int_equal(m.type, PROTO_AUTH);
    assert_string_equal(m.ref, "a1");
    assert_int_equal(m.u.auth.v, 1);
    assert_int_equal(m.u.auth.token_len, 14);
    assert_string_equal(m.u.auth.token, "eyJhbGciOi.x.y");
    proto_msg_free(&m);
    assert_null(m.u.auth.token);
    assert_int_equal(m.type, PROTO_NONE);

    /* 1.0 is the integer 1; unknown fields are ignored. */
    expect_ok("{\"v\":1.0,\"token\":\"t\",\"type\":\"auth\",\"x\":[1,{}]}", &m);
    assert_int_equal(m.u.auth.v, 1);
    assert_string_equal(m.ref, "");
    proto_msg_free(&m);
}

static void join_frames(void **state)
{
    proto_msg m;

    expect_ok("{\"type\":\"join\"}", &m);
    assert_int_equal(m.type, PROTO_JOIN);
    assert_int_equal(m.u.join.nsince, 0);
    proto_msg_free(&m);

    expect_ok("{\"type\":\"join\",\"since\":{}}", &m);
    assert_int_equal(m.u.join.nsince, 0);
    proto_msg_free(&m);

    expect_ok("{\"type\":\"join\",\"ref\":\"j\",\"since\":{"
              "\"room:main\":{\"epoch\":\"k3f9\",\"offset\":41},"
              "\"user:u7\":{\"offset\":0,\"epoch\":\"K3F9zz\"}}}",
              &m);
    assert_string_equal(m.ref, "j");
    assert_int_equal(m.u.join.nsince, 2);
    assert_string_equal(m.u.join.since[0].channel, "room:main");
    assert_string_equal(m.u.join.since[0].epoch, "k3f9");
    assert_int_equal(m.u.join.since[0].offset, 41);
    assert_string_equal(m.u.join.since[1].channel, "user:u7");
    assert_string_equal(m.u.join.since[1].epoch, "K3F9zz");
    assert_int_equal(m.u.join.since[1].offset, 0);
    proto_msg_free(&m);
}

static void join_sixteen_channels(void **state)
{
    char frame[2048];
    size_t n = (size_t)snprintf(frame, sizeof(frame),
                                "{\"type\":\"join\",\"since\":{");
    proto_msg m;

    for (int i = 0; i < PROTO_MAX_SINCE; i++)
        n += (size_t)snprintf(frame + n, sizeof(frame) - n,
                              "%s\"room:r%d\":{\"epoch\":\"e\",\"offset\":%d}",
                              i ? "," : "", i, i * 1000);
    snprintf(frame + n, sizeof(frame) - n, "}}");
    expect_ok(frame, &m);
    assert_int_equal(m.u.join.nsince, 16);
    assert_string_equal(m.u.join.since[15].channel, "room:r15");
    assert_int_equal(m.u.join.since[15].offset, 15000);
    proto_msg_free(&m);
}

static void chat_frames(void **state)
{
    proto_msg m;

    expect_ok("{\"type\":\"chat\",\"id\":\"c-1699-7\",\"room\":\"main\","
              "\"text\":\"Hello from Riga\"}",
              &m);
    assert_int_equal(m.type, PROTO_CHAT);
    assert_string_equal(m.u.chat.id, "c-1699-7");
    assert_string_equal(m.u.chat.room, "main");
    assert_int_equal(m.u.chat.text_len, 15);
    assert_string_equal(m.u.chat.text, "Hello from Riga");
    proto_msg_free(&m);

    /* room is optional; text is kept as sent, escapes decoded. */
    expect_ok("{\"type\":\"chat\",\"id\":\"A.b_c-9\",\"text\":"
              "\"  L\\u012bga \\\"\\u0160\\u0137\\u0113le\\\"\\n\\t\\/ "
              "\\ud83d\\ude00 \"}",
              &m);
    assert_string_equal(m.u.chat.room, "");
    assert_string_equal(m.u.chat.text, "  L\xC4\xABga \"\xC5\xA0\xC4\xB7"
                                       "\xC4\x93le\"\n\t/ "
                                       "\xF0\x9F\x98\x80 ");
    assert_int_equal(m.u.chat.text_len, strlen(m.u.chat.text));
    proto_msg_free(&m);

    /* Raw UTF-8 is kept byte for byte. */
    expect_ok("{\"type\":\"chat\",\"id\":\"1\",\"text\":\"L\xC4\xABga "
              "\xC5\xA0\xC4\xB7\xC4\x93le <img src=x onerror=alert(1)>\"}",
              &m);
    assert_string_equal(m.u.chat.text, "L\xC4\xABga \xC5\xA0\xC4\xB7\xC4\x93le"
                                       " <img src=x onerror=alert(1)>");
    proto_msg_free(&m);
}

static void chat_text_limits(void **state)
{
    proto_msg m;
    char *f = repeat3("{\"type\":\"chat\",\"id\":\"x\",\"text\":\"", "a",
                      PROTO_MAX_TEXT, "\"}");
    expect_ok(f, &m);
    assert_int_equal(m.u.chat.text_len, PROTO_MAX_TEXT);
    proto_msg_free(&m);
    free(f);

    /* 2000 two-byte characters are 4000 bytes: still allowed. */
    f = repeat3("{\"type\":\"chat\",\"id\":\"x\",\"text\":\"", "\xC4\x81",
                PROTO_MAX_TEXT / 2, "\"}");
    expect_ok(f, &m);
    assert_int_equal(m.u.chat.text_len, PROTO_MAX_TEXT);
    proto_msg_free(&m);
    free(f);

    /* An id of exactly 64 characters. */
    f = repeat3("{\"type\":\"chat\",\"text\":\"t\",\"id\":\"", "z",
                PROTO_MAX_ID, "\"}");
    expect_ok(f, &m);
    assert_int_equal(strlen(m.u.chat.id), PROTO_MAX_ID);
    proto_msg_free(&m);
    free(f);
}

static void dm_frame(void **state)
{
    proto_msg m;

    expect_ok("{\"type\":\"dm\",\"id\":\"c-1699-8\",\"to\":\"u9\","
              "\"text\":\"Shall we talk after?\",\"ref\":\"d\"}",
              &m);
    assert_int_equal(m.type, PROTO_DM);
    assert_string_equal(m.ref, "d");
    assert_string_equal(m.u.dm.id, "c-1699-8");
    assert_string_equal(m.u.dm.to, "u9");
    assert_string_equal(m.u.dm.text, "Shall we talk after?");
    assert_int_equal(m.u.dm.text_len, 20);
    proto_msg_free(&m);
}

static void history_frames(void **state)
{
    proto_msg m;

    expect_ok("{\"type\":\"history\",\"channel\":\"room:main\","
              "\"before\":120,\"limit\":50}",
              &m);
    assert_int_equal(m.type, PROTO_HISTORY);
    assert_string_equal(m.u.history.channel, "room:main");
    assert_int_equal(m.u.history.before, 120);
    assert_int_equal(m.u.history.limit, 50);
    proto_msg_free(&m);

    expect_ok("{\"type\":\"history\",\"channel\":\"user:u7\"}", &m);
    assert_string_equal(m.u.history.channel, "user:u7");
    assert_true(m.u.history.before == INT64_MAX);
    assert_int_equal(m.u.history.limit, PROTO_HISTORY_DEFAULT);
    proto_msg_free(&m);

    expect_ok("{\"type\":\"history\",\"channel\":\"room:b-1\",\"limit\":1,"
              "\"before\":1}",
              &m);
    assert_int_equal(m.u.history.limit, 1);
    assert_int_equal(m.u.history.before, 1);
    proto_msg_free(&m);

    /* 1e2 is the integer 100; 2^53 is the largest allowed magnitude. */
    expect_ok("{\"type\":\"history\",\"channel\":\"room:b\",\"limit\":1e2,"
              "\"before\":9007199254740992}",
              &m);
    assert_int_equal(m.u.history.limit, PROTO_HISTORY_MAX);
    assert_true(m.u.history.before == 9007199254740992LL);
    proto_msg_free(&m);
}

static void ping_frame(void **state)
{
    proto_msg m;

    expect_ok("{\"type\":\"ping\",\"ref\":\"p1\"}", &m);
    assert_int_equal(m.type, PROTO_PING);
    assert_string_equal(m.ref, "p1");
    proto_msg_free(&m);

    char *f = repeat3("{\"type\":\"ping\",\"ref\":\"", "\xC3\xA9",
                      PROTO_MAX_ID / 2, "\"}");
    expect_ok(f, &m); /* 64 bytes of UTF-8 */
    assert_int_equal(strlen(m.ref), PROTO_MAX_ID);
    proto_msg_free(&m);
    free(f);
}

static void type_table(void **state)
{
    assert_null(proto_type_name(PROTO_NONE));
    assert_null(proto_type_name(PROTO_TYPE_COUNT));
    assert_string_equal(proto_type_name(PROTO_AUTH), "auth");
    assert_string_equal(proto_type_name(PROTO_HISTORY), "history");
    for (int t = PROTO_NONE + 1; t < PROTO_TYPE_COUNT; t++) {
        const char *w = proto_type_name((proto_type)t);
        assert_int_equal(proto_type_from_name(w, strlen(w)), t);
    }
    assert_int_equal(proto_type_from_name("cha", 3), PROTO_NONE);
    assert_int_equal(proto_type_from_name("chat", 3), PROTO_NONE);
    assert_int_equal(proto_type_from_name("chatx", 5), PROTO_NONE);
    assert_int_equal(proto_type_from_name("chatx", 4), PROTO_CHAT);

    assert_false(proto_type_needs_auth(PROTO_AUTH));
    assert_false(proto_type_needs_auth(PROTO_PING));
    assert_true(proto_type_needs_auth(PROTO_JOIN));
    assert_false(proto_type_needs_join(PROTO_JOIN));
    assert_true(proto_type_needs_join(PROTO_CHAT));
    assert_true(proto_type_needs_join(PROTO_DM));
    assert_true(proto_type_needs_join(PROTO_HISTORY));
    assert_true(proto_type_needs_auth(PROTO_NONE));
    assert_true(proto_type_needs_join(PROTO_TYPE_COUNT));
}

static void error_table(void **state)
{
    /* docs/protocol.md section 7, in enum order. */
    static const char *const codes[] = {"ok",
                                        "bad_json",
                                        "bad_message",
                                        "unknown_type",
                                        "missing_field",
                                        "wrong_type",
                                        "bad_value",
                                        "too_long",
                                        "too_many",
                                        "unsupported_version",
                                        "not_authenticated",
                                        "already_authenticated",
                                        "bad_token",
                                        "token_expired",
                                        "session_not_allowed",
                                        "not_joined",
                                        "forbidden",
                                        "not_in_room",
                                        "forbidden_channel",
                                        "unknown_member",
                                        "rate_limited",
                                        "store_unavailable",
                                        "internal",
                                        "bad_audio",
                                        "audio_rate",
                                        "not_speaker",
                                        "recording_failed",
                                        "bad_state",
                                        "not_found",
                                        "no_round",
                                        "round_open",
                                        "not_in_breakout",
                                        "unknown_room"};

    assert_int_equal(sizeof(codes) / sizeof(codes[0]), PROTO_ERROR_COUNT);
    for (int e = 0; e < PROTO_ERROR_COUNT; e++) {
        assert_string_equal(proto_error_code((proto_error)e), codes[e]);
        assert_true(strlen(proto_strerror((proto_error)e)) > 0);
    }
    assert_string_equal(proto_error_code(PROTO_ERROR_COUNT), "internal");
    assert_string_equal(proto_error_code((proto_error)-1), "internal");
}

static void validators(void **state)
{
    assert_true(proto_valid_id("u7", 2));
    assert_true(proto_valid_id("A-z_0.9", 7));
    assert_false(proto_valid_id("", 0));
    assert_false(proto_valid_id("a b", 3));
    assert_false(proto_valid_id("a:b", 3));
    assert_false(proto_valid_id("\xC3\xA9", 2));
    assert_false(proto_valid_id("a\0b", 3));
    char id[PROTO_MAX_ID + 1];
    memset(id, 'x', sizeof(id));
    assert_true(proto_valid_id(id, PROTO_MAX_ID));
    assert_false(proto_valid_id(id, PROTO_MAX_ID + 1));

    assert_true(proto_valid_channel("room:main", 9));
    assert_true(proto_valid_channel("user:u7", 7));
    assert_false(proto_valid_channel("room:", 5));
    assert_false(proto_valid_channel("room", 4));
    assert_false(proto_valid_channel("Room:main", 9));
    assert_false(proto_valid_channel("chan:main", 9));
    assert_false(proto_valid_channel("room:a/b", 8));

    assert_true(proto_valid_epoch("k3f9", 4));
    assert_false(proto_valid_epoch("", 0));
    assert_false(proto_valid_epoch("k3-f", 4));
    assert_true(proto_valid_epoch("0123456789abcdef0123456789ABCDEF", 32));
    assert_false(proto_valid_epoch("0123456789abcdef0123456789ABCDEFx", 33));

    assert_true(proto_valid_utf8("", 0));
    assert_true(proto_valid_utf8("L\xC4\xABga", 5));
    assert_true(proto_valid_utf8("\xF4\x8F\xBF\xBF", 4));  /* U+10FFFF */
    assert_true(proto_valid_utf8("\xEF\xBB\xBF", 3));      /* U+FEFF */
    assert_false(proto_valid_utf8("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
    assert_false(proto_valid_utf8("\xED\xA0\x80", 3));     /* surrogate */
    assert_false(proto_valid_utf8("\xC0\xAF", 2));         /* overlong */
    assert_false(proto_valid_utf8("\xE0\x80\xAF", 3));     /* overlong */
    assert_false(proto_valid_utf8("\xF0\x80\x80\xAF", 4)); /* overlong */
    assert_false(proto_valid_utf8("\xC4", 1));             /* cut short */
    assert_false(proto_valid_utf8("\xE2\x82", 2));
    assert_false(proto_valid_utf8("\x80", 1));
    assert_false(proto_valid_utf8("\xFF", 1));
}

static void free_is_safe(void **state)
{
    proto_msg m;

    memset(&m, 0, sizeof(m));
    proto_msg_free(&m);
    proto_msg_free(&m);
    proto_msg_free(NULL);
}

int run_parse_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(auth_frame),
        cmocka_unit_test(join_frames),
        cmocka_unit_test(join_sixteen_channels),
        cmocka_unit_test(chat_frames),
        cmocka_unit_test(chat_text_limits),
        cmocka_unit_test(dm_frame),
        cmocka_unit_test(history_frames),
        cmocka_unit_test(ping_frame),
        cmocka_unit_test(type_table),
        cmocka_unit_test(error_table),
        cmocka_unit_test(validators),
        cmocka_unit_test(free_is_safe),
    };
    return cmocka_run_group_tests_name("proto_parse", tests, NULL, NULL);
}
