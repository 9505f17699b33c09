/* parse_programme.c: the programme message (docs/protocol.md section
 * 10.8) and the readers of programme entries: proto_parse checks a whole
 * programme frame here (every entry, into a throwaway struct), and the app
 * then reads the entries one at a time with proto_programme_entries(), so
 * a put of hundreds of entries never sits in a proto_msg. Also reads the
 * stored forms the store keeps: the programme document and notes. */
#include "server/proto/session_int.h"
#include "server/proto/session_proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const programme_ops[] = {"get", "put", "add", "edit",
                                            "remove"};
static const char *const entry_kinds[] = {"peer-learning", "workshop"};
static const char *const note_kinds[] = {"note", "commitment"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define LABEL_MAX 96

const char *proto_programme_op_name(proto_programme_op op)
{
    return (unsigned)op < COUNT(programme_ops) ? programme_ops[op] : "unknown";
}

/* The optional "breakout":{"mode","size"} of a template item at `at`,
 * checked as agenda add checks it. */
static proto_error template_breakout(proto__ctx *c, const cJSON *obj,
                                     const char *at, proto_prog_item *out)
{
    const char *modes[PROTO_MODE_MANUAL + 1];
    char label[LABEL_MAX];
    const cJSON *b = NULL;
    int present = 0, mode = -1;
    int64_t size = 0;
    proto_error e;

    for (int i = 0; i <= PROTO_MODE_MANUAL; i++)
        modes[i] = proto_round_mode_name((proto_round_mode)i);
    snprintf(label, sizeof(label), "%.60s.breakout", at);
    e = proto__object(c, obj, "breakout", label, 0, 4, &b, &present);
    if (e != PROTO_OK || !present)
        return e;
    snprintf(label, sizeof(label), "%.60s.breakout.mode", at);
    e = proto__name(c, b, "mode", label, 0, modes, COUNT(modes), &mode);
    snprintf(label, sizeof(label), "%.60s.breakout.size", at);
    if (e == PROTO_OK)
        e = proto__int(c, b, "size", label, 0, 2, 4, &size, NULL);
    out->breakout_mode = mode >= 0 ? mode + 1 : 0;
    out->breakout_size = (int)size;
    return e;
}

/* One item of an entry's agenda template. */
static proto_error template_item(proto__ctx *c, const cJSON *obj,
                                 const char *at, proto_prog_item *out)
{
    char label[LABEL_MAX];
    int kind = 0;
    proto_error e;

    if (!cJSON_IsObject(obj))
        return proto__fail(c, PROTO_ERR_WRONG_TYPE, "%s must be an object", at);
    snprintf(label, sizeof(label), "%.60s.title", at);
    e = proto__text(c, obj, "title", label, 1, 1, PROTO_MAX_AGENDA_TITLE,
                    out->title);
    snprintf(label, sizeof(label), "%.60s.kind", at);
    if (e == PROTO_OK)
        e = proto__name(c, obj, "kind", label, 1, proto__agenda_kinds,
                        proto__agenda_nkinds, &kind);
    snprintf(out->kind, sizeof(out->kind), "%s", proto__agenda_kinds[kind]);
    snprintf(label, sizeof(label), "%.60s.timebox_ms", at);
    if (e == PROTO_OK)
        e = proto__int(c, obj, "timebox_ms", label, 1, PROTO_TIMEBOX_MIN_MS,
                       PROTO_TIMEBOX_MAX_MS, &out->timebox_ms, NULL);
    snprintf(label, sizeof(label), "%.60s.lead", at);
    if (e == PROTO_OK)
        e = proto__id(c, obj, "lead", label, 0, out->lead);
    if (e == PROTO_OK)
        e = template_breakout(c, obj, at, out);
    return e;
}

/* The scalar fields of an entry, after its id. */
static proto_error entry_fields(proto__ctx *c, const cJSON *obj, const char *at,
                                proto_prog_entry *out)
{
    char label[LABEL_MAX];
    int kind = 0;
    proto_error e;

    snprintf(label, sizeof(label), "%.60s.session", at);
    e = proto__id(c, obj, "session", label, 0, out->session);
    snprintf(label, sizeof(label), "%.60s.kind", at);
    if (e == PROTO_OK)
        e = proto__name(c, obj, "kind", label, 1, entry_kinds,
                        COUNT(entry_kinds), &kind);
    snprintf(out->kind, sizeof(out->kind), "%s", entry_kinds[kind]);
    snprintf(label, sizeof(label), "%.60s.title", at);
    if (e == PROTO_OK)
        e = proto__text(c, obj, "title", label, 1, 1, PROTO_MAX_AGENDA_TITLE,
                        out->title);
    snprintf(label, sizeof(label), "%.60s.start", at);
    if (e == PROTO_OK)
        e = proto__int(c, obj, "start", label, 1, 0, INT64_MAX, &out->start_ms,
                       NULL);
    snprintf(label, sizeof(label), "%.60s.tz", at);
    if (e == PROTO_OK)
        e = proto__text(c, obj, "tz", label, 1, 1, PROTO_MAX_TZ, out->tz);
    snprintf(label, sizeof(label), "%.60s.duration_ms", at);
    if (e == PROTO_OK)
        e = proto__int(c, obj, "duration_ms", label, 1, 1, INT64_MAX,
                       &out->duration_ms, NULL);
    snprintf(label, sizeof(label), "%.60s.host", at);
    if (e == PROTO_OK)
        e = proto__id(c, obj, "host", label, 1, out->host);
    return e;
}

/* One programme entry at (a label such as "sessions[3]"). stored entries
 * carry their id. */
static proto_error prog_entry(proto__ctx *c, const cJSON *obj, const char *at,
                              int stored, proto_prog_entry *out)
{
    char label[LABEL_MAX];
    const cJSON *items = NULL;
    int present = 0;
    proto_error e = PROTO_OK;

    memset(out, 0, sizeof(*out));
    if (!cJSON_IsObject(obj))
        return proto__fail(c, PROTO_ERR_WRONG_TYPE, "%s must be an object", at);
    snprintf(label, sizeof(label), "%.60s.id", at);
    if (stored)
        e = proto__uid(c, obj, "id", label, 1, &out->id);
    if (e == PROTO_OK)
        e = entry_fields(c, obj, at, out);
    snprintf(label, sizeof(label), "%.60s.agenda", at);
    if (e == PROTO_OK)
        e = proto__array(c, obj, "agenda", label, 0, PROTO_PROG_ITEMS_MAX,
                         &items, &present);
    for (const cJSON *it = e == PROTO_OK && present ? items->child : NULL;
         e == PROTO_OK && it != NULL; it = it->next) {
        snprintf(label, sizeof(label), "%.60s.agenda[%zu]", at, out->nitems);
        e = template_item(c, it, label, &out->items[out->nitems]);
        if (e == PROTO_OK)
            out->nitems++;
    }
    return e;
}

/* Checks every entry of an array (label "sessions"); calls cb with each
 * when cb is not NULL. */
static proto_error each_entry(proto__ctx *c, const cJSON *arr, int stored,
                              proto_entry_cb cb, void *data, size_t *n)
{
    proto_prog_entry *tmp = proto__need(malloc(sizeof(*tmp)));
    char label[LABEL_MAX];
    proto_error e = PROTO_OK;

    *n = 0;
    for (const cJSON *it = arr->child; e == PROTO_OK && it != NULL;
         it = it->next) {
        snprintf(label, sizeof(label), "sessions[%zu]", *n);
        e = prog_entry(c, it, label, stored, tmp);
        if (e == PROTO_OK && cb != NULL)
            cb(tmp, data);
        (*n)++;
    }
    free(tmp);
    return e;
}

static proto_error one_entry(proto__ctx *c, const cJSON *root,
                             proto_entry_cb cb, void *data)
{
    const cJSON *obj = NULL;
    proto_prog_entry *tmp = proto__need(malloc(sizeof(*tmp)));
    proto_error e = proto__object(c, root, "entry", NULL, 1, 64, &obj, NULL);

    if (e == PROTO_OK)
        e = prog_entry(c, obj, "entry", 0, tmp);
    if (e == PROTO_OK && cb != NULL)
        cb(tmp, data);
    free(tmp);
    return e;
}

proto_error proto__parse_PROGRAMME(proto__ctx *c, const cJSON *root,
                                   proto_msg *m)
{
    const cJSON *sessions = NULL;
    int op = 0;
    proto_error e = proto__name(c, root, "op", NULL, 1, programme_ops,
                                COUNT(programme_ops), &op);

    if (e != PROTO_OK)
        return e;
    m->u.programme.op = (proto_programme_op)op;
    switch (m->u.programme.op) {
    case PROTO_PROGRAMME_PUT:
        e = proto__array(c, root, "sessions", NULL, 1, PROTO_PROG_SESSIONS_MAX,
                         &sessions, NULL);
        if (e == PROTO_OK)
            e = each_entry(c, sessions, 0, NULL, NULL,
                           &m->u.programme.nentries);
        return e;
    case PROTO_PROGRAMME_EDIT:
        e = proto__uid(c, root, "id", NULL, 1, &m->u.programme.id);
        /* fall through */
    case PROTO_PROGRAMME_ADD:
        if (e == PROTO_OK)
            e = one_entry(c, root, NULL, NULL);
        m->u.programme.nentries = 1;
        return e;
    case PROTO_PROGRAMME_REMOVE:
        return proto__uid(c, root, "id", NULL, 1, &m->u.programme.id);
    default:
        return PROTO_OK; /* get */
    }
}

/* Parses len bytes of JSON text holding an object; NULL when it does not. */
static cJSON *parse_object(const char *buf, size_t len)
{
    const char *end = NULL;
    cJSON *root;

    if (buf == NULL || len == 0)
        return NULL;
    root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (root != NULL && !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        return NULL;
    }
    return root;
}

int proto_programme_entries(const char *frame, size_t len, proto_entry_cb cb,
                            void *data)
{
    proto__ctx c = {NULL, 0};
    cJSON *root = parse_object(frame, len);
    const cJSON *sessions = NULL;
    size_t n = 0;
    int op = 0, result = -1;

    if (root == NULL)
        return -1;
    if (proto__name(&c, root, "op", NULL, 1, programme_ops,
                    COUNT(programme_ops), &op) != PROTO_OK)
        goto done;
    if (op == PROTO_PROGRAMME_PUT) {
        if (proto__array(&c, root, "sessions", NULL, 1, PROTO_PROG_SESSIONS_MAX,
                         &sessions, NULL) == PROTO_OK &&
            each_entry(&c, sessions, 0, NULL, NULL, &n) == PROTO_OK &&
            each_entry(&c, sessions, 0, cb, data, &n) == PROTO_OK)
            result = (int)n;
    } else if (op == PROTO_PROGRAMME_ADD || op == PROTO_PROGRAMME_EDIT) {
        if (one_entry(&c, root, NULL, NULL) == PROTO_OK &&
            one_entry(&c, root, cb, data) == PROTO_OK)
            result = 1;
    }
done:
    cJSON_Delete(root);
    return result;
}

int proto_programme_doc_parse(const char *doc, size_t len,
                              uint32_t *next_session_id, proto_entry_cb cb,
                              void *data)
{
    proto__ctx c = {NULL, 0};
    cJSON *root = parse_object(doc, len);
    const cJSON *sessions = NULL;
    int64_t v = 0, next = 0;
    size_t n = 0;
    int result = -1;

    if (root == NULL)
        return -1;
    if (proto__int(&c, root, "v", NULL, 1, 1, 1, &v, NULL) == PROTO_OK &&
        proto__int(&c, root, "next_session_id", NULL, 1, 1, UINT32_MAX, &next,
                   NULL) == PROTO_OK &&
        proto__array(&c, root, "sessions", NULL, 1, PROTO_PROG_SESSIONS_MAX,
                     &sessions, NULL) == PROTO_OK &&
        each_entry(&c, sessions, 1, NULL, NULL, &n) == PROTO_OK) {
        *next_session_id = (uint32_t)next;
        each_entry(&c, sessions, 1, cb, data, &n);
        result = (int)n;
    }
    cJSON_Delete(root);
    return result;
}

int proto_note_parse(const char *json, size_t len, proto_note_rec *out)
{
    proto__ctx c = {NULL, 0};
    cJSON *root = parse_object(json, len);
    int kind = 0, done = 0;
    proto_error e;

    memset(out, 0, sizeof(*out));
    if (root == NULL)
        return -1;
    e = proto__uid(&c, root, "id", NULL, 1, &out->id);
    if (e == PROTO_OK)
        e = proto__uid(&c, root, "entry", NULL, 1, &out->entry);
    if (e == PROTO_OK)
        e = proto__uid(&c, root, "item", NULL, 0, &out->item);
    if (e == PROTO_OK)
        e = proto__text(&c, root, "item_title", NULL, 0, 0,
                        PROTO_MAX_AGENDA_TITLE, out->item_title);
    if (e == PROTO_OK)
        e = proto__name(&c, root, "kind", NULL, 1, note_kinds,
                        COUNT(note_kinds), &kind);
    snprintf(out->kind, sizeof(out->kind), "%s", note_kinds[kind]);
    if (e == PROTO_OK)
        e = proto__id(&c, root, "author", NULL, 1, out->author);
    if (e == PROTO_OK)
        e = proto__id(&c, root, "owner", NULL, 0, out->owner);
    if (e == PROTO_OK)
        e = proto__text(&c, root, "text", NULL, 1, 1, PROTO_MAX_NOTE,
                        out->text);
    if (e == PROTO_OK)
        e = proto__bool(&c, root, "done", NULL, 1, &done);
    out->done = done;
    if (e == PROTO_OK)
        e = proto__int(&c, root, "created_at", NULL, 1, INT64_MIN, INT64_MAX,
                       &out->created_at, NULL);
    cJSON_Delete(root);
    return e == PROTO_OK ? 0 : -1;
}
