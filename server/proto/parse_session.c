/* parse_session.c: the parse functions of the messages that run a session
 * (agenda, hand, topic, stage, question, pulse, pulse_results, note;
 * docs/protocol.md section 10), called by proto_parse through its table
 * generated from messages.def. Each reads "op" first and then only the
 * fields that op uses, in the order section 10 lists them; everything ends
 * up in fixed-size fields of the message (nothing on the heap). The
 * programme message lives in parse_programme.c. */
#include "server/proto/session_int.h"
#include "server/proto/session_proto.h"

#include <stdio.h>
#include <string.h>

/* The wire names of each op enum, in enum order. */
static const char *const agenda_ops[] = {
    "start", "pause",        "resume",   "extend", "next", "previous",
    "skip",  "jump",         "reset",    "add",    "edit", "remove",
    "move",  "auto_advance", "template", "round"};
static const char *const breakout_modes[] = {"complementary", "shared_interest",
                                             "random", "manual"};
static const char *const hand_ops[] = {"raise", "lower", "call_next",
                                       "call",  "clear", "stop_speaking"};
static const char *const topic_ops[] = {"propose", "vote", "unvote", "remove"};
static const char *const stage_ops[] = {"add", "remove"};
static const char *const question_ops[] = {"ask",    "vote", "unvote",
                                           "answer", "hide", "pin"};
static const char *const note_ops[] = {"add", "remove", "done"};
const char *const proto__agenda_kinds[] = {"plenary", "breakout", "talk", "qa",
                                           "feedback"};
const size_t proto__agenda_nkinds = 5;
static const char *const note_kinds[] = {"note", "commitment"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Which of names[0..n) s (len bytes) is, or -1. */
static int lookup_name(const char *const *names, size_t n, const char *s,
                       size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            return (int)i;
    return -1;
}

/* A string field that must be one of names (an enum on the wire). */
proto_error proto__name(proto__ctx *c, const cJSON *obj, const char *key,
                        const char *label, int required,
                        const char *const *names, size_t n, int *out)
{
    const char *name = label ? label : key;
    const char *s = NULL;
    size_t len = 0;
    int present = 0;
    proto_error e =
        proto__str(c, obj, key, name, required, 64, &s, &len, &present);

    if (e != PROTO_OK || !present)
        return e == PROTO_ERR_TOO_LONG
                   ? proto__fail(c, PROTO_ERR_BAD_VALUE,
                                 "%s is not a known value", name)
                   : e;
    int i = lookup_name(names, n, s, len);
    if (i < 0) {
        char list[200] = "";
        size_t at = 0;
        for (size_t k = 0; k < n && at < sizeof(list); k++)
            at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
                                   k ? ", " : "", names[k]);
        return proto__fail(c, PROTO_ERR_BAD_VALUE, "%s must be one of %s", name,
                           list);
    }
    *out = i;
    return PROTO_OK;
}

proto_error proto__text(proto__ctx *c, const cJSON *obj, const char *key,
                        const char *label, int required, size_t min, size_t max,
                        char *dst)
{
    const char *name = label ? label : key;
    const char *s = NULL;
    size_t len = 0;
    int present = 0;
    proto_error e =
        proto__str(c, obj, key, name, required, max, &s, &len, &present);

    dst[0] = '\0';
    if (e != PROTO_OK || !present)
        return e;
    if (len < min)
        return proto__fail(c, PROTO_ERR_BAD_VALUE, "%s must not be empty",
                           name);
    memcpy(dst, s, len + 1);
    return PROTO_OK;
}

proto_error proto__bool(proto__ctx *c, const cJSON *obj, const char *key,
                        const char *label, int required, int *out)
{
    const char *name = label ? label : key;
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (it == NULL)
        return required ? proto__fail(c, PROTO_ERR_MISSING_FIELD,
                                      "%s is required", name)
                        : PROTO_OK;
    for (const cJSON *x = it->next; x != NULL; x = x->next)
        if (x->string != NULL && strcmp(x->string, key) == 0)
            return proto__fail(c, PROTO_ERR_BAD_VALUE,
                               "%s appears more than once", name);
    if (!cJSON_IsBool(it))
        return proto__fail(c, PROTO_ERR_WRONG_TYPE, "%s must be true or false",
                           name);
    *out = cJSON_IsTrue(it) ? 1 : 0;
    return PROTO_OK;
}

proto_error proto__uid(proto__ctx *c, const cJSON *obj, const char *key,
                       const char *label, int required, uint32_t *out)
{
    int64_t v = 0;
    int present = 0;
    proto_error e =
        proto__int(c, obj, key, label, required, 1, UINT32_MAX, &v, &present);

    if (e == PROTO_OK && present)
        *out = (uint32_t)v;
    return e;
}

static proto_error read_op(proto__ctx *c, const cJSON *root,
                           const char *const *names, size_t n, int *op)
{
    return proto__name(c, root, "op", NULL, 1, names, n, op);
}

/* The optional "breakout":{"mode":...,"size":...} of add and edit. */
static proto_error breakout_settings(proto__ctx *c, const cJSON *root,
                                     proto_msg *m)
{
    const cJSON *b = NULL;
    int present = 0, mode = -1;
    int64_t size = 0;
    proto_error e =
        proto__object(c, root, "breakout", NULL, 0, 4, &b, &present);
    if (e != PROTO_OK || !present)
        return e;
    e = proto__name(c, b, "mode", "breakout.mode", 0, breakout_modes,
                    COUNT(breakout_modes), &mode);
    if (e == PROTO_OK)
        e = proto__int(c, b, "size", "breakout.size", 0, 2, 4, &size, NULL);
    m->u.agenda.breakout_mode = mode >= 0 ? mode + 1 : 0;
    m->u.agenda.breakout_size = (int)size;
    return e;
}

/* The item spec of agenda add and edit. */
static proto_error agenda_spec(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int kind = 0;
    int64_t timebox = 0;
    proto_error e = proto__text(c, root, "title", NULL, 1, 1,
                                PROTO_MAX_AGENDA_TITLE, m->u.agenda.title);

    if (e == PROTO_OK)
        e = proto__name(c, root, "kind", NULL, 1, proto__agenda_kinds,
                        proto__agenda_nkinds, &kind);
    if (e == PROTO_OK)
        snprintf(m->u.agenda.kind, sizeof(m->u.agenda.kind), "%s",
                 proto__agenda_kinds[kind]);
    if (e == PROTO_OK)
        e = proto__int(c, root, "timebox_ms", NULL, 1, PROTO_TIMEBOX_MIN_MS,
                       PROTO_TIMEBOX_MAX_MS, &timebox, NULL);
    m->u.agenda.timebox_ms = timebox;
    if (e == PROTO_OK)
        e = proto__id(c, root, "lead", NULL, 0, m->u.agenda.lead);
    if (e == PROTO_OK)
        e = breakout_settings(c, root, m);
    return e;
}

proto_error proto__parse_AGENDA(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int op = 0, on = 0;
    int64_t v = 0;
    proto_error e = read_op(c, root, agenda_ops, COUNT(agenda_ops), &op);

    if (e != PROTO_OK)
        return e;
    m->u.agenda.op = (proto_agenda_op)op;
    switch (m->u.agenda.op) {
    case PROTO_AGENDA_EXTEND:
        e = proto__int(c, root, "ms", NULL, 1, PROTO_EXTEND_MIN_MS,
                       PROTO_EXTEND_MAX_MS, &v, NULL);
        m->u.agenda.ms = v;
        return e;
    case PROTO_AGENDA_SKIP:
    case PROTO_AGENDA_JUMP:
    case PROTO_AGENDA_RESET:
    case PROTO_AGENDA_REMOVE:
        return proto__uid(c, root, "item", NULL, 1, &m->u.agenda.item);
    case PROTO_AGENDA_MOVE:
        e = proto__uid(c, root, "item", NULL, 1, &m->u.agenda.item);
        if (e == PROTO_OK)
            e = proto__int(c, root, "to", NULL, 1, 0, PROTO_AGENDA_ITEMS - 1,
                           &v, NULL);
        m->u.agenda.to = (uint32_t)v;
        return e;
    case PROTO_AGENDA_ADD:
        e = agenda_spec(c, root, m);
        if (e == PROTO_OK)
            e = proto__uid(c, root, "before", NULL, 0, &m->u.agenda.before);
        return e;
    case PROTO_AGENDA_EDIT:
        e = proto__uid(c, root, "item", NULL, 1, &m->u.agenda.item);
        return e == PROTO_OK ? agenda_spec(c, root, m) : e;
    case PROTO_AGENDA_AUTO_ADVANCE:
        e = proto__bool(c, root, "on", NULL, 1, &on);
        m->u.agenda.on = on;
        return e;
    case PROTO_AGENDA_ROUND:
        e = proto__uid(c, root, "item", NULL, 1, &m->u.agenda.item);
        if (e == PROTO_OK)
            e = proto__int(c, root, "round", NULL, 1, 1, PROTO__INT_LIMIT,
                           &m->u.agenda.round, NULL);
        return e;
    default:
        return PROTO_OK; /* start, pause, resume, next, previous, template */
    }
}

proto_error proto__parse_HAND(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int op = 0;
    proto_error e = read_op(c, root, hand_ops, COUNT(hand_ops), &op);

    if (e != PROTO_OK)
        return e;
    m->u.hand.op = (proto_hand_op)op;
    switch (m->u.hand.op) {
    case PROTO_HAND_CALL:
        return proto__id(c, root, "user", NULL, 1, m->u.hand.user);
    case PROTO_HAND_LOWER:
    case PROTO_HAND_STOP_SPEAKING:
        return proto__id(c, root, "user", NULL, 0, m->u.hand.user);
    default:
        return PROTO_OK; /* raise, call_next, clear */
    }
}

proto_error proto__parse_TOPIC(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int op = 0;
    proto_error e = read_op(c, root, topic_ops, COUNT(topic_ops), &op);

    if (e != PROTO_OK)
        return e;
    m->u.topic.op = (proto_topic_op)op;
    if (m->u.topic.op == PROTO_TOPIC_PROPOSE)
        return proto__text(c, root, "title", NULL, 1, 1, PROTO_MAX_TITLE,
                           m->u.topic.title);
    return proto__uid(c, root, "topic", NULL, 1, &m->u.topic.topic);
}

proto_error proto__parse_STAGE(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int op = 0;
    proto_error e = read_op(c, root, stage_ops, COUNT(stage_ops), &op);

    if (e != PROTO_OK)
        return e;
    m->u.stage.op = (proto_stage_op)op;
    return proto__id(c, root, "user", NULL, 1, m->u.stage.user);
}

proto_error proto__parse_QUESTION(proto__ctx *c, const cJSON *root,
                                  proto_msg *m)
{
    int op = 0, on = 1;
    proto_error e = read_op(c, root, question_ops, COUNT(question_ops), &op);

    if (e != PROTO_OK)
        return e;
    m->u.question.op = (proto_question_op)op;
    if (m->u.question.op == PROTO_QUESTION_ASK)
        return proto__text(c, root, "text", NULL, 1, 1, PROTO_MAX_QUESTION,
                           m->u.question.text);
    e = proto__uid(c, root, "question", NULL, 1, &m->u.question.question);
    if (e == PROTO_OK && m->u.question.op >= PROTO_QUESTION_ANSWER)
        e = proto__bool(c, root, "on", NULL, 0, &on);
    m->u.question.on = on;
    return e;
}

proto_error proto__parse_PULSE(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int64_t usefulness = 0;
    int will_apply = 0;
    proto_error e = proto__id(c, root, "scope", NULL, 0, m->u.pulse.scope);

    if (e == PROTO_OK && m->u.pulse.scope[0] == '\0')
        snprintf(m->u.pulse.scope, sizeof(m->u.pulse.scope), "session");
    if (e == PROTO_OK)
        e = proto__int(c, root, "usefulness", NULL, 1, 1, 5, &usefulness, NULL);
    m->u.pulse.usefulness = (int)usefulness;
    if (e == PROTO_OK)
        e = proto__bool(c, root, "will_apply", NULL, 1, &will_apply);
    m->u.pulse.will_apply = will_apply;
    if (e == PROTO_OK)
        e = proto__text(c, root, "text", NULL, 0, 0, PROTO_MAX_NOTE,
                        m->u.pulse.text);
    return e;
}

proto_error proto__parse_PULSE_RESULTS(proto__ctx *c, const cJSON *root,
                                       proto_msg *m)
{
    return proto__id(c, root, "scope", NULL, 0, m->u.pulse_results.scope);
}

proto_error proto__parse_NOTE(proto__ctx *c, const cJSON *root, proto_msg *m)
{
    int op = 0, kind = 0, on = 1;
    proto_error e = read_op(c, root, note_ops, COUNT(note_ops), &op);

    if (e != PROTO_OK)
        return e;
    m->u.note.op = (proto_note_op)op;
    if (m->u.note.op != PROTO_NOTE_ADD) {
        e = proto__uid(c, root, "note", NULL, 1, &m->u.note.note);
        if (e == PROTO_OK && m->u.note.op == PROTO_NOTE_DONE)
            e = proto__bool(c, root, "on", NULL, 0, &on);
        m->u.note.on = on;
        return e;
    }
    e = proto__text(c, root, "text", NULL, 1, 1, PROTO_MAX_NOTE,
                    m->u.note.text);
    if (e == PROTO_OK)
        e = proto__name(c, root, "kind", NULL, 0, note_kinds, COUNT(note_kinds),
                        &kind);
    snprintf(m->u.note.kind, sizeof(m->u.note.kind), "%s", note_kinds[kind]);
    if (e == PROTO_OK)
        e = proto__uid(c, root, "item", NULL, 0, &m->u.note.item);
    if (e == PROTO_OK)
        e = proto__id(c, root, "owner", NULL, 0, m->u.note.owner);
    return e;
}

const char *proto_agenda_op_name(proto_agenda_op op)
{
    return (unsigned)op < COUNT(agenda_ops) ? agenda_ops[op] : "unknown";
}

const char *proto_hand_op_name(proto_hand_op op)
{
    return (unsigned)op < COUNT(hand_ops) ? hand_ops[op] : "unknown";
}

const char *proto_topic_op_name(proto_topic_op op)
{
    return (unsigned)op < COUNT(topic_ops) ? topic_ops[op] : "unknown";
}

const char *proto_stage_op_name(proto_stage_op op)
{
    return (unsigned)op < COUNT(stage_ops) ? stage_ops[op] : "unknown";
}

const char *proto_question_op_name(proto_question_op op)
{
    return (unsigned)op < COUNT(question_ops) ? question_ops[op] : "unknown";
}

const char *proto_note_op_name(proto_note_op op)
{
    return (unsigned)op < COUNT(note_ops) ? note_ops[op] : "unknown";
}
