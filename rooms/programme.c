/* programme.c: the session plan of one network, its agenda templates,
 * attendance, and the notes and commitments carried from one session to
 * the next (rooms/programme.h). Called by the app layer for programme
 * edits by coordinators, when a session opens (programme_to_agenda), when
 * it closes (attendance) and when the next one starts (carry-over). */
#include "rooms/programme.h"

#include "rooms/rooms_int.h"

#include <stdlib.h>
#include <string.h>

const char *programme_strerror(programme_err e)
{
    switch (e) {
    case PROGRAMME_OK:
        return "ok";
    case PROGRAMME_ERR_INVALID:
        return "invalid argument";
    case PROGRAMME_ERR_KIND:
        return "unknown kind";
    case PROGRAMME_ERR_TITLE:
        return "title is empty, too long or malformed";
    case PROGRAMME_ERR_START:
        return "start time out of range";
    case PROGRAMME_ERR_TZ:
        return "not an IANA time zone name";
    case PROGRAMME_ERR_DURATION:
        return "duration out of range";
    case PROGRAMME_ERR_USER:
        return "invalid user id";
    case PROGRAMME_ERR_TEMPLATE:
        return "invalid agenda template";
    case PROGRAMME_ERR_TEMPLATE_TOO_LONG:
        return "agenda template is longer than the session";
    case PROGRAMME_ERR_TEXT:
        return "text is empty, too long or malformed";
    case PROGRAMME_ERR_NO_SUCH_SESSION:
        return "no such session";
    case PROGRAMME_ERR_NO_SUCH_NOTE:
        return "no such note";
    case PROGRAMME_ERR_NOT_COMMITMENT:
        return "not a commitment";
    case PROGRAMME_ERR_FULL:
        return "programme limits reached";
    case PROGRAMME_ERR_NOMEM:
        return "out of memory";
    case PROGRAMME_ERR_BREAKOUT:
        return "breakout settings out of range";
    }
    return "unknown error";
}

static const char *const kind_names[PROGRAMME_KIND_COUNT] = {"peer-learning",
                                                             "workshop"};

const char *programme_kind_name(programme_kind k)
{
    return (unsigned)k < PROGRAMME_KIND_COUNT ? kind_names[k] : "unknown";
}

programme_err programme_kind_parse(const char *s, size_t len,
                                   programme_kind *out)
{
    if (!s || !out)
        return PROGRAMME_ERR_INVALID;
    int k = rooms__key_index(kind_names, PROGRAMME_KIND_COUNT, s, len);
    if (k < 0)
        return PROGRAMME_ERR_KIND;
    *out = (programme_kind)k;
    return PROGRAMME_OK;
}

/* ---- helpers ------------------------------------------------------------ */

static bool user_ok(const char *u)
{
    return rooms__text_ok(u, 1, PROGRAMME_USER_MAX, false);
}

static struct programme_session *find_session(const struct programme *p,
                                              uint32_t id)
{
    for (size_t i = 0; i < p->n_sessions; i++)
        if (p->sessions[i].id == id)
            return &p->sessions[i];
    return NULL;
}

static struct programme_note *find_note(const struct programme *p, uint32_t id)
{
    for (size_t i = 0; i < p->n_notes; i++)
        if (p->notes[i].id == id)
            return &p->notes[i];
    return NULL;
}

static int cmp_user(const void *x, const void *y)
{
    return strcmp(((const struct programme_user *)x)->id,
                  ((const struct programme_user *)y)->id);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* ---- sessions ----------------------------------------------------------- */

void programme_init(struct programme *p)
{
    memset(p, 0, sizeof *p);
    p->next_session_id = 1;
    p->next_note_id = 1;
}

void programme_free(struct programme *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n_sessions; i++)
        free(p->sessions[i].attendees);
    for (size_t i = 0; i < p->n_notes; i++)
        free(p->notes[i].text);
    free(p->sessions);
    free(p->notes);
    programme_init(p);
}

programme_err programme_check(const struct programme_session_spec *spec)
{
    if (!spec)
        return PROGRAMME_ERR_INVALID;
    if ((unsigned)spec->kind >= PROGRAMME_KIND_COUNT)
        return PROGRAMME_ERR_KIND;
    if (!rooms__text_ok(spec->title, 1, PROGRAMME_TITLE_MAX, false))
        return PROGRAMME_ERR_TITLE;
    if (spec->start_ms < PROGRAMME_START_MIN_MS ||
        spec->start_ms >= PROGRAMME_START_MAX_MS)
        return PROGRAMME_ERR_START;
    if (!tz_name_valid(spec->tz))
        return PROGRAMME_ERR_TZ;
    if (spec->duration_ms < PROGRAMME_DURATION_MIN_MS ||
        spec->duration_ms > PROGRAMME_DURATION_MAX_MS)
        return PROGRAMME_ERR_DURATION;
    if (!user_ok(spec->host))
        return PROGRAMME_ERR_USER;
    if (spec->n_items > PROGRAMME_TEMPLATE_MAX ||
        (spec->n_items && !spec->items))
        return PROGRAMME_ERR_TEMPLATE;
    int64_t sum = 0;
    for (size_t i = 0; i < spec->n_items; i++) {
        const struct programme_breakout *b = &spec->breakouts[i];
        if (agenda_spec_check(&spec->items[i]) != AGENDA_OK)
            return PROGRAMME_ERR_TEMPLATE;
        if (agenda_breakout_check(b->mode, b->size) != AGENDA_OK)
            return PROGRAMME_ERR_BREAKOUT;
        sum += spec->items[i].timebox_ms;
    }
    if (sum > spec->duration_ms)
        return PROGRAMME_ERR_TEMPLATE_TOO_LONG;
    return PROGRAMME_OK;
}

/* Copies a checked spec into s; id and attendance are left alone. */
static void apply_spec(struct programme_session *s,
                       const struct programme_session_spec *spec)
{
    s->kind = spec->kind;
    s->start_ms = spec->start_ms;
    s->duration_ms = spec->duration_ms;
    rooms__set_text(s->title, sizeof s->title, spec->title);
    rooms__set_text(s->tz, sizeof s->tz, spec->tz);
    rooms__set_text(s->host, sizeof s->host, spec->host);
    memset(s->items, 0, sizeof s->items);
    s->n_items = spec->n_items;
    for (size_t i = 0; i < spec->n_items; i++) {
        struct programme_item *it = &s->items[i];
        it->kind = spec->items[i].kind;
        it->timebox_ms = spec->items[i].timebox_ms;
        rooms__set_text(it->title, sizeof it->title, spec->items[i].title);
        rooms__set_text(it->lead, sizeof it->lead, spec->items[i].lead);
        it->breakout = spec->breakouts[i];
    }
}

programme_err programme_add(struct programme *p,
                            const struct programme_session_spec *spec,
                            uint32_t *id_out)
{
    programme_err e = programme_check(spec);
    if (e != PROGRAMME_OK)
        return e;
    rooms__err r =
        rooms__reserve(&p->sessions, sizeof *p->sessions, p->n_sessions,
                       &p->cap_sessions, PROGRAMME_SESSIONS_MAX, 8);
    if (r != ROOMS__OK)
        return r == ROOMS__FULL ? PROGRAMME_ERR_FULL : PROGRAMME_ERR_NOMEM;
    struct programme_session *s = &p->sessions[p->n_sessions++];
    memset(s, 0, sizeof *s);
    s->id = p->next_session_id++;
    apply_spec(s, spec);
    if (id_out)
        *id_out = s->id;
    return PROGRAMME_OK;
}

programme_err programme_edit(struct programme *p, uint32_t id,
                             const struct programme_session_spec *spec)
{
    struct programme_session *s = find_session(p, id);
    if (!s)
        return PROGRAMME_ERR_NO_SUCH_SESSION;
    programme_err e = programme_check(spec);
    if (e != PROGRAMME_OK)
        return e;
    apply_spec(s, spec);
    return PROGRAMME_OK;
}

programme_err programme_remove(struct programme *p, uint32_t id)
{
    struct programme_session *s = find_session(p, id);
    if (!s)
        return PROGRAMME_ERR_NO_SUCH_SESSION;
    free(s->attendees);
    size_t i = (size_t)(s - p->sessions);
    memmove(s, s + 1, (p->n_sessions - i - 1) * sizeof *s);
    p->n_sessions--;
    size_t kept = 0;
    for (size_t n = 0; n < p->n_notes; n++) {
        if (p->notes[n].session_id == id)
            free(p->notes[n].text);
        else
            p->notes[kept++] = p->notes[n];
    }
    p->n_notes = kept;
    return PROGRAMME_OK;
}

const struct programme_session *programme_find(const struct programme *p,
                                               uint32_t id)
{
    return find_session(p, id);
}

/* By start, then id: a strict total order. */
static int by_start(const void *x, const void *y)
{
    const struct programme_session *a = x, *b = y;
    if (a->start_ms != b->start_ms)
        return a->start_ms < b->start_ms ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static int by_start_ptr(const void *x, const void *y)
{
    return by_start(*(const struct programme_session *const *)x,
                    *(const struct programme_session *const *)y);
}

size_t programme_sorted(const struct programme *p,
                        const struct programme_session **out, size_t max)
{
    if (!out || max == 0)
        return p->n_sessions;
    if (max >= p->n_sessions) {
        for (size_t i = 0; i < p->n_sessions; i++)
            out[i] = &p->sessions[i];
        qsort(out, p->n_sessions, sizeof *out, by_start_ptr);
        return p->n_sessions;
    }
    const struct programme_session *prev = NULL; /* the first max */
    for (size_t j = 0; j < max; j++)
        out[j] = prev =
            rooms__next_ranked(p->sessions, p->n_sessions, sizeof *p->sessions,
                               prev, by_start, NULL, NULL);
    return p->n_sessions;
}

programme_err programme_to_agenda(const struct programme_session *s,
                                  bool auto_advance, int64_t now_ms,
                                  struct agenda *a)
{
    if (!s || !a)
        return PROGRAMME_ERR_INVALID;
    agenda_init(a, auto_advance);
    for (size_t i = 0; i < s->n_items; i++) {
        const struct programme_item *it = &s->items[i];
        struct agenda_item_spec spec = {.title = it->title,
                                        .lead = it->lead,
                                        .kind = it->kind,
                                        .timebox_ms = it->timebox_ms};
        uint32_t id;
        if (agenda_add(a, &spec, 0, now_ms, &id) != AGENDA_OK ||
            agenda_set_breakout(a, id, it->breakout.mode, it->breakout.size) !=
                AGENDA_OK)
            return PROGRAMME_ERR_TEMPLATE;
    }
    return PROGRAMME_OK;
}

/* ---- attendance ---------------------------------------------------------- */

programme_err programme_set_attendance(struct programme *p, uint32_t id,
                                       const char *const *users, size_t n)
{
    struct programme_session *s = find_session(p, id);
    if (!s)
        return PROGRAMME_ERR_NO_SUCH_SESSION;
    if (n && !users)
        return PROGRAMME_ERR_INVALID;
    if (n > PROGRAMME_ATTENDANCE_MAX)
        return PROGRAMME_ERR_FULL;
    for (size_t i = 0; i < n; i++)
        if (!user_ok(users[i]))
            return PROGRAMME_ERR_USER;
    struct programme_user *list = NULL;
    if (n) {
        list = calloc(n, sizeof *list);
        if (!list)
            return PROGRAMME_ERR_NOMEM;
    }
    for (size_t i = 0; i < n; i++)
        rooms__set_text(list[i].id, sizeof list[i].id, users[i]);
    if (n)
        qsort(list, n, sizeof *list, cmp_user);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || strcmp(list[k - 1].id, list[i].id) != 0)
            list[k++] = list[i];
    free(s->attendees);
    s->attendees = list;
    s->n_attendees = k;
    return PROGRAMME_OK;
}

programme_err programme_attend(struct programme *p, uint32_t id,
                               const char *user, const char *name,
                               bool *changed)
{
    if (changed)
        *changed = false;
    struct programme_session *s = find_session(p, id);
    if (!s)
        return PROGRAMME_ERR_NO_SUCH_SESSION;
    if (!name)
        name = "";
    if (!user_ok(user) || !rooms__text_ok(name, 0, PROGRAMME_NAME_MAX, false))
        return PROGRAMME_ERR_USER;
    size_t lo = 0, hi = s->n_attendees; /* the first id >= user */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->attendees[mid].id, user) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < s->n_attendees && strcmp(s->attendees[lo].id, user) == 0) {
        struct programme_user *u = &s->attendees[lo];
        if (name[0] == '\0' || strcmp(u->name, name) == 0)
            return PROGRAMME_OK;
        rooms__set_text(u->name, sizeof u->name, name);
        if (changed)
            *changed = true;
        return PROGRAMME_OK;
    }
    if (s->n_attendees >= PROGRAMME_ATTENDANCE_MAX)
        return PROGRAMME_ERR_FULL;
    struct programme_user *list =
        realloc(s->attendees, (s->n_attendees + 1) * sizeof *list);
    if (!list)
        return PROGRAMME_ERR_NOMEM;
    memmove(&list[lo + 1], &list[lo], (s->n_attendees - lo) * sizeof *list);
    memset(&list[lo], 0, sizeof *list);
    rooms__set_text(list[lo].id, sizeof list[lo].id, user);
    rooms__set_text(list[lo].name, sizeof list[lo].name, name);
    s->attendees = list;
    s->n_attendees++;
    if (changed)
        *changed = true;
    return PROGRAMME_OK;
}

/* ---- notes ----------------------------------------------------------------
 */

programme_err programme_note_add(struct programme *p,
                                 const struct programme_note_spec *spec,
                                 int64_t now_ms, uint32_t *id_out)
{
    if (!spec)
        return PROGRAMME_ERR_INVALID;
    if (!find_session(p, spec->session_id))
        return PROGRAMME_ERR_NO_SUCH_SESSION;
    if ((unsigned)spec->kind >= PROGRAMME_NOTE_KIND_COUNT)
        return PROGRAMME_ERR_KIND;
    if (!rooms__text_ok(spec->item_title, 0, AGENDA_TITLE_MAX, false))
        return PROGRAMME_ERR_TITLE;
    if (!user_ok(spec->author) ||
        !rooms__text_ok(spec->owner, 0, PROGRAMME_USER_MAX, false))
        return PROGRAMME_ERR_USER;
    if (!rooms__text_ok(spec->text, 1, PROGRAMME_NOTE_MAX, true))
        return PROGRAMME_ERR_TEXT;
    if (p->n_notes >= PROGRAMME_NOTES_MAX)
        return PROGRAMME_ERR_FULL;
    char *text = strdup(spec->text);
    if (!text)
        return PROGRAMME_ERR_NOMEM;
    if (rooms__reserve(&p->notes, sizeof *p->notes, p->n_notes, &p->cap_notes,
                       PROGRAMME_NOTES_MAX, 8) != ROOMS__OK) {
        free(text);
        return PROGRAMME_ERR_NOMEM;
    }
    struct programme_note *note = &p->notes[p->n_notes++];
    memset(note, 0, sizeof *note);
    note->id = p->next_note_id++;
    note->session_id = spec->session_id;
    note->item_id = spec->item_id;
    note->kind = spec->kind;
    note->created_ms = now_ms;
    rooms__set_text(note->item_title, sizeof note->item_title,
                    spec->item_title);
    rooms__set_text(note->author, sizeof note->author, spec->author);
    rooms__set_text(note->owner, sizeof note->owner, spec->owner);
    note->text = text;
    if (id_out)
        *id_out = note->id;
    return PROGRAMME_OK;
}

programme_err programme_note_remove(struct programme *p, uint32_t id)
{
    struct programme_note *n = find_note(p, id);
    if (!n)
        return PROGRAMME_ERR_NO_SUCH_NOTE;
    free(n->text);
    size_t i = (size_t)(n - p->notes);
    memmove(n, n + 1, (p->n_notes - i - 1) * sizeof *n);
    p->n_notes--;
    return PROGRAMME_OK;
}

programme_err programme_commitment_done(struct programme *p, uint32_t id,
                                        bool done)
{
    struct programme_note *n = find_note(p, id);
    if (!n)
        return PROGRAMME_ERR_NO_SUCH_NOTE;
    if (n->kind != PROGRAMME_COMMITMENT)
        return PROGRAMME_ERR_NOT_COMMITMENT;
    n->done = done;
    return PROGRAMME_OK;
}

size_t programme_notes_of(const struct programme *p, uint32_t session_id,
                          const struct programme_note **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < p->n_notes; i++) {
        if (p->notes[i].session_id != session_id)
            continue;
        if (out && k < max)
            out[k] = &p->notes[i];
        k++;
    }
    return k;
}

/* ---- carry-over ------------------------------------------------------------
 */

/* People in both sorted unique lists. */
static size_t overlap(const char *const *a, size_t na,
                      const struct programme_user *b, size_t nb)
{
    size_t i = 0, j = 0, both = 0;
    while (i < na && j < nb) {
        int c = strcmp(a[i], b[j].id);
        both += c == 0;
        i += c <= 0;
        j += c >= 0;
    }
    return both;
}

/* The latest session before `target` sharing >= need people with who. */
static const struct programme_session *
previous_with(const struct programme *p, const struct programme_session *t,
              const char *const *who, size_t n_who, size_t need)
{
    const struct programme_session *best = NULL;
    for (size_t i = 0; i < p->n_sessions; i++) {
        const struct programme_session *c = &p->sessions[i];
        if (c->start_ms >= t->start_ms ||
            overlap(who, n_who, c->attendees, c->n_attendees) < need)
            continue;
        if (!best || c->start_ms > best->start_ms ||
            (c->start_ms == best->start_ms && c->id > best->id))
            best = c;
    }
    return best;
}

programme_err programme_carry_over(const struct programme *p, uint32_t id,
                                   const char *const *attendees,
                                   size_t n_attendees, size_t min_overlap,
                                   uint32_t *prev_id,
                                   const struct programme_note **out,
                                   size_t max, size_t *n_notes)
{
    programme_err err = PROGRAMME_OK;
    const char **who = NULL;
    size_t n_who = 0;
    *prev_id = 0;
    *n_notes = 0;
    const struct programme_session *t = find_session(p, id);
    if (!t)
        return PROGRAMME_ERR_NO_SUCH_SESSION;
    if (!attendees) /* the recorded attendance */
        n_attendees = t->n_attendees;
    else if (n_attendees > PROGRAMME_ATTENDANCE_MAX)
        return PROGRAMME_ERR_FULL;
    if (n_attendees) {
        who = malloc(n_attendees * sizeof *who);
        if (!who)
            return PROGRAMME_ERR_NOMEM;
    }
    for (size_t i = 0; i < n_attendees; i++) {
        who[i] = attendees ? attendees[i] : t->attendees[i].id;
        if (!user_ok(who[i])) {
            err = PROGRAMME_ERR_USER;
            goto done;
        }
    }
    if (n_attendees)
        qsort(who, n_attendees, sizeof *who, cmp_str);
    for (size_t i = 0; i < n_attendees; i++)
        if (n_who == 0 || strcmp(who[n_who - 1], who[i]) != 0)
            who[n_who++] = who[i];
    const struct programme_session *prev =
        previous_with(p, t, who, n_who, min_overlap ? min_overlap : 1);
    if (prev) {
        *prev_id = prev->id;
        *n_notes = programme_notes_of(p, prev->id, out, max);
    }
done:
    free(who);
    return err;
}
