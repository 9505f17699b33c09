/* live_programme: the network's programme on this node (rooms/programme.h)
 * with its links from entries to live sessions: loaded once, before the
 * first session, from the stored document, notes and attendance
 * (server/store/session_state.h), and written back after every change.
 * Also the views and JSON pieces of entries and notes, attendance (with
 * the display name each attendee joined under) and the notes carried over
 * to the next session. Called by handle_programme.c,
 * live.c (load, host), live_view.c (joined state) and handle_join.c
 * (attendance). One node edits a programme at a time: versions make a
 * stale write lose, but two nodes never merge their edits. */
#include "server/app/live.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum prog_state { PROG_UNLOADED, PROG_LOADING, PROG_READY } prog_state;

typedef struct prog_link {
    uint32_t entry;
    char session[SESSION_ID_MAX + 1];
} prog_link;

struct app_prog {
    prog_state state;
    struct programme p;
    prog_link *links; /* entries that name a live session */
    size_t nlinks, links_cap;
    int64_t version; /* the latest version written or read */
    sess **waiting;  /* sessions waiting for the load */
    size_t nwaiting, waiting_cap;
};

static app_prog *prog_of(app *a)
{
    if (a->prog == NULL) {
        a->prog = calloc(1, sizeof(*a->prog));
        if (a->prog == NULL)
            abort();
        programme_init(&a->prog->p);
    }
    return a->prog;
}

void app__prog_free(app *a)
{
    if (a->prog == NULL)
        return;
    programme_free(&a->prog->p);
    free(a->prog->links);
    free(a->prog->waiting);
    free(a->prog);
    a->prog = NULL;
}

struct programme *app__prog(app *a)
{
    return a->prog && a->prog->state == PROG_READY ? &a->prog->p : NULL;
}

/* ---- links ---- */

const char *app__prog_link(app *a, uint32_t entry)
{
    for (size_t i = 0; a->prog && i < a->prog->nlinks; i++)
        if (a->prog->links[i].entry == entry)
            return a->prog->links[i].session;
    return "";
}

uint32_t app__prog_linked(app *a, const char *sid)
{
    for (size_t i = 0; a->prog && i < a->prog->nlinks; i++)
        if (strcmp(a->prog->links[i].session, sid) == 0)
            return a->prog->links[i].entry;
    return 0;
}

void app__prog_set_link(app *a, uint32_t entry, const char *sid)
{
    app_prog *pg = prog_of(a);
    for (size_t i = 0; i < pg->nlinks; i++) {
        if (pg->links[i].entry == entry) {
            pg->links[i] = pg->links[--pg->nlinks];
            break;
        }
    }
    if (sid == NULL || sid[0] == '\0')
        return;
    if (pg->nlinks == pg->links_cap) {
        pg->links_cap = pg->links_cap ? 2 * pg->links_cap : 16;
        pg->links = realloc(pg->links, pg->links_cap * sizeof(*pg->links));
        if (pg->links == NULL)
            abort();
    }
    pg->links[pg->nlinks].entry = entry;
    snprintf(pg->links[pg->nlinks].session, sizeof(pg->links[0].session), "%s",
             sid);
    pg->nlinks++;
}

const struct programme_session *app__prog_entry(app *a, const char *sid)
{
    struct programme *p = app__prog(a);
    uint32_t id = p ? app__prog_linked(a, sid) : 0;
    return id ? programme_find(p, id) : NULL;
}

const char *app__prog_host(app *a, const char *sid)
{
    const struct programme_session *e = app__prog_entry(a, sid);
    return e ? e->host : NULL;
}

/* ---- views ---- */

/* The breakout settings of template item it, as encoders take them. */
static proto_template_breakout breakout_view(const struct programme_item *it)
{
    return (proto_template_breakout){
        .mode = it->breakout.mode > 0
                    ? proto_round_mode_name(
                          (proto_round_mode)(it->breakout.mode - 1))
                    : NULL,
        .size = it->breakout.size};
}

proto_entry_view app__prog_entry_view(app *a, const struct programme_session *s,
                                      proto_template_item_view *items)
{
    proto_entry_view v = {.id = s->id,
                          .session = app__prog_link(a, s->id),
                          .kind = programme_kind_name(s->kind),
                          .title = s->title,
                          .tz = s->tz,
                          .host = s->host,
                          .start = s->start_ms,
                          .duration_ms = s->duration_ms,
                          .items = items,
                          .nitems = s->n_items};
    for (size_t i = 0; i < s->n_items; i++) {
        items[i] = (proto_template_item_view){
            s->items[i].title, s->items[i].lead,
            agenda_kind_name(s->items[i].kind), s->items[i].timebox_ms};
        v.breakouts[i] = breakout_view(&s->items[i]);
    }
    return v;
}

proto_note_view app__prog_note_view(const struct programme_note *n)
{
    return (proto_note_view){
        .id = n->id,
        .entry = n->session_id,
        .item = n->item_id,
        .item_title = n->item_title,
        .kind = n->kind == PROGRAMME_COMMITMENT ? "commitment" : "note",
        .author = n->author,
        .owner = n->owner,
        .text = n->text,
        .done = n->done,
        .created_at = n->created_ms};
}

/* The notes of entry id as a JSON array. */
static char *notes_json(const struct programme *p, uint32_t id, size_t *len)
{
    size_t n = programme_notes_of(p, id, NULL, 0);
    const struct programme_note **notes = calloc(n + 1, sizeof(*notes));
    proto_note_view *v = calloc(n + 1, sizeof(*v));
    if (notes == NULL || v == NULL)
        abort();
    programme_notes_of(p, id, notes, n);
    for (size_t i = 0; i < n; i++)
        v[i] = app__prog_note_view(notes[i]);
    char *out = proto_encode_notes_view(v, n, len);
    free(notes);
    free(v);
    return out;
}

char *app__prog_entry_piece(app *a, const char *sid, size_t *len)
{
    const struct programme_session *e = app__prog_entry(a, sid);
    proto_template_item_view items[PROGRAMME_TEMPLATE_MAX];
    if (e == NULL)
        return NULL;
    proto_entry_view v = app__prog_entry_view(a, e, items);
    return proto_encode_entry_view(&v, len);
}

char *app__prog_notes_piece(app *a, const char *sid, size_t *len)
{
    const struct programme_session *e = app__prog_entry(a, sid);
    if (e == NULL)
        return proto_encode_notes_view(NULL, 0, len);
    return notes_json(&a->prog->p, e->id, len);
}

char *app__prog_previous_piece(app *a, const char *sid, size_t *len)
{
    const struct programme_session *e = app__prog_entry(a, sid);
    uint32_t prev = 0;
    size_t n = 0;
    if (e == NULL ||
        programme_carry_over(&a->prog->p, e->id, NULL, 0, 1, &prev, NULL, 0,
                             &n) != PROGRAMME_OK ||
        prev == 0)
        return NULL;
    const struct programme_session *ps = programme_find(&a->prog->p, prev);
    proto_template_item_view items[PROGRAMME_TEMPLATE_MAX];
    proto_entry_view v = app__prog_entry_view(a, ps, items);
    size_t elen, nlen;
    char *entry = proto_encode_entry_view(&v, &elen);
    char *notes = notes_json(&a->prog->p, prev, &nlen);
    const char *keys[] = {"entry", "notes"};
    proto_raw vals[] = {{entry, elen}, {notes, nlen}};
    char *out = proto_encode_object(keys, vals, 2, len);
    free(entry);
    free(notes);
    return out;
}

/* ---- writes ---- */

static void saved_cb(const char *err, void *data)
{
    app *a = data;
    if (err) {
        a->m.store_failures++;
        fprintf(stderr, "kopa: programme write failed: %s\n", err);
    }
}

void app__prog_save_doc(app *a)
{
    app_prog *pg = prog_of(a);
    size_t n = pg->p.n_sessions, len;
    proto_entry_view *v = calloc(n + 1, sizeof(*v));
    proto_template_item_view(*items)[PROGRAMME_TEMPLATE_MAX] =
        calloc(n + 1, sizeof(*items));
    if (v == NULL || items == NULL)
        abort();
    for (size_t i = 0; i < n; i++)
        v[i] = app__prog_entry_view(a, &pg->p.sessions[i], items[i]);
    char *doc = proto_encode_programme_doc(pg->p.next_session_id, v, n, &len);
    if (session_state_save_doc(a->store, LIVE_PROGRAMME_ID, ++pg->version, doc,
                               len, saved_cb, a) != 0)
        saved_cb("write queue full", a);
    free(doc);
    free(v);
    free(items);
}

void app__prog_save_note(app *a, uint32_t id)
{
    app_prog *pg = prog_of(a);
    const struct programme_note *note = NULL;
    char *json = NULL;
    size_t len = 0;
    for (size_t i = 0; i < pg->p.n_notes; i++)
        if (pg->p.notes[i].id == id)
            note = &pg->p.notes[i];
    if (note != NULL) {
        proto_note_view v = app__prog_note_view(note);
        json = proto_encode_note_view(&v, &len);
    }
    if (session_state_save_note(a->store, LIVE_PROGRAMME_ID, id, ++pg->version,
                                json, len, saved_cb, a) != 0)
        saved_cb("write queue full", a);
    free(json);
}

static const struct programme_user *
find_attendee(const struct programme_session *e, const char *user)
{
    for (size_t i = 0; i < e->n_attendees; i++)
        if (strcmp(e->attendees[i].id, user) == 0)
            return &e->attendees[i];
    return NULL;
}

/* The display name of member user in session sid ("" when not known). */
static const char *member_name(app *a, const char *sid, const char *user)
{
    sess *ss = app__sess_find(a, sid);
    const member *m = ss && ss->s ? session_member(ss->s, user) : NULL;
    return m ? m->info.name : "";
}

void app__prog_attend(app *a, const char *sid, const char *user)
{
    const struct programme_session *e = app__prog_entry(a, sid);
    if (e == NULL)
        return;
    const char *name = member_name(a, sid, user);
    bool changed = false;
    programme_err pe =
        programme_attend(&a->prog->p, e->id, user, name, &changed);
    if (pe == PROGRAMME_ERR_USER && name[0]) /* a name the domain refuses */
        pe = programme_attend(&a->prog->p, e->id, user, NULL, &changed);
    if (pe != PROGRAMME_OK || !changed)
        return;
    /* Stored with the name kept in memory (a refused one is not). */
    const struct programme_user *u = find_attendee(e, user);
    if (session_state_save_attend(a->store, LIVE_PROGRAMME_ID, e->id, user,
                                  u ? u->name : NULL) != 0)
        saved_cb("write queue full", a);
}

/* ---- load ---- */

/* The stored entries of a document, in the order read. */
typedef struct entries {
    proto_prog_entry *e;
    size_t n, cap;
} entries;

static void collect_cb(const proto_prog_entry *e, void *data)
{
    entries *v = data;
    if (v->n == v->cap) {
        v->cap = v->cap ? 2 * v->cap : 16;
        v->e = realloc(v->e, v->cap * sizeof(*v->e));
        if (v->e == NULL)
            abort();
    }
    v->e[v->n++] = *e;
}

programme_err app__prog_spec(const proto_prog_entry *e,
                             struct programme_session_spec *spec,
                             struct agenda_item_spec *items)
{
    memset(spec, 0, sizeof(*spec));
    if (programme_kind_parse(e->kind, strlen(e->kind), &spec->kind) !=
        PROGRAMME_OK)
        return PROGRAMME_ERR_KIND;
    spec->title = e->title;
    spec->start_ms = e->start_ms;
    spec->tz = e->tz;
    spec->duration_ms = e->duration_ms;
    spec->host = e->host;
    for (size_t i = 0; i < e->nitems; i++) {
        items[i] =
            (struct agenda_item_spec){.title = e->items[i].title,
                                      .lead = e->items[i].lead,
                                      .timebox_ms = e->items[i].timebox_ms};
        if (agenda_kind_parse(e->items[i].kind, strlen(e->items[i].kind),
                              &items[i].kind) != AGENDA_OK)
            return PROGRAMME_ERR_TEMPLATE;
        spec->breakouts[i] = (struct programme_breakout){
            e->items[i].breakout_mode, e->items[i].breakout_size};
    }
    spec->items = items;
    spec->n_items = e->nitems;
    return PROGRAMME_OK;
}

/* Uses up session id `id` with an entry that is removed at once, so that
 * restored entries keep their ids (ids are never reused). */
static void burn_session_id(struct programme *p)
{
    struct programme_session_spec spec = {.kind = PROGRAMME_PEER_LEARNING,
                                          .title = "-",
                                          .start_ms = PROGRAMME_START_MIN_MS,
                                          .tz = "UTC",
                                          .duration_ms =
                                              PROGRAMME_DURATION_MIN_MS,
                                          .host = "-"};
    uint32_t id;
    if (programme_add(p, &spec, &id) == PROGRAMME_OK)
        programme_remove(p, id);
}

static void restore_sessions(app *a, const char *doc, size_t len)
{
    app_prog *pg = a->prog;
    entries v = {0};
    uint32_t next = 1;
    struct agenda_item_spec items[PROGRAMME_TEMPLATE_MAX];
    struct programme_session_spec spec;
    if (proto_programme_doc_parse(doc, len, &next, collect_cb, &v) < 0) {
        fprintf(stderr, "kopa: the stored programme is malformed; ignored\n");
        return;
    }
    for (uint32_t id = 1; id < next; id++) {
        const proto_prog_entry *e = NULL;
        for (size_t i = 0; i < v.n && e == NULL; i++)
            if (v.e[i].id == id)
                e = &v.e[i];
        uint32_t got = 0;
        if (e == NULL || app__prog_spec(e, &spec, items) != PROGRAMME_OK ||
            programme_add(&pg->p, &spec, &got) != PROGRAMME_OK) {
            burn_session_id(&pg->p);
            continue;
        }
        if (e->session[0])
            app__prog_set_link(a, got, e->session);
    }
    free(v.e);
}

static void restore_attendance(app *a, const session_state_programme *sp)
{
    struct programme *p = &a->prog->p;
    const char **users = calloc(sp->nattend + 1, sizeof(*users));
    if (users == NULL)
        abort();
    for (size_t s = 0; s < p->n_sessions; s++) {
        uint32_t id = p->sessions[s].id;
        size_t n = 0;
        for (size_t i = 0; i < sp->nattend; i++)
            if (sp->attend[i].entry == id)
                users[n++] = sp->attend[i].user;
        if (n == 0 || programme_set_attendance(p, id, users, n) != PROGRAMME_OK)
            continue;
        /* Then the names stored with them (older records have none). */
        for (size_t i = 0; i < sp->nattend; i++)
            if (sp->attend[i].entry == id && sp->attend[i].name[0])
                programme_attend(p, id, sp->attend[i].user, sp->attend[i].name,
                                 NULL);
    }
    free(users);
}

/* Adds one stored note (or uses up its id when it is gone). */
static void restore_note(struct programme *p, const session_state_note *sn)
{
    proto_note_rec r;
    uint32_t got = 0;
    if (sn != NULL && sn->json != NULL &&
        proto_note_parse(sn->json, sn->len, &r) == 0) {
        struct programme_note_spec spec = {
            .session_id = r.entry,
            .item_id = r.item,
            .item_title = r.item_title,
            .kind = strcmp(r.kind, "commitment") == 0 ? PROGRAMME_COMMITMENT
                                                      : PROGRAMME_NOTE,
            .author = r.author,
            .owner = r.owner,
            .text = r.text};
        if (programme_note_add(p, &spec, r.created_at, &got) == PROGRAMME_OK) {
            if (r.done)
                programme_commitment_done(p, got, true);
            return;
        }
    }
    if (p->n_sessions == 0)
        return; /* nothing to hang a placeholder on: the id is reused */
    struct programme_note_spec burn = {
        .session_id = p->sessions[0].id, .author = "-", .text = "-"};
    if (programme_note_add(p, &burn, 0, &got) == PROGRAMME_OK)
        programme_note_remove(p, got);
}

static void restore(app *a, const session_state_programme *sp)
{
    app_prog *pg = a->prog;
    uint32_t max_id = 0;
    pg->version = sp->doc_version;
    if (sp->doc != NULL)
        restore_sessions(a, sp->doc, sp->doc_len);
    restore_attendance(a, sp);
    for (size_t i = 0; i < sp->nnotes; i++) {
        if (sp->notes[i].id > max_id)
            max_id = sp->notes[i].id;
        if (sp->notes[i].version > pg->version)
            pg->version = sp->notes[i].version;
    }
    for (uint32_t id = 1; id <= max_id; id++) {
        const session_state_note *sn = NULL;
        for (size_t i = 0; i < sp->nnotes && sn == NULL; i++)
            if (sp->notes[i].id == id)
                sn = &sp->notes[i];
        restore_note(&pg->p, sn);
    }
}

static void loaded_cb(const session_state_programme *sp, const char *err,
                      void *data)
{
    app *a = data;
    app_prog *pg = a->prog;
    if (err == NULL)
        restore(a, sp);
    else
        fprintf(stderr, "kopa: loading the programme failed: %s\n", err);
    pg->state = err ? PROG_UNLOADED : PROG_READY;
    sess **waiting = pg->waiting;
    size_t n = pg->nwaiting;
    pg->waiting = NULL;
    pg->nwaiting = pg->waiting_cap = 0;
    for (size_t i = 0; i < n; i++)
        app__live_prog_ready(waiting[i], err);
    free(waiting);
}

void app__prog_need(app *a, sess *ss)
{
    app_prog *pg = prog_of(a);
    if (pg->state == PROG_READY) {
        app__live_prog_ready(ss, NULL);
        return;
    }
    if (pg->nwaiting == pg->waiting_cap) {
        pg->waiting_cap = pg->waiting_cap ? 2 * pg->waiting_cap : 4;
        pg->waiting = realloc(pg->waiting, pg->waiting_cap * sizeof(sess *));
        if (pg->waiting == NULL)
            abort();
    }
    pg->waiting[pg->nwaiting++] = ss;
    if (pg->state == PROG_LOADING)
        return;
    pg->state = PROG_LOADING;
    programme_free(&pg->p); /* a failed earlier load may have left some */
    pg->nlinks = 0;
    if (session_state_load_programme(a->store, LIVE_PROGRAMME_ID, loaded_cb,
                                     a) != 0)
        loaded_cb(NULL, "storage client closing", a);
}
