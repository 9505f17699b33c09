/* fuzz_session.c: the checks fuzz_proto_parse.c makes of the messages of
 * docs/protocol.md section 10: every field a parsed message holds keeps
 * its documented rule, and the entries of an accepted programme frame read
 * back through proto_programme_entries() agree with the parse. */
#include "fuzz_session.h"

#include <stdlib.h>
#include <string.h>

#include "server/proto/session_proto.h"

#define CHECK(x)                                                               \
    do {                                                                       \
        if (!(x))                                                              \
            abort();                                                           \
    } while (0)

/* A NUL-terminated UTF-8 string of min..max bytes in a buffer of cap. */
static void check_str(const char *s, size_t cap, size_t min, size_t max)
{
    size_t n = strnlen(s, cap);
    CHECK(n < cap && n >= min && n <= max);
    CHECK(proto_valid_utf8(s, n));
}

static void check_id(const char *s, int optional)
{
    size_t n = strnlen(s, PROTO_MAX_ID + 1);
    CHECK(n <= PROTO_MAX_ID);
    CHECK((optional && n == 0) || proto_valid_id(s, n));
}

static int one_of(const char *s, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(s, *names) == 0)
            return 1;
    return 0;
}

static const char *const agenda_kinds[] = {"plenary", "breakout", "talk",
                                           "qa",      "feedback", NULL};

static void check_agenda(const proto_msg *m)
{
    CHECK((unsigned)m->u.agenda.op <= PROTO_AGENDA_TEMPLATE);
    check_str(m->u.agenda.title, sizeof(m->u.agenda.title), 0,
              PROTO_MAX_AGENDA_TITLE);
    check_id(m->u.agenda.lead, 1);
    CHECK(m->u.agenda.to < PROTO_AGENDA_ITEMS);
    CHECK(m->u.agenda.ms == 0 || (m->u.agenda.ms >= PROTO_EXTEND_MIN_MS &&
                                  m->u.agenda.ms <= PROTO_EXTEND_MAX_MS));
    if (m->u.agenda.op == PROTO_AGENDA_ADD ||
        m->u.agenda.op == PROTO_AGENDA_EDIT) {
        CHECK(m->u.agenda.title[0] != '\0');
        CHECK(one_of(m->u.agenda.kind, agenda_kinds));
        CHECK(m->u.agenda.timebox_ms >= PROTO_TIMEBOX_MIN_MS &&
              m->u.agenda.timebox_ms <= PROTO_TIMEBOX_MAX_MS);
    }
    if (m->u.agenda.op == PROTO_AGENDA_EDIT ||
        m->u.agenda.op == PROTO_AGENDA_SKIP ||
        m->u.agenda.op == PROTO_AGENDA_MOVE)
        CHECK(m->u.agenda.item >= 1);
    CHECK(m->u.agenda.on == 0 || m->u.agenda.on == 1);
}

int fuzz_check_session(const proto_msg *m)
{
    static const char *const note_kinds[] = {"note", "commitment", NULL};
    switch (m->type) {
    case PROTO_AGENDA:
        check_agenda(m);
        return 1;
    case PROTO_HAND:
        CHECK((unsigned)m->u.hand.op <= PROTO_HAND_STOP_SPEAKING);
        check_id(m->u.hand.user, m->u.hand.op != PROTO_HAND_CALL);
        return 1;
    case PROTO_TOPIC:
        check_str(m->u.topic.title, sizeof(m->u.topic.title),
                  m->u.topic.op == PROTO_TOPIC_PROPOSE, PROTO_MAX_TITLE);
        CHECK(m->u.topic.op == PROTO_TOPIC_PROPOSE || m->u.topic.topic >= 1);
        return 1;
    case PROTO_STAGE:
        check_id(m->u.stage.user, 0);
        return 1;
    case PROTO_QUESTION:
        check_str(m->u.question.text, sizeof(m->u.question.text),
                  m->u.question.op == PROTO_QUESTION_ASK, PROTO_MAX_QUESTION);
        CHECK(m->u.question.on == 0 || m->u.question.on == 1);
        return 1;
    case PROTO_PULSE:
        check_id(m->u.pulse.scope, 0);
        CHECK(m->u.pulse.usefulness >= 1 && m->u.pulse.usefulness <= 5);
        CHECK(m->u.pulse.will_apply == 0 || m->u.pulse.will_apply == 1);
        check_str(m->u.pulse.text, sizeof(m->u.pulse.text), 0, PROTO_MAX_NOTE);
        return 1;
    case PROTO_PULSE_RESULTS:
        check_id(m->u.pulse_results.scope, 1);
        return 1;
    case PROTO_PROGRAMME:
        CHECK((unsigned)m->u.programme.op <= PROTO_PROGRAMME_REMOVE);
        CHECK(m->u.programme.nentries <= PROTO_PROG_SESSIONS_MAX);
        return 1;
    case PROTO_NOTE:
        CHECK((unsigned)m->u.note.op <= PROTO_NOTE_DONE);
        check_str(m->u.note.text, sizeof(m->u.note.text),
                  m->u.note.op == PROTO_NOTE_ADD, PROTO_MAX_NOTE);
        CHECK(m->u.note.op != PROTO_NOTE_ADD ||
              one_of(m->u.note.kind, note_kinds));
        check_id(m->u.note.owner, 1);
        return 1;
    default:
        return 0;
    }
}

static void entry_cb(const proto_prog_entry *e, void *data)
{
    size_t *n = data;
    check_id(e->session, 1);
    check_str(e->title, sizeof(e->title), 1, PROTO_MAX_AGENDA_TITLE);
    check_str(e->tz, sizeof(e->tz), 1, PROTO_MAX_TZ);
    check_id(e->host, 0);
    CHECK(e->nitems <= PROTO_PROG_ITEMS_MAX);
    for (size_t i = 0; i < e->nitems; i++) {
        check_str(e->items[i].title, sizeof(e->items[i].title), 1,
                  PROTO_MAX_AGENDA_TITLE);
        CHECK(one_of(e->items[i].kind, agenda_kinds));
        check_id(e->items[i].lead, 1);
    }
    (*n)++;
}

void fuzz_check_programme(const char *frame, size_t len, const proto_msg *m)
{
    size_t n = 0;
    int got = proto_programme_entries(frame, len, entry_cb, &n);
    if (m->u.programme.op == PROTO_PROGRAMME_GET ||
        m->u.programme.op == PROTO_PROGRAMME_REMOVE) {
        CHECK(got == -1 && n == 0);
        return;
    }
    CHECK(got >= 0 && (size_t)got == m->u.programme.nentries &&
          n == (size_t)got);
}
