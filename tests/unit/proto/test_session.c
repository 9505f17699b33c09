/* test_session.c: the messages that run a session (docs/protocol.md
 * section 10): golden frames of every op parse into exactly the expected
 * fields, every limit is enforced with its error and a detail naming the
 * field, programme entries are read back from frames and stored documents,
 * and the encoders of section 10 write exactly the expected JSON. */
#include "test_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/proto/session_proto.h"

static void agenda_frames(void **state)
{
    proto_msg m;

    expect_ok("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"Check-in\","
              "\"kind\":\"plenary\",\"timebox_ms\":600000,\"lead\":\"u1\","
              "\"before\":3,\"ref\":\"a1\"}",
              &m);
    assert_int_equal(m.type, PROTO_AGENDA);
    assert_int_equal(m.u.agenda.op, PROTO_AGENDA_ADD);
    assert_string_equal(m.u.agenda.title, "Check-in");
    assert_string_equal(m.u.agenda.kind, "plenary");
    assert_int_equal(m.u.agenda.timebox_ms, 600000);
    assert_string_equal(m.u.agenda.lead, "u1");
    assert_int_equal(m.u.agenda.before, 3);
    assert_string_equal(m.ref, "a1");
    proto_msg_free(&m);

    expect_ok("{\"type\":\"agenda\",\"op\":\"edit\",\"item\":4294967295,"
              "\"title\":\"T\",\"kind\":\"feedback\",\"timebox_ms\":1e3}",
              &m);
    assert_int_equal(m.u.agenda.item, 4294967295u);
    assert_string_equal(m.u.agenda.lead, "");
    assert_int_equal(m.u.agenda.timebox_ms, 1000);
    proto_msg_free(&m);

    expect_ok("{\"type\":\"agenda\",\"op\":\"extend\",\"ms\":7200000}", &m);
    assert_int_equal(m.u.agenda.op, PROTO_AGENDA_EXTEND);
    assert_int_equal(m.u.agenda.ms, 7200000);
    proto_msg_free(&m);

    expect_ok("{\"type\":\"agenda\",\"op\":\"move\",\"item\":2,\"to\":63}", &m);
    assert_int_equal(m.u.agenda.to, 63);
    proto_msg_free(&m);

    expect_ok("{\"type\":\"agenda\",\"op\":\"auto_advance\",\"on\":false}", &m);
    assert_int_equal(m.u.agenda.op, PROTO_AGENDA_AUTO_ADVANCE);
    assert_int_equal(m.u.agenda.on, 0);
    proto_msg_free(&m);

    /* Ops without fields ignore the fields of other ops. */
    static const char *const bare[] = {"start", "pause",    "resume",
                                       "next",  "previous", "template"};
    for (size_t i = 0; i < sizeof(bare) / sizeof(bare[0]); i++) {
        char f[128];
        snprintf(f, sizeof(f),
                 "{\"type\":\"agenda\",\"op\":\"%s\",\"item\":\"x\"}", bare[i]);
        expect_ok(f, &m);
        assert_string_equal(proto_agenda_op_name(m.u.agenda.op), bare[i]);
        proto_msg_free(&m);
    }
    expect_ok("{\"type\":\"agenda\",\"op\":\"skip\",\"item\":7}", &m);
    assert_int_equal(m.u.agenda.item, 7);
    proto_msg_free(&m);
}

static void agenda_errors(void **state)
{
    expect_error("{\"type\":\"agenda\"}", PROTO_ERR_MISSING_FIELD, "op");
    expect_error("{\"type\":\"agenda\",\"op\":\"fly\"}", PROTO_ERR_BAD_VALUE,
                 "op must be one of start, pause");
    expect_error("{\"type\":\"agenda\",\"op\":1}", PROTO_ERR_WRONG_TYPE, "op");
    expect_error("{\"type\":\"agenda\",\"op\":\"START\"}", PROTO_ERR_BAD_VALUE,
                 "op");
    expect_error("{\"type\":\"agenda\",\"op\":\"add\",\"kind\":\"talk\","
                 "\"timebox_ms\":1000}",
                 PROTO_ERR_MISSING_FIELD, "title");
    expect_error("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"\","
                 "\"kind\":\"talk\",\"timebox_ms\":1000}",
                 PROTO_ERR_BAD_VALUE, "title must not be empty");
    char *t = repeat3("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"", "x",
                      121, "\",\"kind\":\"talk\",\"timebox_ms\":1000}");
    expect_error(t, PROTO_ERR_TOO_LONG, "title is longer than 120");
    free(t);
    t = repeat3("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"", "x", 120,
                "\",\"kind\":\"talk\",\"timebox_ms\":1000}");
    proto_msg m;
    expect_ok(t, &m);
    assert_int_equal(strlen(m.u.agenda.title), 120);
    proto_msg_free(&m);
    free(t);
    expect_error("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"T\","
                 "\"kind\":\"party\",\"timebox_ms\":1000}",
                 PROTO_ERR_BAD_VALUE,
                 "kind must be one of plenary, breakout, talk, qa, feedback");
    expect_error("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"T\","
                 "\"kind\":\"talk\",\"timebox_ms\":999}",
                 PROTO_ERR_BAD_VALUE, "timebox_ms must be between 1000");
    expect_error("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"T\","
                 "\"kind\":\"talk\",\"timebox_ms\":28800001}",
                 PROTO_ERR_BAD_VALUE, "timebox_ms");
    expect_error("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"T\","
                 "\"kind\":\"talk\",\"timebox_ms\":1000,\"lead\":\"a b\"}",
                 PROTO_ERR_BAD_VALUE, "lead");
    expect_error("{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"T\","
                 "\"kind\":\"talk\",\"timebox_ms\":1000,\"before\":0}",
                 PROTO_ERR_BAD_VALUE, "before");
    expect_error("{\"type\":\"agenda\",\"op\":\"extend\",\"ms\":7200001}",
                 PROTO_ERR_BAD_VALUE, "ms must be between 1000 and 7200000");
    expect_error("{\"type\":\"agenda\",\"op\":\"extend\"}",
                 PROTO_ERR_MISSING_FIELD, "ms");
    expect_error("{\"type\":\"agenda\",\"op\":\"skip\",\"item\":0}",
                 PROTO_ERR_BAD_VALUE, "item");
    expect_error("{\"type\":\"agenda\",\"op\":\"jump\",\"item\":\"1\"}",
                 PROTO_ERR_WRONG_TYPE, "item");
    expect_error("{\"type\":\"agenda\",\"op\":\"remove\",\"item\":4294967296}",
                 PROTO_ERR_BAD_VALUE, "item");
    expect_error("{\"type\":\"agenda\",\"op\":\"move\",\"item\":1,\"to\":64}",
                 PROTO_ERR_BAD_VALUE, "to");
    expect_error("{\"type\":\"agenda\",\"op\":\"auto_advance\",\"on\":1}",
                 PROTO_ERR_WRONG_TYPE, "on must be true or false");
    expect_error("{\"type\":\"agenda\",\"op\":\"auto_advance\",\"on\":null}",
                 PROTO_ERR_WRONG_TYPE, "on");
    expect_error("{\"type\":\"agenda\",\"op\":\"auto_advance\",\"on\":true,"
                 "\"on\":false}",
                 PROTO_ERR_BAD_VALUE, "on appears more than once");
    expect_error("{\"type\":\"agenda\",\"op\":\"start\",\"op\":\"pause\"}",
                 PROTO_ERR_BAD_VALUE, "more than once");
}

static void hands_topics_stage(void **state)
{
    proto_msg m;

    expect_ok("{\"type\":\"hand\",\"op\":\"raise\"}", &m);
    assert_int_equal(m.u.hand.op, PROTO_HAND_RAISE);
    assert_string_equal(m.u.hand.user, "");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"hand\",\"op\":\"lower\",\"user\":\"u-7\"}", &m);
    assert_int_equal(m.u.hand.op, PROTO_HAND_LOWER);
    assert_string_equal(m.u.hand.user, "u-7");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"hand\",\"op\":\"stop_speaking\"}", &m);
    assert_string_equal(proto_hand_op_name(m.u.hand.op), "stop_speaking");
    proto_msg_free(&m);
    expect_error("{\"type\":\"hand\",\"op\":\"call\"}", PROTO_ERR_MISSING_FIELD,
                 "user");
    expect_error("{\"type\":\"hand\",\"op\":\"call\",\"user\":\"\"}",
                 PROTO_ERR_BAD_VALUE, "user");
    expect_error("{\"type\":\"hand\",\"op\":\"wave\"}", PROTO_ERR_BAD_VALUE,
                 "raise, lower, call_next, call, clear, stop_speaking");

    char *t = repeat3("{\"type\":\"topic\",\"op\":\"propose\",\"title\":\"",
                      "\xC3\xA9", 80, "\"}");
    expect_ok(t, &m); /* 160 bytes of UTF-8 */
    assert_int_equal(m.u.topic.op, PROTO_TOPIC_PROPOSE);
    assert_int_equal(strlen(m.u.topic.title), 160);
    proto_msg_free(&m);
    free(t);
    t = repeat3("{\"type\":\"topic\",\"op\":\"propose\",\"title\":\"", "x", 161,
                "\"}");
    expect_error(t, PROTO_ERR_TOO_LONG, "title is longer than 160");
    free(t);
    expect_ok("{\"type\":\"topic\",\"op\":\"unvote\",\"topic\":9}", &m);
    assert_int_equal(m.u.topic.op, PROTO_TOPIC_UNVOTE);
    assert_int_equal(m.u.topic.topic, 9);
    proto_msg_free(&m);
    expect_error("{\"type\":\"topic\",\"op\":\"vote\"}",
                 PROTO_ERR_MISSING_FIELD, "topic");

    expect_ok("{\"type\":\"stage\",\"op\":\"remove\",\"user\":\"u9\"}", &m);
    assert_int_equal(m.u.stage.op, PROTO_STAGE_REMOVE);
    assert_string_equal(m.u.stage.user, "u9");
    proto_msg_free(&m);
    expect_error("{\"type\":\"stage\",\"op\":\"add\"}", PROTO_ERR_MISSING_FIELD,
                 "user");
}

static void questions_pulses_notes(void **state)
{
    proto_msg m;

    char *t = repeat3("{\"type\":\"question\",\"op\":\"ask\",\"text\":\"",
                      "ab\\n", 166, "ab\"}");
    expect_ok(t, &m); /* 166 * 3 + 2 = 500 bytes */
    assert_int_equal(strlen(m.u.question.text), 500);
    proto_msg_free(&m);
    free(t);
    t = repeat3("{\"type\":\"question\",\"op\":\"ask\",\"text\":\"", "x", 501,
                "\"}");
    expect_error(t, PROTO_ERR_TOO_LONG, "text is longer than 500");
    free(t);
    expect_ok("{\"type\":\"question\",\"op\":\"pin\",\"question\":3}", &m);
    assert_int_equal(m.u.question.op, PROTO_QUESTION_PIN);
    assert_int_equal(m.u.question.on, 1);
    proto_msg_free(&m);
    expect_ok("{\"type\":\"question\",\"op\":\"hide\",\"question\":3,"
              "\"on\":false}",
              &m);
    assert_int_equal(m.u.question.on, 0);
    proto_msg_free(&m);

    expect_ok("{\"type\":\"pulse\",\"usefulness\":5,\"will_apply\":false}", &m);
    assert_string_equal(m.u.pulse.scope, "session");
    assert_int_equal(m.u.pulse.usefulness, 5);
    assert_int_equal(m.u.pulse.will_apply, 0);
    assert_string_equal(m.u.pulse.text, "");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"pulse\",\"scope\":\"b3\",\"usefulness\":1,"
              "\"will_apply\":true,\"text\":\"\"}",
              &m);
    assert_string_equal(m.u.pulse.scope, "b3");
    assert_int_equal(m.u.pulse.will_apply, 1);
    proto_msg_free(&m);
    expect_error("{\"type\":\"pulse\",\"usefulness\":0,\"will_apply\":true}",
                 PROTO_ERR_BAD_VALUE, "usefulness must be between 1 and 5");
    expect_error("{\"type\":\"pulse\",\"usefulness\":2.5,\"will_apply\":true}",
                 PROTO_ERR_BAD_VALUE, "usefulness must be an integer");
    expect_error("{\"type\":\"pulse\",\"usefulness\":3}",
                 PROTO_ERR_MISSING_FIELD, "will_apply");
    expect_error("{\"type\":\"pulse\",\"scope\":\"a/b\",\"usefulness\":3,"
                 "\"will_apply\":true}",
                 PROTO_ERR_BAD_VALUE, "scope");
    t = repeat3("{\"type\":\"pulse\",\"usefulness\":3,\"will_apply\":true,"
                "\"text\":\"",
                "x", 1001, "\"}");
    expect_error(t, PROTO_ERR_TOO_LONG, "text is longer than 1000");
    free(t);
    expect_ok("{\"type\":\"pulse_results\"}", &m);
    assert_string_equal(m.u.pulse_results.scope, "");
    proto_msg_free(&m);

    expect_ok("{\"type\":\"note\",\"op\":\"add\",\"text\":\"Decided\"}", &m);
    assert_int_equal(m.u.note.op, PROTO_NOTE_ADD);
    assert_string_equal(m.u.note.kind, "note");
    assert_int_equal(m.u.note.item, 0);
    assert_string_equal(m.u.note.owner, "");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"note\",\"op\":\"add\",\"text\":\"I will\","
              "\"kind\":\"commitment\",\"item\":2,\"owner\":\"u7\"}",
              &m);
    assert_string_equal(m.u.note.kind, "commitment");
    assert_int_equal(m.u.note.item, 2);
    assert_string_equal(m.u.note.owner, "u7");
    proto_msg_free(&m);
    expect_ok("{\"type\":\"note\",\"op\":\"done\",\"note\":4}", &m);
    assert_int_equal(m.u.note.note, 4);
    assert_int_equal(m.u.note.on, 1);
    proto_msg_free(&m);
    expect_error("{\"type\":\"note\",\"op\":\"add\",\"text\":\"x\","
                 "\"kind\":\"wish\"}",
                 PROTO_ERR_BAD_VALUE, "kind must be one of note, commitment");
    expect_error("{\"type\":\"note\",\"op\":\"remove\"}",
                 PROTO_ERR_MISSING_FIELD, "note");
}

#define ENTRY                                                                  \
    "{\"session\":\"s42\",\"kind\":\"workshop\",\"title\":\"Investors\","      \
    "\"start\":1767272400000,\"tz\":\"Europe/Riga\","                          \
    "\"duration_ms\":7200000,\"host\":\"u9\",\"agenda\":[{\"title\":\"Talk\"," \
    "\"kind\":\"talk\",\"timebox_ms\":1800000,\"lead\":\"u9\"},"               \
    "{\"title\":\"Q\",\"kind\":\"qa\",\"timebox_ms\":600000}]}"

typedef struct seen {
    proto_prog_entry e[4];
    int n;
} seen;

static void seen_cb(const proto_prog_entry *e, void *data)
{
    seen *s = data;
    if (s->n < 4)
        s->e[s->n] = *e;
    s->n++;
}

static void check_entry(const proto_prog_entry *e)
{
    assert_string_equal(e->session, "s42");
    assert_string_equal(e->kind, "workshop");
    assert_string_equal(e->title, "Investors");
    assert_int_equal(e->start_ms, 1767272400000LL);
    assert_string_equal(e->tz, "Europe/Riga");
    assert_int_equal(e->duration_ms, 7200000);
    assert_string_equal(e->host, "u9");
    assert_int_equal(e->nitems, 2);
    assert_string_equal(e->items[0].title, "Talk");
    assert_string_equal(e->items[0].lead, "u9");
    assert_string_equal(e->items[1].kind, "qa");
    assert_string_equal(e->items[1].lead, "");
    assert_int_equal(e->items[1].timebox_ms, 600000);
}

static void programme_frames(void **state)
{
    proto_msg m;
    seen s = {0};
    const char *put =
        "{\"type\":\"programme\",\"op\":\"put\",\"sessions\":[" ENTRY
        ",{\"kind\":\"peer-learning\",\"title\":\"Jan\",\"start\":1,"
        "\"tz\":\"UTC\",\"duration_ms\":1,\"host\":\"u1\",\"id\":77}]}";

    expect_ok("{\"type\":\"programme\",\"op\":\"get\"}", &m);
    assert_int_equal(m.u.programme.op, PROTO_PROGRAMME_GET);
    proto_msg_free(&m);
    expect_ok(put, &m);
    assert_int_equal(m.u.programme.op, PROTO_PROGRAMME_PUT);
    assert_int_equal(m.u.programme.nentries, 2);
    proto_msg_free(&m);
    assert_int_equal(proto_programme_entries(put, strlen(put), seen_cb, &s), 2);
    assert_int_equal(s.n, 2);
    check_entry(&s.e[0]);
    assert_string_equal(s.e[1].session, "");
    assert_int_equal(s.e[1].id, 0); /* a client's id is ignored */
    assert_int_equal(s.e[1].nitems, 0);

    const char *edit = "{\"type\":\"programme\",\"op\":\"edit\",\"id\":3,"
                       "\"entry\":" ENTRY "}";
    expect_ok(edit, &m);
    assert_int_equal(m.u.programme.id, 3);
    assert_int_equal(m.u.programme.nentries, 1);
    proto_msg_free(&m);
    s.n = 0;
    assert_int_equal(proto_programme_entries(edit, strlen(edit), seen_cb, &s),
                     1);
    check_entry(&s.e[0]);
    assert_int_equal(
        proto_programme_entries("{\"op\":\"get\"}", 12, seen_cb, &s), -1);
    assert_int_equal(proto_programme_entries("[1", 2, seen_cb, &s), -1);

    expect_error("{\"type\":\"programme\",\"op\":\"add\"}",
                 PROTO_ERR_MISSING_FIELD, "entry");
    expect_error("{\"type\":\"programme\",\"op\":\"edit\",\"entry\":" ENTRY "}",
                 PROTO_ERR_MISSING_FIELD, "id");
    expect_error("{\"type\":\"programme\",\"op\":\"put\",\"sessions\":[1]}",
                 PROTO_ERR_WRONG_TYPE, "sessions[0] must be an object");
    expect_error("{\"type\":\"programme\",\"op\":\"put\",\"sessions\":[" ENTRY
                 ",{\"kind\":\"workshop\",\"title\":\"x\",\"start\":1,"
                 "\"tz\":\"UTC\",\"duration_ms\":1,\"host\":\"u1\","
                 "\"agenda\":[{\"title\":\"a\",\"kind\":\"nap\","
                 "\"timebox_ms\":1000}]}]}",
                 PROTO_ERR_BAD_VALUE, "sessions[1].agenda[0].kind");
    expect_error("{\"type\":\"programme\",\"op\":\"add\",\"entry\":{"
                 "\"kind\":\"retreat\"}}",
                 PROTO_ERR_BAD_VALUE,
                 "entry.kind must be one of "
                 "peer-learning, workshop");
    expect_error("{\"type\":\"programme\",\"op\":\"add\",\"entry\":{"
                 "\"kind\":\"workshop\",\"title\":\"x\",\"start\":1,"
                 "\"tz\":\"UTC\",\"duration_ms\":1}}",
                 PROTO_ERR_MISSING_FIELD, "entry.host");
    char *many =
        repeat3("{\"type\":\"programme\",\"op\":\"put\",\"sessions\":[", "{},",
                512, "{}]}");
    expect_error(many, PROTO_ERR_TOO_MANY, "sessions has more than 512");
    free(many);
    char *items = repeat3("{\"type\":\"programme\",\"op\":\"add\",\"entry\":{"
                          "\"kind\":\"workshop\",\"title\":\"x\",\"start\":1,"
                          "\"tz\":\"UTC\",\"duration_ms\":1,\"host\":\"u1\","
                          "\"agenda\":[",
                          "{},", 32, "{}]}}");
    expect_error(items, PROTO_ERR_TOO_MANY, "entry.agenda has more than 32");
    free(items);
}

static void programme_documents(void **state)
{
    const proto_template_item_view items[] = {{"Talk", "u9", "talk", 1800000},
                                              {"Q", NULL, "qa", 600000}};
    const proto_entry_view entries[] = {{.id = 2,
                                         .session = "s42",
                                         .kind = "workshop",
                                         .title = "Investors",
                                         .tz = "Europe/Riga",
                                         .host = "u9",
                                         .start = 1767272400000LL,
                                         .duration_ms = 7200000,
                                         .items = items,
                                         .nitems = 2},
                                        {.id = 5,
                                         .session = "",
                                         .kind = "peer-learning",
                                         .title = "Jan",
                                         .tz = "UTC",
                                         .host = "u1",
                                         .start = 1,
                                         .duration_ms = 1}};
    size_t len;
    char *doc = proto_encode_programme_doc(6, entries, 2, &len);
    seen s = {0};
    uint32_t next = 0;

    assert_int_equal(proto_programme_doc_parse(doc, len, &next, seen_cb, &s),
                     2);
    assert_int_equal(next, 6);
    assert_int_equal(s.e[0].id, 2);
    check_entry(&s.e[0]);
    assert_int_equal(s.e[1].id, 5);
    assert_string_equal(s.e[1].title, "Jan");
    free(doc);
    /* A document without ids, or not a document, is refused whole. */
    s.n = 0;
    const char *bad =
        "{\"v\":1,\"next_session_id\":2,\"sessions\":[" ENTRY "]}";
    assert_int_equal(
        proto_programme_doc_parse(bad, strlen(bad), &next, seen_cb, &s), -1);
    assert_int_equal(s.n, 0);
    assert_int_equal(proto_programme_doc_parse("{}", 2, &next, seen_cb, &s),
                     -1);

    char *reply =
        proto_encode_programme("g1", "main", entries, 1, NULL, 0, &len);
    golden(reply, &len,
           "{\"type\":\"programme\",\"ref\":\"g1\",\"programme\":\"main\","
           "\"sessions\":[{\"id\":2,\"session\":\"s42\",\"kind\":\"workshop\","
           "\"title\":\"Investors\",\"start\":1767272400000,"
           "\"tz\":\"Europe/Riga\",\"duration_ms\":7200000,\"host\":\"u9\","
           "\"agenda\":[{\"title\":\"Talk\",\"kind\":\"talk\","
           "\"timebox_ms\":1800000,\"lead\":\"u9\"},{\"title\":\"Q\","
           "\"kind\":\"qa\",\"timebox_ms\":600000}]}]}");

    /* Notes are stored as the note object and read back exactly. */
    proto_note_view note = {.id = 12,
                            .entry = 3,
                            .item = 2,
                            .item_title = "Financing",
                            .kind = "commitment",
                            .author = "u1",
                            .owner = "u7",
                            .text = "Share the \"template\"\nby May",
                            .done = 1,
                            .created_at = 1764410000000LL};
    char *json = proto_encode_note_view(&note, &len);
    proto_note_rec r;
    assert_int_equal(proto_note_parse(json, len, &r), 0);
    assert_int_equal(r.id, 12);
    assert_int_equal(r.entry, 3);
    assert_int_equal(r.item, 2);
    assert_string_equal(r.item_title, "Financing");
    assert_string_equal(r.kind, "commitment");
    assert_string_equal(r.owner, "u7");
    assert_string_equal(r.text, "Share the \"template\"\nby May");
    assert_int_equal(r.done, 1);
    assert_int_equal(r.created_at, 1764410000000LL);
    golden(json, &len,
           "{\"id\":12,\"entry\":3,\"item\":2,\"item_title\":\"Financing\","
           "\"kind\":\"commitment\",\"author\":\"u1\",\"owner\":\"u7\","
           "\"text\":\"Share the \\\"template\\\"\\nby May\",\"done\":true,"
           "\"created_at\":1764410000000}");
    assert_int_equal(proto_note_parse("{\"id\":1}", 8, &r), -1);
}

static void live_encoders(void **state)
{
    size_t len;
    const proto_agenda_item_view items[] = {{.id = 1,
                                             .title = "Check-in",
                                             .lead = "u1",
                                             .kind = "plenary",
                                             .state = "done",
                                             .timebox_ms = 600000,
                                             .elapsed_ms = 612000,
                                             .started_at = 1764410000000LL},
                                            {.id = 2,
                                             .title = "Talk",
                                             .kind = "talk",
                                             .state = "running",
                                             .timebox_ms = 1200000,
                                             .extended_ms = 120000,
                                             .elapsed_ms = 30000,
                                             .started_at = 1764410612000LL}};
    proto_agenda_view a = {.items = items,
                           .nitems = 2,
                           .current = 2,
                           .state = "running",
                           .started_at = 1764410612000LL,
                           .total_ms = 1320000,
                           .elapsed_ms = 30000,
                           .time_left_ms = 1290000,
                           .ends_at = 1764411932000LL,
                           .server_time = 1764410642000LL};
    char *agenda = proto_encode_agenda_view(&a, &len);
    const char *want_agenda =
        "{\"items\":[{\"id\":1,\"title\":\"Check-in\",\"lead\":\"u1\","
        "\"kind\":\"plenary\",\"state\":\"done\",\"timebox_ms\":600000,"
        "\"extended_ms\":0,\"elapsed_ms\":612000,"
        "\"started_at\":1764410000000},{\"id\":2,\"title\":\"Talk\","
        "\"kind\":\"talk\",\"state\":\"running\",\"timebox_ms\":1200000,"
        "\"extended_ms\":120000,\"elapsed_ms\":30000,"
        "\"started_at\":1764410612000}],\"current\":2,\"state\":\"running\","
        "\"started_at\":1764410612000,\"total_ms\":1320000,"
        "\"elapsed_ms\":30000,\"time_left_ms\":1290000,"
        "\"ends_at\":1764411932000,\"auto_advance\":false,"
        "\"server_time\":1764410642000}";
    assert_string_equal(agenda, want_agenda);

    static const char *const langs[] = {"lv"};
    proto_member by = {.id = "u1",
                       .name = "Ilze",
                       .role = "coordinator",
                       .langs = langs,
                       .nlangs = 1};
    proto_live_event ev = {.type = "agenda",
                           .channel = "room:main",
                           .offset = 7,
                           .ts = 1764410642000LL,
                           .op = "extend",
                           .by = &by,
                           .id_key = "item",
                           .id = 2,
                           .state = {agenda, len}};
    golden(proto_encode_live_event(&ev, &len), &len,
           "{\"type\":\"agenda\",\"channel\":\"room:main\",\"offset\":7,"
           "\"ts\":1764410642000,\"op\":\"extend\",\"by\":{\"id\":\"u1\","
           "\"name\":\"Ilze\",\"role\":\"coordinator\"},\"item\":2,"
           "\"agenda\":"
           "{\"items\":[{\"id\":1,\"title\":\"Check-in\","
           "\"lead\":\"u1\",\"kind\":\"plenary\",\"state\":\"done\","
           "\"timebox_ms\":600000,\"extended_ms\":0,\"elapsed_ms\":612000,"
           "\"started_at\":1764410000000},{\"id\":2,\"title\":\"Talk\","
           "\"kind\":\"talk\",\"state\":\"running\",\"timebox_ms\":1200000,"
           "\"extended_ms\":120000,\"elapsed_ms\":30000,"
           "\"started_at\":1764410612000}],\"current\":2,"
           "\"state\":\"running\",\"started_at\":1764410612000,"
           "\"total_ms\":1320000,\"elapsed_ms\":30000,"
           "\"time_left_ms\":1290000,\"ends_at\":1764411932000,"
           "\"auto_advance\":false,\"server_time\":1764410642000}}");
    free(agenda);

    /* Nothing current: no timer fields, current null. */
    proto_agenda_view idle = {.state = "idle", .server_time = 5};
    golden(proto_encode_agenda_view(&idle, &len), &len,
           "{\"items\":[],\"current\":null,\"state\":\"idle\","
           "\"auto_advance\":false,\"server_time\":5}");

    /* A timer event: no op, no by. */
    proto_live_event tick = {.type = "agenda",
                             .channel = "room:main",
                             .offset = 8,
                             .ts = 9,
                             .event = "warning",
                             .id_key = "item",
                             .id = 2,
                             .state = {"{}", 2}};
    golden(proto_encode_live_event(&tick, &len), &len,
           "{\"type\":\"agenda\",\"channel\":\"room:main\",\"offset\":8,"
           "\"ts\":9,\"event\":\"warning\",\"item\":2,\"agenda\":{}}");

    const proto_person_view q[] = {{"u7", 10}, {"u9", 11}};
    const proto_person_view sp[] = {{"u3", 12}};
    proto_hands_view h = {q, 2, sp, 1};
    golden(proto_encode_hands_view(&h, &len), &len,
           "{\"queue\":[{\"user\":\"u7\",\"raised_at\":10},{\"user\":\"u9\","
           "\"raised_at\":11}],\"speaking\":[{\"user\":\"u3\",\"since\":12}]}");
    proto_stage_view st = {8, sp, 1};
    golden(proto_encode_stage_view(&st, &len), &len,
           "{\"max\":8,\"speakers\":[{\"user\":\"u3\",\"since\":12}]}");

    const char *const voters[] = {"u7", "u9"};
    proto_topic_view t = {3, "Funders", "u7", 100, voters, 2};
    golden(proto_encode_topics_view(&t, 1, &len), &len,
           "[{\"id\":3,\"title\":\"Funders\",\"author\":\"u7\",\"votes\":2,"
           "\"voters\":[\"u7\",\"u9\"],\"created_at\":100}]");
    proto_question_view qs[] = {{.id = 5,
                                 .text = "Why?",
                                 .author = "u7",
                                 .asked_at = 1,
                                 .answered = 1,
                                 .answered_at = 2,
                                 .pinned = 1,
                                 .votes = 2,
                                 .voters = voters,
                                 .nvoters = 2},
                                {.id = 6,
                                 .text = "secret",
                                 .author = "u9",
                                 .asked_at = 3,
                                 .hidden = 1,
                                 .votes = 1,
                                 .voters = voters,
                                 .nvoters = 1}};
    golden(proto_encode_questions_view(qs, 2, &len), &len,
           "[{\"id\":5,\"text\":\"Why?\",\"author\":\"u7\",\"votes\":2,"
           "\"voters\":[\"u7\",\"u9\"],\"asked_at\":1,\"answered\":true,"
           "\"answered_at\":2,\"hidden\":false,\"pinned\":true},{\"id\":6,"
           "\"votes\":1,\"asked_at\":3,\"answered\":false,\"hidden\":true,"
           "\"pinned\":false}]");

    const char *keys[] = {"host", "entry", "agenda"};
    proto_raw vals[] = {{"\"u9\"", 4}, {NULL, 0}, {"{}", 2}};
    char *obj = proto_encode_object(keys, vals, 3, &len);
    golden(obj, &len, "{\"host\":\"u9\",\"agenda\":{}}");
    proto_raw stv = {"{\"a\":1}", 7};
    const char *joined = "{\"type\":\"joined\",\"channels\":{}}";
    golden(proto_encode_joined_state(joined, strlen(joined), &stv, &len), &len,
           "{\"type\":\"joined\",\"channels\":{},\"state\":{\"a\":1}}");
    golden(proto_encode_string("Ilze \"K\"", &len), &len, "\"Ilze \\\"K\\\"\"");

    proto_template_item_view it = {"Talk", NULL, "talk", 1800000};
    char *add = proto_encode_agenda_add(&it, &len);
    golden(add, &len,
           "{\"type\":\"agenda\",\"op\":\"add\",\"title\":\"Talk\","
           "\"kind\":\"talk\",\"timebox_ms\":1800000}");
}

static void pulse_encoders(void **state)
{
    size_t len;
    proto_pulse_view p = {"session", "u7", 4, 1, "Good, \"very\"", 1000};
    golden(proto_encode_pulse_reply("p1", &p, &len), &len,
           "{\"type\":\"pulse\",\"ref\":\"p1\",\"scope\":\"session\","
           "\"user\":\"u7\",\"usefulness\":4,\"will_apply\":true,"
           "\"text\":\"Good, \\\"very\\\"\",\"submitted_at\":1000}");
    proto_pulse_stats_view total = {.count = 3,
                                    .histogram = {0, 1, 0, 1, 1},
                                    .will_apply = 2,
                                    .comments = 1,
                                    .mean_usefulness = 11.0 / 3,
                                    .will_apply_share = 2.0 / 3};
    proto_pulse_stats_view scope = total;
    scope.scope = "b1";
    const char csv[] = "session,scope\r\ns1,\"a,b\"\r\n";
    golden(proto_encode_pulse_results("r", "s1", &total, &scope, 1, &p, 1, csv,
                                      sizeof(csv) - 1, &len),
           &len,
           "{\"type\":\"pulse_results\",\"ref\":\"r\",\"session\":\"s1\","
           "\"total\":{\"count\":3,\"histogram\":[0,1,0,1,1],"
           "\"mean_usefulness\":3.667,\"will_apply\":2,"
           "\"will_apply_share\":0.667,\"comments\":1},\"scopes\":[{"
           "\"scope\":\"b1\",\"count\":3,\"histogram\":[0,1,0,1,1],"
           "\"mean_usefulness\":3.667,\"will_apply\":2,"
           "\"will_apply_share\":0.667,\"comments\":1}],\"pulses\":[{"
           "\"scope\":\"session\",\"user\":\"u7\",\"usefulness\":4,"
           "\"will_apply\":true,\"text\":\"Good, \\\"very\\\"\","
           "\"submitted_at\":1000}],\"csv\":\"session,scope\\r\\ns1,"
           "\\\"a,b\\\"\\r\\n\"}");
}

static void op_names(void **state)
{
    assert_string_equal(proto_agenda_op_name(PROTO_AGENDA_TEMPLATE),
                        "template");
    assert_string_equal(proto_agenda_op_name((proto_agenda_op)99), "unknown");
    assert_string_equal(proto_hand_op_name(PROTO_HAND_CALL_NEXT), "call_next");
    assert_string_equal(proto_topic_op_name(PROTO_TOPIC_REMOVE), "remove");
    assert_string_equal(proto_stage_op_name(PROTO_STAGE_ADD), "add");
    assert_string_equal(proto_question_op_name(PROTO_QUESTION_HIDE), "hide");
    assert_string_equal(proto_note_op_name(PROTO_NOTE_DONE), "done");
    assert_string_equal(proto_programme_op_name(PROTO_PROGRAMME_PUT), "put");
    assert_string_equal(proto_error_code(PROTO_ERR_BAD_STATE), "bad_state");
    assert_string_equal(proto_error_code(PROTO_ERR_NOT_FOUND), "not_found");
    assert_string_equal(proto_type_name(PROTO_PULSE_RESULTS), "pulse_results");
    assert_true(proto_type_needs_join(PROTO_AGENDA));
    assert_true(proto_type_needs_join(PROTO_PROGRAMME));
}

int run_session_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agenda_frames),
        cmocka_unit_test(agenda_errors),
        cmocka_unit_test(hands_topics_stage),
        cmocka_unit_test(questions_pulses_notes),
        cmocka_unit_test(programme_frames),
        cmocka_unit_test(programme_documents),
        cmocka_unit_test(live_encoders),
        cmocka_unit_test(pulse_encoders),
        cmocka_unit_test(op_names),
    };
    return cmocka_run_group_tests_name("proto_session", tests, NULL, NULL);
}
