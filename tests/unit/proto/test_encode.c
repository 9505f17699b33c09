/* test_encode.c: every encoder produces exactly the expected JSON text
 * (golden strings), escapes what it must, keeps non-ASCII text as UTF-8,
 * repairs strings that are not UTF-8, and batches frames. */
#include "test_proto.h"

#include <stdlib.h>
#include <string.h>

static const char *const anna_langs[] = {"lv", "en"};
static const proto_member anna = {
    .id = "u7",
    .name = "Anna Berzina",
    .role = "entrepreneur",
    .country = "LV",
    .langs = anna_langs,
    .nlangs = 2,
    .room = "main",
    .online = 1,
};
#define ANNA_JSON                                                              \
    "{\"id\":\"u7\",\"name\":\"Anna Berzina\",\"role\":\"entrepreneur\","      \
    "\"country\":\"LV\",\"langs\":[\"lv\",\"en\"],\"room\":\"main\","          \
    "\"online\":true}"

static void member(void **state)
{
    size_t len;
    proto_member bare = {.id = "e1", .name = "Expert", .role = "expert"};

    golden(proto_encode_member(&anna, &len), &len, ANNA_JSON);
    golden(proto_encode_member(&bare, &len), &len,
           "{\"id\":\"e1\",\"name\":\"Expert\",\"role\":\"expert\","
           "\"langs\":[],\"online\":false}");
    bare.country = "";
    bare.room = "";
    bare.online = 7;
    golden(proto_encode_member(&bare, &len), &len,
           "{\"id\":\"e1\",\"name\":\"Expert\",\"role\":\"expert\","
           "\"langs\":[],\"online\":true}");
    golden(proto_encode_member(NULL, &len), &len, "null");
    proto_member empty = {0};
    golden(proto_encode_member(&empty, &len), &len,
           "{\"id\":\"\",\"name\":\"\",\"role\":\"\",\"langs\":[],"
           "\"online\":false}");
}

static void welcome(void **state)
{
    size_t len;

    golden(
        proto_encode_welcome("s42", &anna, 1764410000000LL, "n1", NULL, &len),
        &len,
        "{\"type\":\"welcome\",\"v\":1,\"session\":\"s42\",\"me\":" ANNA_JSON
        ",\"server_time\":1764410000000,\"node\":\"n1\"}");
}

static void joined(void **state)
{
    static const char *const no_langs[] = {NULL};
    proto_member members[2] = {anna,
                               {.id = "u9",
                                .name = "J\xC4\x81nis",
                                .role = "coordinator",
                                .langs = no_langs,
                                .nlangs = 0,
                                .room = "b1",
                                .online = 1}};
    const proto_raw ev[] = {
        {"{\"type\":\"chat\",\"offset\":43}", 27},
        {"{\"type\":\"chat\",\"offset\":44}xxxx", 27}, /* not terminated */
    };
    const proto_channel_state ch[] = {
        {"room:main", 44, 1, ev, 2},
        {"user:u7", 3, 0, NULL, 0},
    };
    size_t len;

    golden(proto_encode_joined("s42", "main", "k3f9", 1764410000123LL, members,
                               2, ch, 2, NULL, &len),
           &len,
           "{\"type\":\"joined\",\"session\":\"s42\",\"room\":\"main\","
           "\"epoch\":\"k3f9\",\"server_time\":1764410000123,\"members\":"
           "[" ANNA_JSON ",{\"id\":\"u9\",\"name\":\"J\xC4\x81nis\",\"role\":"
           "\"coordinator\",\"langs\":[],\"room\":\"b1\",\"online\":true}],"
           "\"channels\":{\"room:main\":{\"offset\":44,\"recovered\":true,"
           "\"events\":[{\"type\":\"chat\",\"offset\":43},{\"type\":\"chat\","
           "\"offset\":44}]},\"user:u7\":{\"offset\":3,\"recovered\":false,"
           "\"events\":[]}}}");
    golden(proto_encode_joined("s42", "main", "k3f9", 0, NULL, 0, NULL, 0, NULL,
                               &len),
           &len,
           "{\"type\":\"joined\",\"session\":\"s42\",\"room\":\"main\","
           "\"epoch\":\"k3f9\",\"server_time\":0,\"members\":[],"
           "\"channels\":{}}");
}

static void chat_escaping(void **state)
{
    static const char text[] = "<img src=x onerror=alert(1)> \"quoted\"\n"
                               "L\xC4\xAB"
                               "ga \xC5\xA0\xC4\xB7\xC4\x93le\t\\/\x01\r";
    size_t len;

    golden(proto_encode_chat("room:main", 42, "c-1699-7", &anna, text,
                             strlen(text), 1764410000456LL, &len),
           &len,
           "{\"type\":\"chat\",\"channel\":\"room:main\",\"offset\":42,"
           "\"id\":\"c-1699-7\",\"from\":{\"id\":\"u7\",\"name\":"
           "\"Anna Berzina\",\"role\":\"entrepreneur\"},\"text\":"
           "\"<img src=x onerror=alert(1)> \\\"quoted\\\"\\n"
           "L\xC4\xAB"
           "ga \xC5\xA0\xC4\xB7\xC4\x93le\\t\\\\/\\u0001\\r\","
           "\"ts\":1764410000456}");

    /* text_len counts: the bytes after it are not read. */
    golden(proto_encode_chat("room:main", 1, "c", &anna, "Hello from Riga!!",
                             15, 2, &len),
           &len,
           "{\"type\":\"chat\",\"channel\":\"room:main\",\"offset\":1,"
           "\"id\":\"c\",\"from\":{\"id\":\"u7\",\"name\":\"Anna Berzina\","
           "\"role\":\"entrepreneur\"},\"text\":\"Hello from Riga\","
           "\"ts\":2}");
}

static void dm(void **state)
{
    size_t len;
    const char *text = "Shall we talk after?";

    golden(proto_encode_dm("user:u9", 4, "c-1699-8", &anna, "u9", text,
                           strlen(text), 1764410000789LL, &len),
           &len,
           "{\"type\":\"dm\",\"channel\":\"user:u9\",\"offset\":4,"
           "\"id\":\"c-1699-8\",\"from\":{\"id\":\"u7\",\"name\":"
           "\"Anna Berzina\",\"role\":\"entrepreneur\"},\"to\":\"u9\","
           "\"text\":\"Shall we talk after?\",\"ts\":1764410000789}");
}

static void small_events(void **state)
{
    size_t len;
    const proto_raw ev[] = {{"{\"offset\":1}", 12}, {"{\"offset\":2}", 12}};

    golden(proto_encode_ack("c-1699-7", "room:main", 42, NULL, &len), &len,
           "{\"type\":\"ack\",\"id\":\"c-1699-7\",\"channel\":\"room:main\","
           "\"offset\":42}");
    golden(proto_encode_presence("join", &anna, &len), &len,
           "{\"type\":\"presence\",\"action\":\"join\",\"member\":" ANNA_JSON
           "}");
    golden(proto_encode_presence("leave", &anna, &len), &len,
           "{\"type\":\"presence\",\"action\":\"leave\",\"member\":" ANNA_JSON
           "}");
    golden(proto_encode_history("room:main", ev, 2, 1, NULL, &len), &len,
           "{\"type\":\"history\",\"channel\":\"room:main\",\"events\":["
           "{\"offset\":1},{\"offset\":2}],\"more\":true}");
    golden(proto_encode_history("user:u7", NULL, 0, 0, NULL, &len), &len,
           "{\"type\":\"history\",\"channel\":\"user:u7\",\"events\":[],"
           "\"more\":false}");
    golden(proto_encode_pong("p1", 1764410000999LL, &len), &len,
           "{\"type\":\"pong\",\"ref\":\"p1\",\"server_time\":1764410000999}");
    golden(proto_encode_pong(NULL, 5, &len), &len,
           "{\"type\":\"pong\",\"server_time\":5}");
    golden(proto_encode_pong("", 5, &len), &len,
           "{\"type\":\"pong\",\"server_time\":5}");
}

static void errors(void **state)
{
    size_t len;

    golden(proto_encode_error(PROTO_ERR_TOO_LONG,
                              "text is longer than 4000 bytes", "r5",
                              "c-1699-9", &len),
           &len,
           "{\"type\":\"error\",\"code\":\"too_long\",\"message\":"
           "\"text is longer than 4000 bytes\",\"ref\":\"r5\","
           "\"id\":\"c-1699-9\"}");
    golden(proto_encode_error(PROTO_ERR_NOT_JOINED, NULL, NULL, "", &len), &len,
           "{\"type\":\"error\",\"code\":\"not_joined\",\"message\":"
           "\"join the session first\"}");
    golden(proto_encode_error(PROTO_ERR_BAD_VALUE,
                              "\"id\" contains \\u0000 (at byte 3)", "\"r\"",
                              NULL, &len),
           &len,
           "{\"type\":\"error\",\"code\":\"bad_value\",\"message\":"
           "\"\\\"id\\\" contains \\\\u0000 (at byte 3)\",\"ref\":"
           "\"\\\"r\\\"\"}");
}

static void exact_integers(void **state)
{
    size_t len;

    golden(proto_encode_ack("a", "room:m", INT64_MAX, NULL, &len), &len,
           "{\"type\":\"ack\",\"id\":\"a\",\"channel\":\"room:m\","
           "\"offset\":9223372036854775807}");
    golden(proto_encode_pong(NULL, INT64_MIN, &len), &len,
           "{\"type\":\"pong\",\"server_time\":-9223372036854775808}");
    golden(proto_encode_ack("a", "room:m", 9007199254740993LL, NULL, &len),
           &len,
           "{\"type\":\"ack\",\"id\":\"a\",\"channel\":\"room:m\","
           "\"offset\":9007199254740993}");
}

/* Whatever bytes come in, the frame is valid JSON and valid UTF-8. */
static void repairs_bad_strings(void **state)
{
    size_t len;
    proto_member bad = {.id = "u\xFF", .name = "Ann\xC3", .role = "x"};
    static const char text[] = "a\0b\xC0\xAF\xED\xA0\x80z\xE2\x82";

    golden(proto_encode_chat("room:m", 1, "i", &bad, text, sizeof(text) - 1, 3,
                             &len),
           &len,
           "{\"type\":\"chat\",\"channel\":\"room:m\",\"offset\":1,"
           "\"id\":\"i\",\"from\":{\"id\":\"u\xEF\xBF\xBD\",\"name\":"
           "\"Ann\xEF\xBF\xBD\",\"role\":\"x\"},\"text\":\"a\xEF\xBF\xBD"
           "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
           "z\xEF\xBF\xBD\xEF\xBF\xBD\",\"ts\":3}");
    golden(proto_encode_chat(NULL, 0, NULL, NULL, NULL, 0, 0, &len), &len,
           "{\"type\":\"chat\",\"channel\":\"\",\"offset\":0,\"id\":\"\","
           "\"from\":{\"id\":\"\",\"name\":\"\",\"role\":\"\"},\"text\":\"\","
           "\"ts\":0}");
}

static void batch(void **state)
{
    size_t len, l1, l2, l3;
    char *a = proto_encode_ack("c1", "room:main", 1, NULL, &l1);
    char *b = proto_encode_pong("p", 2, &l2);
    char *c = proto_encode_presence("leave", &anna, &l3);
    proto_raw items[3] = {{a, l1}, {b, l2}, {c, l3}};

    golden(proto_encode_batch(items, 3, &len), &len,
           "[{\"type\":\"ack\",\"id\":\"c1\",\"channel\":\"room:main\","
           "\"offset\":1},{\"type\":\"pong\",\"ref\":\"p\","
           "\"server_time\":2},{\"type\":\"presence\",\"action\":\"leave\","
           "\"member\":" ANNA_JSON "}]");
    golden(proto_encode_batch(items, 1, &len), &len,
           "[{\"type\":\"ack\",\"id\":\"c1\",\"channel\":\"room:main\","
           "\"offset\":1}]");
    golden(proto_encode_batch(NULL, 0, &len), &len, "[]");
    free(a);
    free(b);
    free(c);
}

/* Replies carry the ref of the message they answer, right after "type". */
static void replies_with_ref(void **state)
{
    size_t len;
    const proto_raw ev[] = {{"{\"offset\":1}", 12}};

    golden(proto_encode_welcome("s42", &anna, 1, "n1", "a1", &len), &len,
           "{\"type\":\"welcome\",\"ref\":\"a1\",\"v\":1,\"session\":\"s42\","
           "\"me\":" ANNA_JSON ",\"server_time\":1,\"node\":\"n1\"}");
    golden(proto_encode_joined("s42", "main", "k3f9", 2, NULL, 0, NULL, 0, "j",
                               &len),
           &len,
           "{\"type\":\"joined\",\"ref\":\"j\",\"session\":\"s42\","
           "\"room\":\"main\",\"epoch\":\"k3f9\",\"server_time\":2,"
           "\"members\":[],\"channels\":{}}");
    golden(proto_encode_ack("c1", "room:main", 7, "r5", &len), &len,
           "{\"type\":\"ack\",\"ref\":\"r5\",\"id\":\"c1\","
           "\"channel\":\"room:main\",\"offset\":7}");
    golden(proto_encode_history("room:main", ev, 1, 0, "h\"<\n", &len), &len,
           "{\"type\":\"history\",\"ref\":\"h\\\"<\\n\",\"channel\":"
           "\"room:main\",\"events\":[{\"offset\":1}],\"more\":false}");
    golden(proto_encode_ack("c1", "room:main", 7, "", &len), &len,
           "{\"type\":\"ack\",\"id\":\"c1\",\"channel\":\"room:main\","
           "\"offset\":7}");
}

int run_encode_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(member),
        cmocka_unit_test(welcome),
        cmocka_unit_test(joined),
        cmocka_unit_test(chat_escaping),
        cmocka_unit_test(dm),
        cmocka_unit_test(small_events),
        cmocka_unit_test(errors),
        cmocka_unit_test(exact_integers),
        cmocka_unit_test(repairs_bad_strings),
        cmocka_unit_test(batch),
        cmocka_unit_test(replies_with_ref),
    };
    return cmocka_run_group_tests_name("proto_encode", tests, NULL, NULL);
}
