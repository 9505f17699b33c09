/* encode_programme.c: the JSON of a network's programme (docs/protocol.md
 * section 10.8): the programme reply (the export format, which put reads
 * back; coordinators' entries also carry their attendance), the stored
 * document, single entries, and the agenda add frames
 * the server records when it applies an entry's template. Called by the
 * app's programme handlers. */
#include "server/proto/session_int.h"
#include "server/proto/session_proto.h"

/* Puts b as o's "breakout" object unless it holds no settings. */
static void put_breakout(cJSON *o, const proto_template_breakout *b)
{
    if (b == NULL || (b->mode == NULL && b->size == 0))
        return;
    cJSON *x = proto__need(cJSON_CreateObject());
    proto__jput_str(x, "mode", b->mode);
    if (b->size != 0)
        proto__jput(x, "size", proto__jint(b->size));
    proto__jput(o, "breakout", x);
}

cJSON *proto__jentry(const proto_entry_view *e, int with_id)
{
    cJSON *o = proto__need(cJSON_CreateObject());
    cJSON *items = proto__need(cJSON_CreateArray());

    if (with_id)
        proto__jput(o, "id", proto__jint(e->id));
    proto__jput_str(o, "session", e->session);
    proto__jput(o, "kind", proto__jstr(e->kind));
    proto__jput(o, "title", proto__jstr(e->title));
    proto__jput(o, "start", proto__jint(e->start));
    proto__jput(o, "tz", proto__jstr(e->tz));
    proto__jput(o, "duration_ms", proto__jint(e->duration_ms));
    proto__jput(o, "host", proto__jstr(e->host));
    for (size_t i = 0; i < e->nitems; i++) {
        const proto_template_item_view *it = &e->items[i];
        cJSON *x = proto__need(cJSON_CreateObject());
        proto__jput(x, "title", proto__jstr(it->title));
        proto__jput(x, "kind", proto__jstr(it->kind));
        proto__jput(x, "timebox_ms", proto__jint(it->timebox_ms));
        proto__jput_str(x, "lead", it->lead);
        put_breakout(x, i < PROTO_PROG_ITEMS_MAX ? &e->breakouts[i] : NULL);
        proto__jpush(items, x);
    }
    proto__jput(o, "agenda", items);
    if (e->attendees != NULL) {
        cJSON *who = proto__need(cJSON_CreateArray());
        for (size_t i = 0; i < e->nattendees; i++) {
            cJSON *x = proto__need(cJSON_CreateObject());
            proto__jput(x, "id", proto__jstr(e->attendees[i].id));
            proto__jput_str(x, "name", e->attendees[i].name);
            proto__jpush(who, x);
        }
        proto__jput(o, "attendees", who);
    }
    return o;
}

char *proto_encode_entry_view(const proto_entry_view *e, size_t *len)
{
    return proto__jfinish(proto__jentry(e, 1), len);
}

static cJSON *entries(const proto_entry_view *e, size_t n)
{
    cJSON *arr = proto__need(cJSON_CreateArray());

    for (size_t i = 0; i < n; i++)
        proto__jpush(arr, proto__jentry(&e[i], 1));
    return arr;
}

char *proto_encode_programme(const char *ref, const char *programme,
                             const proto_entry_view *e, size_t n,
                             const proto_note_view *notes, size_t nnotes,
                             size_t *len)
{
    cJSON *o = proto__jreply("programme", ref);

    proto__jput(o, "programme", proto__jstr(programme));
    proto__jput(o, "sessions", entries(e, n));
    if (notes != NULL) {
        cJSON *arr = proto__need(cJSON_CreateArray());
        for (size_t i = 0; i < nnotes; i++)
            proto__jpush(arr, proto__jnote(&notes[i]));
        proto__jput(o, "notes", arr);
    }
    return proto__jfinish(o, len);
}

char *proto_encode_programme_doc(uint32_t next_session_id,
                                 const proto_entry_view *e, size_t n,
                                 size_t *len)
{
    cJSON *o = proto__need(cJSON_CreateObject());

    proto__jput(o, "v", proto__jint(1));
    proto__jput(o, "next_session_id", proto__jint(next_session_id));
    proto__jput(o, "sessions", entries(e, n));
    return proto__jfinish(o, len);
}

char *proto_encode_agenda_add(const proto_template_item_view *it, size_t *len)
{
    return proto_encode_agenda_add_breakout(it, NULL, len);
}

char *proto_encode_agenda_add_breakout(const proto_template_item_view *it,
                                       const proto_template_breakout *b,
                                       size_t *len)
{
    cJSON *o = proto__jreply("agenda", NULL);

    proto__jput(o, "op", proto__jstr("add"));
    proto__jput(o, "title", proto__jstr(it->title));
    proto__jput(o, "kind", proto__jstr(it->kind));
    proto__jput(o, "timebox_ms", proto__jint(it->timebox_ms));
    proto__jput_str(o, "lead", it->lead);
    put_breakout(o, b);
    return proto__jfinish(o, len);
}
