/* handle_programme: the programme and note messages (docs/protocol.md
 * sections 10.8 and 10.9). Everyone reads the programme; only coordinators
 * change it (put replaces it, keeping the entries whose session link
 * stays, with their notes and attendance; add, edit and remove work on one
 * entry). Notes and commitments are attached to the agenda items of the
 * session they are written in, by coordinators and the session's host,
 * and are shown again at the next session with the same people.
 * Coordinators' answers also carry every note and each entry's attendance.
 * The programme's storage and views are in live_programme.c. */
#include "server/app/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static proto_error programme_error(programme_err e, const char *label,
                                   char *why, size_t size)
{
    snprintf(why, size, "%s%s%s", label ? label : "", label ? ": " : "",
             programme_strerror(e));
    switch (e) {
    case PROGRAMME_OK:
        return PROTO_OK;
    case PROGRAMME_ERR_NO_SUCH_SESSION:
    case PROGRAMME_ERR_NO_SUCH_NOTE:
        return PROTO_ERR_NOT_FOUND;
    case PROGRAMME_ERR_NOT_COMMITMENT:
        return PROTO_ERR_BAD_STATE;
    case PROGRAMME_ERR_FULL:
        return PROTO_ERR_TOO_MANY;
    case PROGRAMME_ERR_NOMEM:
        return PROTO_ERR_INTERNAL;
    default:
        return PROTO_ERR_BAD_VALUE;
    }
}

/* ---- the programme reply and event ---- */

/* The attendance of entry s as views (borrowing s); the caller frees. */
static proto_attendee_view *attendees(const struct programme_session *s)
{
    proto_attendee_view *v = calloc(s->n_attendees + 1, sizeof(*v));
    if (v == NULL)
        abort();
    for (size_t i = 0; i < s->n_attendees; i++)
        v[i] = (proto_attendee_view){s->attendees[i].id, s->attendees[i].name};
    return v;
}

/* The programme JSON: sessions by start; for coordinators (full) also
 * every note and each entry's attendance. */
static char *programme_json(app *a, const char *ref, int full, size_t *len)
{
    struct programme *p = app__prog(a);
    size_t n = p->n_sessions;
    const struct programme_session **sorted = calloc(n + 1, sizeof(*sorted));
    proto_entry_view *v = calloc(n + 1, sizeof(*v));
    proto_template_item_view(*items)[PROGRAMME_TEMPLATE_MAX] =
        calloc(n + 1, sizeof(*items));
    proto_note_view *notes = calloc(p->n_notes + 1, sizeof(*notes));
    if (sorted == NULL || v == NULL || items == NULL || notes == NULL)
        abort();
    programme_sorted(p, sorted, n);
    for (size_t i = 0; i < n; i++) {
        v[i] = app__prog_entry_view(a, sorted[i], items[i]);
        if (full) {
            v[i].attendees = attendees(sorted[i]);
            v[i].nattendees = sorted[i]->n_attendees;
        }
    }
    for (size_t i = 0; i < p->n_notes; i++)
        notes[i] = app__prog_note_view(&p->notes[i]);
    char *out = proto_encode_programme(ref, LIVE_PROGRAMME_ID, v, n,
                                       full ? notes : NULL, p->n_notes, len);
    for (size_t i = 0; i < n; i++)
        free((void *)v[i].attendees);
    free(sorted);
    free(v);
    free(items);
    free(notes);
    return out;
}

/* Whether c's member sees the coordinators' programme (notes, attendance). */
static int sees_all(const conn *c)
{
    return perm_allows(c->info.role, ACTION_PROGRAMME_EDIT);
}

/* Answers c and, after a change, tells everyone else on this node:
 * coordinators get what their own answer would carry, others the plan. */
static void reply(conn *c, const proto_msg *msg, int changed)
{
    app *a = c->app;
    size_t len;
    char *buf = programme_json(a, msg->ref, sees_all(c), &len);
    app__send_buf(c, buf, len);
    if (!changed)
        return;
    frame *f[2] = {NULL, NULL}; /* [0] the plan, [1] the full programme */
    for (conn *o = a->conns; o; o = o->next) {
        if (o == c || o->state != CONN_JOINED)
            continue;
        int full = sees_all(o);
        if (f[full] == NULL) {
            buf = programme_json(a, NULL, full, &len);
            f[full] = frame_take(buf, len, 0);
        }
        app__send(o, f[full]);
    }
    for (int i = 0; i < 2; i++)
        if (f[i] != NULL)
            frame_unref(f[i]);
}

/* ---- changes ---- */

/* The entries of c's programme frame. */
typedef struct entry_list {
    proto_prog_entry *e;
    size_t n, cap;
} entry_list;

static void collect_cb(const proto_prog_entry *e, void *data)
{
    entry_list *v = data;
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 8;
        v->e = realloc(v->e, v->cap * sizeof(*v->e));
        if (v->e == NULL)
            abort();
    }
    v->e[v->n++] = *e;
}

/* Checks entry e (label for messages). keep is the entry that may hold e's
 * session link already (0: none; (uint32_t)-1: any, for put). */
static proto_error check_entry(app *a, const proto_prog_entry *e,
                               const char *label, uint32_t keep, char *why,
                               size_t size)
{
    struct programme_session_spec spec;
    struct agenda_item_spec items[PROGRAMME_TEMPLATE_MAX];
    programme_err pe = app__prog_spec(e, &spec, items);
    if (pe == PROGRAMME_OK)
        pe = programme_check(&spec);
    if (pe != PROGRAMME_OK)
        return programme_error(pe, label, why, size);
    uint32_t owner = e->session[0] ? app__prog_linked(a, e->session) : 0;
    if (keep != (uint32_t)-1 && owner != 0 && owner != keep) {
        snprintf(why, size, "%s: session %s is already entry %u", label,
                 e->session, (unsigned)owner);
        return PROTO_ERR_BAD_VALUE;
    }
    return PROTO_OK;
}

/* Removes entry id with its notes (leaving tombstones) and its link. */
static void remove_entry(app *a, uint32_t id)
{
    struct programme *p = app__prog(a);
    size_t n = programme_notes_of(p, id, NULL, 0);
    uint32_t *notes = calloc(n + 1, sizeof(*notes));
    const struct programme_note **list = calloc(n + 1, sizeof(*list));
    if (notes == NULL || list == NULL)
        abort();
    programme_notes_of(p, id, list, n);
    for (size_t i = 0; i < n; i++)
        notes[i] = list[i]->id;
    programme_remove(p, id);
    for (size_t i = 0; i < n; i++)
        app__prog_save_note(a, notes[i]);
    app__prog_set_link(a, id, NULL);
    free(notes);
    free(list);
}

/* Adds e, or replaces entry id with it (id != 0). */
static programme_err store_entry(app *a, uint32_t id, const proto_prog_entry *e)
{
    struct programme_session_spec spec;
    struct agenda_item_spec items[PROGRAMME_TEMPLATE_MAX];
    programme_err pe = app__prog_spec(e, &spec, items);
    if (pe == PROGRAMME_OK)
        pe = id ? programme_edit(app__prog(a), id, &spec)
                : programme_add(app__prog(a), &spec, &id);
    if (pe == PROGRAMME_OK)
        app__prog_set_link(a, id, e->session);
    return pe;
}

/* put: the whole programme at once. Every entry is checked before
 * anything changes; *changed tells whether something did. */
static proto_error put(conn *c, const entry_list *v, char *why, size_t size,
                       int *changed)
{
    app *a = c->app;
    struct programme *p = app__prog(a);
    char label[32];
    for (size_t i = 0; i < v->n; i++) {
        snprintf(label, sizeof(label), "sessions[%zu]", i);
        proto_error e =
            check_entry(a, &v->e[i], label, (uint32_t)-1, why, size);
        for (size_t j = 0; e == PROTO_OK && j < i; j++)
            if (v->e[i].session[0] &&
                strcmp(v->e[i].session, v->e[j].session) == 0) {
                snprintf(why, size, "%s: session %s is named twice", label,
                         v->e[i].session);
                e = PROTO_ERR_BAD_VALUE;
            }
        if (e != PROTO_OK)
            return e;
    }
    *changed = 1;
    /* Entries whose session link is not in the new list go, with notes. */
    for (size_t k = p->n_sessions; k-- > 0;) {
        const char *link = app__prog_link(a, p->sessions[k].id);
        int kept = 0;
        for (size_t i = 0; link[0] && i < v->n && !kept; i++)
            kept = strcmp(link, v->e[i].session) == 0;
        if (!kept)
            remove_entry(a, p->sessions[k].id);
    }
    for (size_t i = 0; i < v->n; i++) {
        uint32_t id =
            v->e[i].session[0] ? app__prog_linked(a, v->e[i].session) : 0;
        programme_err pe = store_entry(a, id, &v->e[i]);
        if (pe != PROGRAMME_OK) {
            snprintf(label, sizeof(label), "sessions[%zu]", i);
            return programme_error(pe, label, why, size);
        }
    }
    return PROTO_OK;
}

/* Applies a programme change; *changed tells whether anything changed
 * (a put may fail part-way, out of memory). */
static proto_error change(conn *c, const proto_msg *msg, char *why, size_t size,
                          int *changed)
{
    app *a = c->app;
    entry_list v = {0};
    proto_error e = PROTO_OK;
    uint32_t id = msg->u.programme.id;
    if (msg->u.programme.op != PROTO_PROGRAMME_REMOVE &&
        proto_programme_entries(c->frame, c->frame_len, collect_cb, &v) < 0)
        e = PROTO_ERR_INTERNAL;
    if (e == PROTO_OK && id != 0 && programme_find(app__prog(a), id) == NULL) {
        snprintf(why, size, "no programme entry %u", (unsigned)id);
        e = PROTO_ERR_NOT_FOUND;
    }
    if (e != PROTO_OK)
        goto done;
    switch (msg->u.programme.op) {
    case PROTO_PROGRAMME_PUT:
        e = put(c, &v, why, size, changed);
        break;
    case PROTO_PROGRAMME_ADD:
    case PROTO_PROGRAMME_EDIT:
        e = check_entry(a, &v.e[0], "entry", id, why, size);
        if (e == PROTO_OK)
            e = programme_error(store_entry(a, id, &v.e[0]), "entry", why,
                                size);
        *changed = e == PROTO_OK;
        break;
    default:
        remove_entry(a, id);
        *changed = 1;
        break;
    }
done:
    free(v.e);
    return e;
}

void app__handle_programme(conn *c, proto_msg *msg)
{
    char why[200] = "";
    int get = msg->u.programme.op == PROTO_PROGRAMME_GET;
    if (!app__live_may(c,
                       get ? ACTION_PROGRAMME_READ : ACTION_PROGRAMME_EDIT)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         "only coordinators change the programme");
        return;
    }
    if (app__prog(c->app) == NULL) {
        app__live_refuse(c, msg, PROTO_ERR_STORE_UNAVAILABLE,
                         "the programme is not loaded; retry shortly");
        return;
    }
    if (!get) {
        int changed = 0;
        proto_error e = change(c, msg, why, sizeof(why), &changed);
        if (changed)
            app__prog_save_doc(c->app);
        if (e != PROTO_OK) {
            app__live_refuse(c, msg, e, why);
            return;
        }
    }
    reply(c, msg, !get);
}

/* ---- notes ---- */

static const struct programme_note *find_note(const struct programme *p,
                                              uint32_t id, uint32_t entry)
{
    for (size_t i = 0; i < p->n_notes; i++)
        if (p->notes[i].id == id && p->notes[i].session_id == entry)
            return &p->notes[i];
    return NULL;
}

static programme_err add_note(conn *c, const proto_msg *msg, uint32_t entry,
                              uint32_t *id)
{
    const char *title = "";
    if (msg->u.note.item != 0) {
        const struct agenda_item *it =
            agenda_find(&c->sess->live->agenda, msg->u.note.item);
        if (it == NULL)
            return PROGRAMME_ERR_INVALID;
        title = it->title;
    }
    struct programme_note_spec spec = {
        .session_id = entry,
        .item_id = msg->u.note.item,
        .item_title = title,
        .kind = strcmp(msg->u.note.kind, "commitment") == 0
                    ? PROGRAMME_COMMITMENT
                    : PROGRAMME_NOTE,
        .author = c->info.id,
        .owner = msg->u.note.owner,
        .text = msg->u.note.text};
    return programme_note_add(app__prog(c->app), &spec, app__wall_ms(), id);
}

void app__handle_note(conn *c, proto_msg *msg)
{
    app *a = c->app;
    char why[200] = "";
    if (!app__live_may(c, ACTION_NOTE_WRITE)) {
        app__live_refuse(c, msg, PROTO_ERR_FORBIDDEN,
                         "only coordinators and the session's host write "
                         "notes");
        return;
    }
    const struct programme_session *entry = app__prog_entry(a, c->sess->id);
    if (entry == NULL) {
        app__live_refuse(c, msg, PROTO_ERR_NOT_FOUND,
                         "this session is not in the programme");
        return;
    }
    uint32_t id = msg->u.note.note;
    programme_err pe = PROGRAMME_OK;
    if (msg->u.note.op == PROTO_NOTE_ADD) {
        pe = add_note(c, msg, entry->id, &id);
        if (pe == PROGRAMME_ERR_INVALID) {
            app__live_refuse(c, msg, PROTO_ERR_NOT_FOUND,
                             "no such agenda item");
            return;
        }
    } else if (find_note(app__prog(a), id, entry->id) == NULL) {
        pe = PROGRAMME_ERR_NO_SUCH_NOTE;
    } else if (msg->u.note.op == PROTO_NOTE_REMOVE) {
        pe = programme_note_remove(app__prog(a), id);
    } else {
        pe = programme_commitment_done(app__prog(a), id, msg->u.note.on != 0);
    }
    if (pe != PROGRAMME_OK) {
        app__live_refuse(c, msg, programme_error(pe, NULL, why, sizeof(why)),
                         why);
        return;
    }
    app__prog_save_note(a, id);
    live_change ch = {.feature = LIVE_NOTES,
                      .changed = 1,
                      .op = proto_note_op_name(msg->u.note.op),
                      .id_key = "note",
                      .id = id};
    app__live_emit(c->sess, &ch, c->member, NULL, app__wall_ms(), NULL, 0);
}
