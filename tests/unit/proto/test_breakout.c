/* test_breakout.c: golden frames of the profile and breakout messages
 * (docs/protocol.md section 11): each parses into exactly the expected
 * fields, each limit and wrong value gives its error, and each encoder
 * writes exactly the expected JSON text. */
#include "test_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/proto/encode_breakout.h"

static void profile_save_frames(void **state)
{
    proto_msg m;
    expect_ok("{\"type\":\"profile_save\",\"ref\":\"p1\",\"stage\":\"middle\","
              "\"country\":\"LV\",\"langs\":[\"lv\",\"en\",\"rus\"],"
              "\"marks\":{\"financing\":\"need\",\"new_markets\":\"both\","
              "\"visibility\":\"offer\",\"legal_governance\":\"none\"},"
              "\"text\":\"Bakery in R\\u012bga\"}",
              &m);
    const proto_profile_save *p = &m.u.profile_save;
    assert_int_equal(m.type, PROTO_PROFILE_SAVE);
    assert_string_equal(m.ref, "p1");
    assert_int_equal(p->stage, PROTO_PROFILE_MIDDLE);
    assert_string_equal(p->country, "LV");
    assert_true(p->has_langs);
    assert_int_equal(p->nlangs, 3);
    assert_string_equal(p->langs[2], "rus");
    assert_int_equal(p->nmarks, 4);
    assert_string_equal(p->marks[0].topic, "financing");
    assert_int_equal(p->marks[0].mark, PROTO_MARK_NEED);
    assert_int_equal(p->marks[1].mark, PROTO_MARK_BOTH);
    assert_int_equal(p->marks[2].mark, PROTO_MARK_OFFER);
    assert_int_equal(p->marks[3].mark, PROTO_MARK_NONE);
    assert_string_equal(p->text, "Bakery in R\xC4\xAB"
                                 "ga");
    assert_int_equal(p->text_len, 15);
    proto_msg_free(&m);

    /* The smallest: a stage and (maybe empty) marks. */
    expect_ok("{\"type\":\"profile_save\",\"stage\":\"end\",\"marks\":{}}", &m);
    assert_int_equal(m.u.profile_save.stage, PROTO_PROFILE_END);
    assert_string_equal(m.u.profile_save.country, "");
    assert_false(m.u.profile_save.has_langs);
    assert_int_equal(m.u.profile_save.nmarks, 0);
    assert_int_equal(m.u.profile_save.text_len, 0);
    proto_msg_free(&m);
}

static void profile_save_errors(void **state)
{
    const char *pre = "{\"type\":\"profile_save\",\"stage\":\"start\",";
    char buf[2200];
    expect_error("{\"type\":\"profile_save\",\"marks\":{}}",
                 PROTO_ERR_MISSING_FIELD, "stage");
    expect_error("{\"type\":\"profile_save\",\"stage\":\"final\",\"marks\":{}}",
                 PROTO_ERR_BAD_VALUE, "stage");
    expect_error("{\"type\":\"profile_save\",\"stage\":1,\"marks\":{}}",
                 PROTO_ERR_WRONG_TYPE, "stage");
    expect_error("{\"type\":\"profile_save\",\"stage\":\"start\"}",
                 PROTO_ERR_MISSING_FIELD, "marks");
#define WITH(tail) (snprintf(buf, sizeof(buf), "%s%s}", pre, tail), buf)
    expect_error(WITH("\"marks\":[]"), PROTO_ERR_WRONG_TYPE, "marks");
    expect_error(WITH("\"marks\":{\"Financing\":\"need\"}"),
                 PROTO_ERR_BAD_VALUE, "marks keys");
    expect_error(WITH("\"marks\":{\"financing\":\"maybe\"}"),
                 PROTO_ERR_BAD_VALUE, "marks[\"financing\"]");
    expect_error(WITH("\"marks\":{\"financing\":true}"), PROTO_ERR_WRONG_TYPE,
                 "marks[\"financing\"]");
    expect_error(WITH("\"marks\":{\"a\":\"need\",\"a\":\"offer\"}"),
                 PROTO_ERR_BAD_VALUE, "twice");
    expect_error(WITH("\"marks\":{\"abcdefghijklmnopqrstuvwxyzabcdefg\":"
                      "\"need\"}"),
                 PROTO_ERR_BAD_VALUE, "marks keys");
    size_t n = (size_t)snprintf(buf, sizeof(buf), "%s\"marks\":{", pre);
    for (int i = 0; i < PROTO_PROFILE_MARKS + 1; i++)
        n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\"t%c\":\"need\"",
                              i ? "," : "", 'a' + i);
    snprintf(buf + n, sizeof(buf) - n, "}}");
    expect_error(buf, PROTO_ERR_TOO_MANY, "marks");
    expect_error(WITH("\"country\":\"lv\",\"marks\":{}"), PROTO_ERR_BAD_VALUE,
                 "country");
    expect_error(WITH("\"country\":\"LVA\",\"marks\":{}"), PROTO_ERR_TOO_LONG,
                 "country");
    expect_error(WITH("\"langs\":[\"en\",\"en\"],\"marks\":{}"),
                 PROTO_ERR_BAD_VALUE, "twice");
    expect_error(WITH("\"langs\":[\"EN\"],\"marks\":{}"), PROTO_ERR_BAD_VALUE,
                 "langs");
    expect_error(WITH("\"langs\":[\"e\"],\"marks\":{}"), PROTO_ERR_BAD_VALUE,
                 "langs");
    expect_error(WITH("\"langs\":[7],\"marks\":{}"), PROTO_ERR_WRONG_TYPE,
                 "langs");
    expect_error(WITH("\"langs\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\","
                      "\"h\",\"i\"],\"marks\":{}"),
                 PROTO_ERR_TOO_MANY, "langs");
    char *longtext = repeat3("{\"type\":\"profile_save\",\"stage\":\"start\","
                             "\"marks\":{},\"text\":\"",
                             "x", PROTO_PROFILE_TEXT + 1, "\"}");
    expect_error(longtext, PROTO_ERR_TOO_LONG, "text");
    free(longtext);
#undef WITH
}

static void small_frames(void **state)
{
    proto_msg m;
    expect_ok("{\"type\":\"profile_get\",\"user\":\"u-anna\"}", &m);
    assert_string_equal(m.u.profile_get.user, "u-anna");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"profile_get\"}", &m);
    assert_string_equal(m.u.profile_get.user, "");
    proto_msg_free(&m);
    expect_error("{\"type\":\"profile_get\",\"user\":\"a b\"}",
                 PROTO_ERR_BAD_VALUE, "user");
    const char *bare[] = {"profile_list", "round_open", "round_close",
                          "round_get", "visit_leave"};
    const proto_type types[] = {PROTO_PROFILE_LIST, PROTO_ROUND_OPEN,
                                PROTO_ROUND_CLOSE, PROTO_ROUND_GET,
                                PROTO_VISIT_LEAVE};
    for (size_t i = 0; i < 5; i++) {
        char frame[80];
        snprintf(frame, sizeof(frame), "{\"type\":\"%s\",\"ref\":\"r\"}",
                 bare[i]);
        expect_ok(frame, &m);
        assert_int_equal(m.type, types[i]);
        assert_string_equal(m.ref, "r");
        proto_msg_free(&m);
    }
}

static void round_frames(void **state)
{
    proto_msg m;
    expect_ok("{\"type\":\"round_propose\",\"mode\":\"shared_interest\","
              "\"group_size\":3,\"duration_ms\":900000,\"seed\":42}",
              &m);
    assert_int_equal(m.u.round_propose.mode, PROTO_MODE_SHARED_INTEREST);
    assert_int_equal(m.u.round_propose.group_size, 3);
    assert_int_equal(m.u.round_propose.duration_ms, 900000);
    assert_true(m.u.round_propose.has_seed);
    assert_int_equal(m.u.round_propose.seed, 42);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"round_propose\",\"mode\":\"manual\","
              "\"group_size\":2,\"duration_ms\":1000}",
              &m);
    assert_int_equal(m.u.round_propose.mode, PROTO_MODE_MANUAL);
    assert_false(m.u.round_propose.has_seed);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"round_move\",\"user\":\"u-a\",\"group\":-1}", &m);
    assert_string_equal(m.u.round_move.user, "u-a");
    assert_int_equal(m.u.round_move.group, -1);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"round_swap\",\"a\":\"u-a\",\"b\":\"u-b\"}", &m);
    assert_string_equal(m.u.round_swap.b, "u-b");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"round_extend\",\"ms\":60000}", &m);
    assert_int_equal(m.u.round_extend.ms, 60000);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"round_place\",\"user\":\"u-a\",\"room\":\"b2-1\"}",
              &m);
    assert_string_equal(m.u.round_place.room, "b2-1");
    proto_msg_free(&m);

    expect_error("{\"type\":\"round_propose\",\"mode\":\"best\","
                 "\"group_size\":2,\"duration_ms\":1000}",
                 PROTO_ERR_BAD_VALUE, "mode");
    expect_error("{\"type\":\"round_propose\",\"mode\":\"random\","
                 "\"group_size\":5,\"duration_ms\":1000}",
                 PROTO_ERR_BAD_VALUE, "group_size");
    expect_error("{\"type\":\"round_propose\",\"mode\":\"random\","
                 "\"group_size\":2,\"duration_ms\":999}",
                 PROTO_ERR_BAD_VALUE, "duration_ms");
    expect_error("{\"type\":\"round_propose\",\"mode\":\"random\","
                 "\"group_size\":2,\"duration_ms\":14400001}",
                 PROTO_ERR_BAD_VALUE, "duration_ms");
    expect_error("{\"type\":\"round_propose\",\"mode\":\"random\","
                 "\"group_size\":2}",
                 PROTO_ERR_MISSING_FIELD, "duration_ms");
    expect_error("{\"type\":\"round_propose\",\"mode\":\"random\","
                 "\"group_size\":2,\"duration_ms\":1000,\"seed\":-1}",
                 PROTO_ERR_BAD_VALUE, "seed");
    expect_error("{\"type\":\"round_move\",\"user\":\"u\",\"group\":-2}",
                 PROTO_ERR_BAD_VALUE, "group");
    expect_error("{\"type\":\"round_move\",\"user\":\"u\",\"group\":1024}",
                 PROTO_ERR_BAD_VALUE, "group");
    expect_error("{\"type\":\"round_move\",\"group\":1}",
                 PROTO_ERR_MISSING_FIELD, "user");
    expect_error("{\"type\":\"round_swap\",\"a\":\"u\",\"b\":\"u\"}",
                 PROTO_ERR_BAD_VALUE, "different");
    expect_error("{\"type\":\"round_extend\",\"ms\":0}", PROTO_ERR_BAD_VALUE,
                 "ms");
    expect_error("{\"type\":\"round_extend\",\"ms\":3600001}",
                 PROTO_ERR_BAD_VALUE, "ms");
    expect_error("{\"type\":\"round_place\",\"user\":\"u\"}",
                 PROTO_ERR_MISSING_FIELD, "room");
}

static void breakout_frames(void **state)
{
    proto_msg m;
    expect_ok("{\"type\":\"broadcast\",\"id\":\"bc-1\",\"text\":\"Hi all\"}",
              &m);
    assert_string_equal(m.u.broadcast.id, "bc-1");
    assert_string_equal(m.u.broadcast.text, "Hi all");
    assert_int_equal(m.u.broadcast.text_len, 6);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"help_ask\"}", &m);
    assert_int_equal(m.u.help_ask.text_len, 0);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"help_ask\",\"text\":\"stuck\"}", &m);
    assert_string_equal(m.u.help_ask.text, "stuck");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"help_resolve\",\"request\":3}", &m);
    assert_int_equal(m.u.help_resolve.request, 3);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"visit\",\"room\":\"b1-2\"}", &m);
    assert_string_equal(m.u.visit.room, "b1-2");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"breakout_note\",\"id\":\"n1\",\"text\":\"ok\"}", &m);
    assert_string_equal(m.u.breakout_note.text, "ok");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"coverage\",\"format\":\"csv\"}", &m);
    assert_int_equal(m.u.coverage.csv, 1);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"coverage\"}", &m);
    assert_int_equal(m.u.coverage.csv, 0);
    proto_msg_free(&m);

    expect_error("{\"type\":\"broadcast\",\"id\":\"b\",\"text\":\"\"}",
                 PROTO_ERR_BAD_VALUE, "text");
    char *f = repeat3("{\"type\":\"broadcast\",\"id\":\"b\",\"text\":\"", "y",
                      PROTO_BROADCAST_TEXT + 1, "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "text");
    free(f);
    f = repeat3("{\"type\":\"help_ask\",\"text\":\"", "y", PROTO_HELP_TEXT + 1,
                "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "text");
    free(f);
    f = repeat3("{\"type\":\"breakout_note\",\"id\":\"n\",\"text\":\"", "y",
                PROTO_MAX_BREAKOUT_NOTE + 1, "\"}");
    expect_error(f, PROTO_ERR_TOO_LONG, "text");
    free(f);
    expect_error("{\"type\":\"breakout_note\",\"text\":\"x\"}",
                 PROTO_ERR_MISSING_FIELD, "id");
    expect_error("{\"type\":\"help_resolve\",\"request\":0}",
                 PROTO_ERR_BAD_VALUE, "request");
    expect_error("{\"type\":\"help_resolve\",\"request\":\"1\"}",
                 PROTO_ERR_WRONG_TYPE, "request");
    expect_error("{\"type\":\"visit\",\"room\":\"room:b1\"}",
                 PROTO_ERR_BAD_VALUE, "room");
    expect_error("{\"type\":\"coverage\",\"format\":\"xlsx\"}",
                 PROTO_ERR_BAD_VALUE, "format");
}

static void encode_profiles(void **state)
{
    size_t len;
    const char *langs[] = {"lv", "en"};
    const char *topics[] = {"financing", "visibility"};
    const char *marks[] = {"need", "none"};
    proto_profile_version v = {"start", "LV", langs,    2, topics,
                               marks,   2,    "Bakery", 6, 1764410000000};
    proto_profile p = {{"u-anna", "Anna", "LV"}, &v, 1};
    golden(proto_encode_profile(&p, "p1", &len), &len,
           "{\"type\":\"profile\",\"ref\":\"p1\",\"user\":{\"id\":\"u-anna\","
           "\"name\":\"Anna\",\"country\":\"LV\"},\"versions\":[{\"stage\":"
           "\"start\",\"country\":\"LV\",\"langs\":[\"lv\",\"en\"],\"marks\":"
           "{\"financing\":\"need\",\"visibility\":\"none\"},\"text\":"
           "\"Bakery\",\"updated_at\":1764410000000}]}");
    proto_profile q = {{"u-x", "X", NULL}, NULL, 0};
    golden(proto_encode_profiles(&q, 1, NULL, &len), &len,
           "{\"type\":\"profiles\",\"profiles\":[{\"user\":{\"id\":\"u-x\","
           "\"name\":\"X\"},\"versions\":[]}]}");
}

static void encode_rounds(void **state)
{
    size_t len;
    golden(proto_encode_round(NULL, "g", &len), &len,
           "{\"type\":\"round\",\"ref\":\"g\",\"round\":null}");
    proto_reason r = {"complement",
                      "financing",
                      "u-a",
                      "u-b",
                      NULL,
                      0,
                      "A needs financing; B offers it"};
    golden(proto_encode_reasons(&r, 1, &len), &len,
           "[{\"kind\":\"complement\",\"topic\":\"financing\",\"a\":\"u-a\","
           "\"b\":\"u-b\",\"text\":\"A needs financing; B offers it\"}]");
    proto_plan_warning w = {"repeat", "", "u-a", "u-b", -1, "meet again"};
    golden(proto_encode_plan_warnings(&w, 1, &len), &len,
           "[{\"kind\":\"repeat\",\"person\":\"u-a\",\"other\":\"u-b\","
           "\"text\":\"meet again\"}]");
    proto_person people[] = {{"u-a", "A", "LV"}, {"u-b", "B", ""}};
    proto_round_group g = {"b1-1", people, 2, "en", 1, 250, {"[]", 2}};
    proto_unassigned un = {{"u-c", "C", "EE"}, "manual"};
    proto_visitor vis = {"u-e", "b1-1"};
    proto_help_request h = {1, {"u-a", "A", "LV"}, "b1-1", "help", 5};
    proto_round round = {
        "r1", "open", "complementary", 2,    900000, 7,  1000, 901000, 0, &g, 1,
        &un,  1,      {NULL, 0},       &vis, 1,      &h, 1,    2};
    golden(proto_encode_round(&round, NULL, &len), &len,
           "{\"type\":\"round\",\"round\":{\"id\":\"r1\",\"state\":\"open\","
           "\"mode\":\"complementary\",\"group_size\":2,\"duration_ms\":"
           "900000,\"seed\":7,\"opened_at\":1000,\"deadline\":901000,"
           "\"warned\":false,\"groups\":[{\"index\":0,\"room\":\"b1-1\","
           "\"members\":[{\"id\":\"u-a\",\"name\":\"A\",\"country\":\"LV\"},"
           "{\"id\":\"u-b\",\"name\":\"B\"}],\"language\":\"en\","
           "\"language_ok\":true,\"score\":250,\"reasons\":[]}],"
           "\"unassigned\":[{\"id\":\"u-c\",\"name\":\"C\",\"country\":\"EE\","
           "\"cause\":\"manual\"}],\"warnings\":[],\"visitors\":[{\"user\":"
           "\"u-e\",\"room\":\"b1-1\"}],\"help\":[{\"id\":1,\"user\":{\"id\":"
           "\"u-a\",\"name\":\"A\",\"country\":\"LV\"},\"room\":\"b1-1\","
           "\"text\":\"help\",\"ts\":5}],\"notes\":2}}");
    const char *ids[] = {"u-a", "u-b"};
    proto_breakout_room br = {"b1-1", ids, 2};
    golden(proto_encode_breakout("r1", "open", 901000, 1, &br, 1, NULL, &len),
           &len,
           "{\"type\":\"breakout\",\"round\":\"r1\",\"state\":\"open\","
           "\"deadline\":901000,\"warning\":true,\"rooms\":[{\"room\":"
           "\"b1-1\",\"members\":[\"u-a\",\"u-b\"]}]}");
    golden(proto_encode_breakout("r1", "closed", 0, 0, NULL, 0, NULL, &len),
           &len,
           "{\"type\":\"breakout\",\"round\":\"r1\",\"state\":\"closed\","
           "\"warning\":false,\"rooms\":[]}");
}

static void encode_moves_and_events(void **state)
{
    size_t len;
    proto_raw ev = {"{\"type\":\"chat\",\"offset\":3}", 27};
    proto_channel_state st = {"room:b1-1", 3, 0, &ev, 1};
    golden(proto_encode_moved("b1-1", "main", "open", &st, &len), &len,
           "{\"type\":\"moved\",\"room\":\"b1-1\",\"from\":\"main\",\"cause\":"
           "\"open\",\"channels\":{\"room:b1-1\":{\"offset\":3,\"recovered\":"
           "false,\"events\":[{\"type\":\"chat\",\"offset\":3}]}}}");
    proto_member from = {.id = "u-i", .name = "Ilze", .role = "coordinator"};
    golden(proto_encode_broadcast("room:b1-1", 4, "bc", &from, "Hi\xff", 3, 9,
                                  &len),
           &len,
           "{\"type\":\"broadcast\",\"channel\":\"room:b1-1\",\"offset\":4,"
           "\"id\":\"bc\",\"from\":{\"id\":\"u-i\",\"name\":\"Ilze\",\"role\":"
           "\"coordinator\"},\"text\":\"Hi\xEF\xBF\xBD\",\"ts\":9}");
    golden(proto_encode_breakout_note("room:b1-1", 5, "n", &from, "ok", 2, 9,
                                      &len),
           &len,
           "{\"type\":\"breakout_note\",\"channel\":\"room:b1-1\",\"offset\":5,"
           "\"id\":\"n\",\"from\":{\"id\":\"u-i\",\"name\":\"Ilze\",\"role\":"
           "\"coordinator\"},\"text\":\"ok\",\"ts\":9}");
    proto_offset chs[] = {{"room:b1-1", 4}, {"room:b1-2", 2}};
    golden(proto_encode_broadcast_ack("bc", chs, 2, "r", &len), &len,
           "{\"type\":\"broadcast_ack\",\"ref\":\"r\",\"id\":\"bc\","
           "\"channels\":[{\"channel\":\"room:b1-1\",\"offset\":4},"
           "{\"channel\":\"room:b1-2\",\"offset\":2}]}");
    proto_person who = {"u-a", "A", "LV"};
    proto_note_item item = {"n", who, "ok", 2, 9};
    proto_room_notes rn = {"b1-1", &who, 1, &item, 1};
    golden(proto_encode_breakout_notes("room:main", 10, "r1", 11, &rn, 1, &len),
           &len,
           "{\"type\":\"breakout_notes\",\"channel\":\"room:main\",\"offset\":"
           "10,\"round\":\"r1\",\"ts\":11,\"rooms\":[{\"room\":\"b1-1\","
           "\"members\":[{\"id\":\"u-a\",\"name\":\"A\",\"country\":\"LV\"}],"
           "\"notes\":[{\"id\":\"n\",\"from\":{\"id\":\"u-a\",\"name\":\"A\","
           "\"country\":\"LV\"},\"text\":\"ok\",\"ts\":9}]}]}");
}

static void encode_help_and_coverage(void **state)
{
    size_t len;
    proto_help_request h = {2, {"u-a", "A", NULL}, "b1-1", "", 5};
    golden(
        proto_encode_help_queue(&h, 1, NULL, &len), &len,
        "{\"type\":\"help_queue\",\"requests\":[{\"id\":2,\"user\":{\"id\":"
        "\"u-a\",\"name\":\"A\"},\"room\":\"b1-1\",\"text\":\"\",\"ts\":5}]}");
    golden(proto_encode_help_asked(&h, "h", &len), &len,
           "{\"type\":\"help_asked\",\"ref\":\"h\",\"request\":{\"id\":2,"
           "\"user\":{\"id\":\"u-a\",\"name\":\"A\"},\"room\":\"b1-1\","
           "\"text\":\"\",\"ts\":5}}");
    proto_person by = {"u-m", "M", "SE"};
    golden(proto_encode_help_resolved(2, &by, NULL, &len), &len,
           "{\"type\":\"help_resolved\",\"request\":2,\"by\":{\"id\":\"u-m\","
           "\"name\":\"M\",\"country\":\"SE\"}}");
    proto_person people[] = {{"u-a", "A", "LV"}, {"u-b", "B", "SE"}};
    uint32_t matrix[] = {0, 2, 2, 0};
    proto_coverage cv = {people, 2, matrix, 3, 3, 2, 0, 4, 3, "x,y\n", 4};
    golden(proto_encode_coverage(&cv, "c", &len), &len,
           "{\"type\":\"coverage\",\"ref\":\"c\",\"people\":[{\"id\":\"u-a\","
           "\"name\":\"A\",\"country\":\"LV\"},{\"id\":\"u-b\",\"name\":\"B\","
           "\"country\":\"SE\"}],\"matrix\":[[0,2],[2,0]],\"rounds\":3,"
           "\"pairs\":3,\"cross_pairs\":2,\"unknown_pairs\":0,\"meetings\":4,"
           "\"cross_meetings\":3,\"cross_share\":0.667,\"csv\":\"x,y\\n\"}");
    cv.pairs = cv.cross_pairs = 0;
    cv.csv = NULL;
    char *out = proto_encode_coverage(&cv, NULL, &len);
    assert_non_null(strstr(out, "\"cross_share\":0.000}"));
    free(out);
}

int run_breakout_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(profile_save_frames),
        cmocka_unit_test(profile_save_errors),
        cmocka_unit_test(small_frames),
        cmocka_unit_test(round_frames),
        cmocka_unit_test(breakout_frames),
        cmocka_unit_test(encode_profiles),
        cmocka_unit_test(encode_rounds),
        cmocka_unit_test(encode_moves_and_events),
        cmocka_unit_test(encode_help_and_coverage),
    };
    return cmocka_run_group_tests_name("breakout", tests, NULL, NULL);
}
