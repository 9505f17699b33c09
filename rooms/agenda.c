/* agenda.c: the live agenda state machine of one session (rooms/agenda.h).
 * Owns item order, item states and the current item's timer, all computed
 * from the now_ms the caller passes. Called by the app layer for agenda
 * messages and its timer tick, and when a session is rebuilt from its log
 * or from a snapshot (agenda_save / agenda_load). */
#include "rooms/agenda.h"

#include "rooms/rooms_int.h"

#include <string.h>

static const char *const kind_names[AGENDA_KIND_COUNT] = {
    "plenary", "breakout", "talk", "qa", "feedback"};

static const char *const err_text[] = {
    [AGENDA_OK] = "ok",
    [AGENDA_ERR_INVALID] = "invalid argument",
    [AGENDA_ERR_TITLE] = "title is empty, too long or malformed",
    [AGENDA_ERR_LEAD] = "lead is not a valid user id",
    [AGENDA_ERR_KIND] = "unknown item kind",
    [AGENDA_ERR_TIMEBOX] = "timebox out of range",
    [AGENDA_ERR_FULL] = "agenda is full",
    [AGENDA_ERR_NO_SUCH_ITEM] = "no such agenda item",
    [AGENDA_ERR_NOT_STARTED] = "no agenda item is current",
    [AGENDA_ERR_ALREADY_STARTED] = "an agenda item is already current",
    [AGENDA_ERR_NOT_RUNNING] = "the current item is not running",
    [AGENDA_ERR_NOT_PAUSED] = "the current item is not paused",
    [AGENDA_ERR_NO_PENDING] = "no pending item left",
    [AGENDA_ERR_NO_PREVIOUS] = "no previous item",
    [AGENDA_ERR_BAD_STATE] = "the item's state does not allow this",
    [AGENDA_ERR_BAD_ORDER] = "the order must list every item once",
    [AGENDA_ERR_SNAPSHOT] = "malformed agenda snapshot",
    [AGENDA_ERR_NOSPACE] = "buffer too small",
    [AGENDA_ERR_BREAKOUT] = "breakout mode or group size out of range",
};

const char *agenda_strerror(agenda_err e)
{
    if ((unsigned)e >= sizeof err_text / sizeof err_text[0])
        return "unknown error";
    return err_text[e];
}

const char *agenda_kind_name(agenda_item_kind k)
{
    if ((unsigned)k >= AGENDA_KIND_COUNT)
        return "unknown";
    return kind_names[k];
}

agenda_err agenda_kind_parse(const char *s, size_t len, agenda_item_kind *out)
{
    if (!s || !out)
        return AGENDA_ERR_INVALID;
    int k = rooms__key_index(kind_names, AGENDA_KIND_COUNT, s, len);
    if (k < 0)
        return AGENDA_ERR_KIND;
    *out = (agenda_item_kind)k;
    return AGENDA_OK;
}

const char *agenda_state_name(agenda_item_state s)
{
    static const char *const names[AGENDA_ITEM_STATE_COUNT] = {
        "pending", "running", "paused", "done", "skipped"};
    if ((unsigned)s >= AGENDA_ITEM_STATE_COUNT)
        return "unknown";
    return names[s];
}

/* ---- small helpers ---------------------------------------------------- */

/* A short text: at most max bytes, no control characters. */
static bool text_ok(const char *s, size_t len, size_t max)
{
    return len <= max && rooms__chars_ok(s, len, false);
}

static size_t bounded_len(const char *s, size_t max)
{
    return s ? strnlen(s, max + 1) : 0;
}

static int64_t max64(int64_t x, int64_t y)
{
    return x > y ? x : y;
}

static int index_of(const struct agenda *a, uint32_t id)
{
    for (uint32_t i = 0; id && i < a->count; i++)
        if (a->items[i].id == id)
            return (int)i;
    return -1;
}

static int current_index(const struct agenda *a)
{
    return index_of(a, a->current_id);
}

static int64_t total_of(const struct agenda_item *it)
{
    return it->timebox_ms + it->extended_ms;
}

static int64_t elapsed_at(const struct agenda_item *it, int64_t now)
{
    int64_t e = it->elapsed_ms;
    if (it->state == AGENDA_ITEM_RUNNING && now > it->run_since_ms)
        e += now - it->run_since_ms;
    return e;
}

/* Adopts now as the latest time seen; an earlier time counts as the
 * latest. */
static int64_t clamp_now(struct agenda *a, int64_t now)
{
    if (now < a->last_ms)
        now = a->last_ms;
    a->last_ms = now;
    return now;
}

static void emit(struct agenda_event *out, size_t max, size_t *n,
                 agenda_event_kind kind, uint32_t id, int64_t at)
{
    if (out && *n < max) {
        out[*n].kind = kind;
        out[*n].item_id = id;
        out[*n].at_ms = at;
    }
    (*n)++;
}

/* ---- item transitions ------------------------------------------------- */

static void run_item(struct agenda *a, struct agenda_item *it, int64_t at)
{
    it->state = AGENDA_ITEM_RUNNING;
    it->run_since_ms = at;
    if (it->first_started_ms == AGENDA_NEVER)
        it->first_started_ms = at;
    a->current_id = it->id;
}

/* Folds the running segment into elapsed_ms and sets the new state. */
static void stop_item(struct agenda_item *it, int64_t at, agenda_item_state to)
{
    if (it->state == AGENDA_ITEM_RUNNING)
        it->elapsed_ms += max64(0, at - it->run_since_ms);
    it->run_since_ms = 0;
    it->state = to;
}

static void reset_item(struct agenda_item *it)
{
    it->state = AGENDA_ITEM_PENDING;
    it->elapsed_ms = 0;
    it->extended_ms = 0;
    it->run_since_ms = 0;
    it->first_started_ms = AGENDA_NEVER;
    it->warned = false;
    it->ended = false;
    it->round = 0; /* a fresh run waits for a round of its own */
}

/* The next pending item after position from (-1: from the top), else the
 * first pending item before it; -1 when none is pending. */
static int next_pending(const struct agenda *a, int from)
{
    for (int i = from + 1; i < (int)a->count; i++)
        if (a->items[i].state == AGENDA_ITEM_PENDING)
            return i;
    for (int i = 0; i < from && i < (int)a->count; i++)
        if (a->items[i].state == AGENDA_ITEM_PENDING)
            return i;
    return -1;
}

/* Ends the current item (at position cur) with state `to` and runs the
 * next pending one at `at`. Returns its index or -1 (nothing current). */
static int advance(struct agenda *a, int cur, int64_t at, agenda_item_state to)
{
    stop_item(&a->items[cur], at, to);
    a->current_id = 0;
    int nx = next_pending(a, cur);
    if (nx >= 0)
        run_item(a, &a->items[nx], at);
    return nx;
}

/* After a timebox change: keep elapsed, restart the run segment at now, and
 * re-arm the warning and the end if time is left again. */
static void retime(struct agenda_item *it, int64_t now)
{
    if (it->state == AGENDA_ITEM_RUNNING) {
        it->elapsed_ms += max64(0, now - it->run_since_ms);
        it->run_since_ms = now;
    }
    int64_t left = total_of(it) - it->elapsed_ms;
    if (left > AGENDA_WARNING_MS)
        it->warned = false;
    if (left > 0)
        it->ended = false;
}

/* Applies warnings, ends and auto-advances due by now (see agenda_tick). */
static size_t settle(struct agenda *a, int64_t now, struct agenda_event *out,
                     size_t max)
{
    size_t n = 0;
    for (;;) {
        int cur = current_index(a);
        if (cur < 0 || a->items[cur].state != AGENDA_ITEM_RUNNING)
            return n;
        struct agenda_item *it = &a->items[cur];
        int64_t total = total_of(it);
        int64_t end_at = it->run_since_ms + max64(0, total - it->elapsed_ms);
        if (!it->warned && total > AGENDA_WARNING_MS &&
            now >= end_at - AGENDA_WARNING_MS) {
            it->warned = true;
            if (now < end_at)
                emit(out, max, &n, AGENDA_EV_WARNING, it->id,
                     max64(end_at - AGENDA_WARNING_MS, it->run_since_ms));
        }
        if (it->ended || now < end_at)
            return n;
        it->ended = true;
        it->warned = true;
        emit(out, max, &n, AGENDA_EV_ENDED, it->id, end_at);
        if (!a->auto_advance)
            return n;
        uint32_t ended_id = it->id;
        int nx = advance(a, cur, end_at, AGENDA_ITEM_DONE);
        if (nx < 0) {
            emit(out, max, &n, AGENDA_EV_FINISHED, ended_id, end_at);
            return n;
        }
        emit(out, max, &n, AGENDA_EV_ADVANCED, a->items[nx].id, end_at);
    }
}

/* Every mutating call starts here: clamp the time and catch up. */
static int64_t enter(struct agenda *a, int64_t now)
{
    now = clamp_now(a, now);
    settle(a, now, NULL, 0);
    return now;
}

/* ---- editing ---------------------------------------------------------- */

void agenda_init(struct agenda *a, bool auto_advance)
{
    memset(a, 0, sizeof *a);
    a->next_id = 1;
    a->auto_advance = auto_advance;
    a->last_ms = INT64_MIN;
}

agenda_err agenda_spec_check(const struct agenda_item_spec *spec)
{
    if (!spec)
        return AGENDA_ERR_INVALID;
    size_t tl = bounded_len(spec->title, AGENDA_TITLE_MAX);
    if (tl == 0 || !text_ok(spec->title, tl, AGENDA_TITLE_MAX))
        return AGENDA_ERR_TITLE;
    size_t ll = bounded_len(spec->lead, AGENDA_USER_MAX);
    if (ll && !text_ok(spec->lead, ll, AGENDA_USER_MAX))
        return AGENDA_ERR_LEAD;
    if ((unsigned)spec->kind >= AGENDA_KIND_COUNT)
        return AGENDA_ERR_KIND;
    if (spec->timebox_ms < AGENDA_TIMEBOX_MIN_MS ||
        spec->timebox_ms > AGENDA_TIMEBOX_MAX_MS)
        return AGENDA_ERR_TIMEBOX;
    return AGENDA_OK;
}

static void apply_spec(struct agenda_item *it, const struct agenda_item_spec *s)
{
    rooms__set_bytes(it->title, sizeof it->title, s->title,
                     bounded_len(s->title, AGENDA_TITLE_MAX));
    rooms__set_bytes(it->lead, sizeof it->lead, s->lead,
                     bounded_len(s->lead, AGENDA_USER_MAX));
    it->kind = s->kind;
    it->timebox_ms = s->timebox_ms;
}

agenda_err agenda_add(struct agenda *a, const struct agenda_item_spec *spec,
                      uint32_t before_id, int64_t now_ms, uint32_t *id_out)
{
    agenda_err e = agenda_spec_check(spec);
    if (e != AGENDA_OK)
        return e;
    if (a->count >= AGENDA_MAX_ITEMS)
        return AGENDA_ERR_FULL;
    int pos = before_id ? index_of(a, before_id) : (int)a->count;
    if (pos < 0)
        return AGENDA_ERR_NO_SUCH_ITEM;
    enter(a, now_ms);
    memmove(&a->items[pos + 1], &a->items[pos],
            (a->count - (uint32_t)pos) * sizeof a->items[0]);
    struct agenda_item *it = &a->items[pos];
    memset(it, 0, sizeof *it);
    reset_item(it);
    it->id = a->next_id++;
    apply_spec(it, spec);
    a->count++;
    if (id_out)
        *id_out = it->id;
    return AGENDA_OK;
}

agenda_err agenda_edit(struct agenda *a, uint32_t id,
                       const struct agenda_item_spec *spec, int64_t now_ms)
{
    agenda_err e = agenda_spec_check(spec);
    if (e != AGENDA_OK)
        return e;
    int i = index_of(a, id);
    if (i < 0)
        return AGENDA_ERR_NO_SUCH_ITEM;
    struct agenda_item *it = &a->items[i];
    if (it->extended_ms + spec->timebox_ms > AGENDA_TOTAL_MAX_MS)
        return AGENDA_ERR_TIMEBOX;
    int64_t now = enter(a, now_ms);
    bool retimed = spec->timebox_ms != it->timebox_ms;
    apply_spec(it, spec);
    if (retimed)
        retime(it, now);
    return AGENDA_OK;
}

agenda_err agenda_remove(struct agenda *a, uint32_t id, int64_t now_ms)
{
    if (index_of(a, id) < 0)
        return AGENDA_ERR_NO_SUCH_ITEM;
    int64_t now = enter(a, now_ms);
    int i = index_of(a, id);
    if (a->current_id == id)
        advance(a, i, now, AGENDA_ITEM_DONE);
    memmove(&a->items[i], &a->items[i + 1],
            (a->count - (uint32_t)i - 1) * sizeof a->items[0]);
    a->count--;
    memset(&a->items[a->count], 0, sizeof a->items[0]);
    return AGENDA_OK;
}

agenda_err agenda_move(struct agenda *a, uint32_t id, uint32_t to_index,
                       int64_t now_ms)
{
    int from = index_of(a, id);
    if (from < 0)
        return AGENDA_ERR_NO_SUCH_ITEM;
    if (to_index >= a->count)
        return AGENDA_ERR_INVALID;
    enter(a, now_ms);
    struct agenda_item tmp = a->items[from];
    int to = (int)to_index;
    if (to < from)
        memmove(&a->items[to + 1], &a->items[to],
                (size_t)(from - to) * sizeof tmp);
    else if (to > from)
        memmove(&a->items[from], &a->items[from + 1],
                (size_t)(to - from) * sizeof tmp);
    a->items[to] = tmp;
    return AGENDA_OK;
}

agenda_err agenda_reorder(struct agenda *a, const uint32_t *ids, size_t n,
                          int64_t now_ms)
{
    if (n != a->count || (n && !ids))
        return AGENDA_ERR_BAD_ORDER;
    for (size_t i = 0; i < n; i++) {
        if (index_of(a, ids[i]) < 0)
            return AGENDA_ERR_BAD_ORDER;
        for (size_t j = 0; j < i; j++)
            if (ids[j] == ids[i])
                return AGENDA_ERR_BAD_ORDER;
    }
    enter(a, now_ms);
    for (size_t i = 0; i < n; i++) {
        int j = index_of(a, ids[i]);
        if ((size_t)j != i) {
            struct agenda_item tmp = a->items[i];
            a->items[i] = a->items[j];
            a->items[j] = tmp;
        }
    }
    return AGENDA_OK;
}

void agenda_set_auto_advance(struct agenda *a, bool on, int64_t now_ms)
{
    enter(a, now_ms);
    a->auto_advance = on;
}

/* ---- running ---------------------------------------------------------- */

agenda_err agenda_start(struct agenda *a, int64_t now_ms)
{
    int64_t now = enter(a, now_ms);
    if (a->current_id)
        return AGENDA_ERR_ALREADY_STARTED;
    int nx = next_pending(a, -1);
    if (nx < 0)
        return AGENDA_ERR_NO_PENDING;
    run_item(a, &a->items[nx], now);
    return AGENDA_OK;
}

agenda_err agenda_jump(struct agenda *a, uint32_t id, int64_t now_ms)
{
    if (index_of(a, id) < 0)
        return AGENDA_ERR_NO_SUCH_ITEM;
    int64_t now = enter(a, now_ms);
    if (a->current_id == id)
        return AGENDA_ERR_BAD_STATE;
    int cur = current_index(a);
    if (cur >= 0)
        stop_item(&a->items[cur], now, AGENDA_ITEM_DONE);
    run_item(a, &a->items[index_of(a, id)], now);
    return AGENDA_OK;
}

agenda_err agenda_pause(struct agenda *a, int64_t now_ms)
{
    int64_t now = enter(a, now_ms);
    int cur = current_index(a);
    if (cur < 0)
        return AGENDA_ERR_NOT_STARTED;
    if (a->items[cur].state != AGENDA_ITEM_RUNNING)
        return AGENDA_ERR_NOT_RUNNING;
    stop_item(&a->items[cur], now, AGENDA_ITEM_PAUSED);
    return AGENDA_OK;
}

agenda_err agenda_resume(struct agenda *a, int64_t now_ms)
{
    int64_t now = enter(a, now_ms);
    int cur = current_index(a);
    if (cur < 0)
        return AGENDA_ERR_NOT_STARTED;
    if (a->items[cur].state != AGENDA_ITEM_PAUSED)
        return AGENDA_ERR_NOT_PAUSED;
    run_item(a, &a->items[cur], now);
    return AGENDA_OK;
}

agenda_err agenda_extend(struct agenda *a, int64_t delta_ms, int64_t now_ms)
{
    if (delta_ms < 1000 || delta_ms > AGENDA_EXTEND_MAX_MS)
        return AGENDA_ERR_TIMEBOX;
    int64_t now = enter(a, now_ms);
    int cur = current_index(a);
    if (cur < 0)
        return AGENDA_ERR_NOT_STARTED;
    struct agenda_item *it = &a->items[cur];
    if (total_of(it) + delta_ms > AGENDA_TOTAL_MAX_MS)
        return AGENDA_ERR_TIMEBOX;
    it->extended_ms += delta_ms;
    retime(it, now);
    return AGENDA_OK;
}

agenda_err agenda_next(struct agenda *a, int64_t now_ms)
{
    int64_t now = enter(a, now_ms);
    int cur = current_index(a);
    if (cur < 0)
        return AGENDA_ERR_NOT_STARTED;
    advance(a, cur, now, AGENDA_ITEM_DONE);
    return AGENDA_OK;
}

agenda_err agenda_previous(struct agenda *a, int64_t now_ms)
{
    int64_t now = enter(a, now_ms);
    int cur = current_index(a);
    int target;
    if (cur >= 0) {
        target = cur - 1;
    } else {
        /* Finished (or stopped): the last item, unless it never ran. */
        target = (int)a->count - 1;
        if (target >= 0 && a->items[target].state == AGENDA_ITEM_PENDING)
            target = -1;
    }
    if (target < 0)
        return AGENDA_ERR_NO_PREVIOUS;
    if (cur >= 0) {
        reset_item(&a->items[cur]);
        a->current_id = 0;
    }
    run_item(a, &a->items[target], now);
    return AGENDA_OK;
}

agenda_err agenda_skip(struct agenda *a, uint32_t id, int64_t now_ms)
{
    if (index_of(a, id) < 0)
        return AGENDA_ERR_NO_SUCH_ITEM;
    int64_t now = enter(a, now_ms);
    int i = index_of(a, id);
    if (a->current_id == id) {
        advance(a, i, now, AGENDA_ITEM_SKIPPED);
        return AGENDA_OK;
    }
    if (a->items[i].state != AGENDA_ITEM_PENDING)
        return AGENDA_ERR_BAD_STATE;
    a->items[i].state = AGENDA_ITEM_SKIPPED;
    return AGENDA_OK;
}

agenda_err agenda_reset_item(struct agenda *a, uint32_t id, int64_t now_ms)
{
    if (index_of(a, id) < 0)
        return AGENDA_ERR_NO_SUCH_ITEM;
    enter(a, now_ms);
    if (a->current_id == id)
        return AGENDA_ERR_BAD_STATE;
    reset_item(&a->items[index_of(a, id)]);
    return AGENDA_OK;
}

size_t agenda_tick(struct agenda *a, int64_t now_ms, struct agenda_event *out,
                   size_t max)
{
    return settle(a, clamp_now(a, now_ms), out, max);
}

/* ---- queries ---------------------------------------------------------- */

const struct agenda_item *agenda_find(const struct agenda *a, uint32_t id)
{
    int i = index_of(a, id);
    return i < 0 ? NULL : &a->items[i];
}

const struct agenda_item *agenda_at(const struct agenda *a, uint32_t i)
{
    return i < a->count ? &a->items[i] : NULL;
}

const struct agenda_item *agenda_current(const struct agenda *a)
{
    return agenda_find(a, a->current_id);
}

int64_t agenda_time_left_ms(const struct agenda *a, int64_t now_ms)
{
    const struct agenda_item *it = agenda_current(a);
    if (!it)
        return 0;
    return total_of(it) - elapsed_at(it, max64(now_ms, a->last_ms));
}

void agenda_live_view(const struct agenda *a, int64_t now_ms,
                      struct agenda_live *out)
{
    memset(out, 0, sizeof *out);
    const struct agenda_item *it = agenda_current(a);
    if (!it) {
        bool pending = false, touched = false;
        for (uint32_t i = 0; i < a->count; i++) {
            pending |= a->items[i].state == AGENDA_ITEM_PENDING;
            touched |= a->items[i].state != AGENDA_ITEM_PENDING;
        }
        out->finished = touched && !pending;
        return;
    }
    int64_t now = max64(now_ms, a->last_ms);
    out->item_id = it->id;
    out->state = it->state;
    out->started_at_ms = it->first_started_ms;
    out->total_ms = total_of(it);
    out->elapsed_ms = elapsed_at(it, now);
    out->time_left_ms = out->total_ms - out->elapsed_ms;
    if (it->state == AGENDA_ITEM_RUNNING)
        out->ends_at_ms = now + out->time_left_ms;
}

static bool item_equal(const struct agenda_item *x, const struct agenda_item *y)
{
    return x->id == y->id && x->kind == y->kind && x->state == y->state &&
           x->warned == y->warned && x->ended == y->ended &&
           x->timebox_ms == y->timebox_ms && x->extended_ms == y->extended_ms &&
           x->elapsed_ms == y->elapsed_ms &&
           x->run_since_ms == y->run_since_ms &&
           x->first_started_ms == y->first_started_ms &&
           strcmp(x->title, y->title) == 0 && strcmp(x->lead, y->lead) == 0 &&
           x->breakout_mode == y->breakout_mode &&
           x->breakout_size == y->breakout_size && x->round == y->round;
}

bool agenda_equal(const struct agenda *a, const struct agenda *b)
{
    if (a->count != b->count || a->next_id != b->next_id ||
        a->current_id != b->current_id || a->auto_advance != b->auto_advance ||
        a->last_ms != b->last_ms)
        return false;
    for (uint32_t i = 0; i < a->count; i++)
        if (!item_equal(&a->items[i], &b->items[i]))
            return false;
    return true;
}

/* ---- snapshot ----------------------------------------------------------
 * Little-endian: "KAG" 1 | u32 count | u32 next_id | u32 current_id |
 * u8 auto_advance | i64 last_ms | count x item, where an item is
 * u32 id | u8 kind | u8 state | u8 flags (1 warned, 2 ended) |
 * i64 timebox | i64 extended | i64 elapsed | i64 run_since |
 * i64 first_started | u8 title length | title | u8 lead length | lead |
 * u8 breakout mode | u8 breakout size | i64 round. */

struct wbuf {
    unsigned char *p;
    size_t cap, len;
};

static void put_bytes(struct wbuf *w, const void *src, size_t n)
{
    if (w->len + n <= w->cap)
        memcpy(w->p + w->len, src, n);
    w->len += n;
}

static void put_u(struct wbuf *w, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    put_bytes(w, b, (size_t)bytes);
}

static void put_str(struct wbuf *w, const char *s)
{
    size_t n = strlen(s);
    put_u(w, n, 1);
    put_bytes(w, s, n);
}

agenda_err agenda_save(const struct agenda *a, unsigned char *buf, size_t cap,
                       size_t *len)
{
    struct wbuf w = {buf, buf ? cap : 0, 0};
    put_bytes(&w, "KAG\x01", 4);
    put_u(&w, a->count, 4);
    put_u(&w, a->next_id, 4);
    put_u(&w, a->current_id, 4);
    put_u(&w, a->auto_advance, 1);
    put_u(&w, (uint64_t)a->last_ms, 8);
    for (uint32_t i = 0; i < a->count; i++) {
        const struct agenda_item *it = &a->items[i];
        put_u(&w, it->id, 4);
        put_u(&w, (uint64_t)it->kind, 1);
        put_u(&w, (uint64_t)it->state, 1);
        put_u(&w, (it->warned ? 1u : 0u) | (it->ended ? 2u : 0u), 1);
        put_u(&w, (uint64_t)it->timebox_ms, 8);
        put_u(&w, (uint64_t)it->extended_ms, 8);
        put_u(&w, (uint64_t)it->elapsed_ms, 8);
        put_u(&w, (uint64_t)it->run_since_ms, 8);
        put_u(&w, (uint64_t)it->first_started_ms, 8);
        put_str(&w, it->title);
        put_str(&w, it->lead);
        put_u(&w, it->breakout_mode, 1);
        put_u(&w, it->breakout_size, 1);
        put_u(&w, (uint64_t)it->round, 8);
    }
    if (len)
        *len = w.len;
    return w.len <= w.cap ? AGENDA_OK : AGENDA_ERR_NOSPACE;
}

struct rbuf {
    const unsigned char *p;
    size_t len, pos;
    bool bad;
};

static uint64_t get_u(struct rbuf *r, int bytes)
{
    uint64_t v = 0;
    if (r->bad || r->len - r->pos < (size_t)bytes) {
        r->bad = true;
        return 0;
    }
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)r->p[r->pos + (size_t)i] << (8 * i);
    r->pos += (size_t)bytes;
    return v;
}

static void get_str(struct rbuf *r, char *dst, size_t cap, size_t max,
                    bool nonempty)
{
    size_t n = (size_t)get_u(r, 1);
    if (r->bad || n > max || r->len - r->pos < n || (nonempty && n == 0) ||
        !text_ok((const char *)r->p + r->pos, n, max)) {
        r->bad = true;
        return;
    }
    rooms__set_bytes(dst, cap, (const char *)r->p + r->pos, n);
    r->pos += n;
}

static bool time_ok(int64_t t)
{
    return t >= -AGENDA_TIME_ABS_MAX && t <= AGENDA_TIME_ABS_MAX;
}

/* Reads one item; returns false when it is malformed. */
static bool get_item(struct rbuf *r, struct agenda_item *it)
{
    memset(it, 0, sizeof *it);
    it->id = (uint32_t)get_u(r, 4);
    uint64_t kind = get_u(r, 1), state = get_u(r, 1), flags = get_u(r, 1);
    it->timebox_ms = (int64_t)get_u(r, 8);
    it->extended_ms = (int64_t)get_u(r, 8);
    it->elapsed_ms = (int64_t)get_u(r, 8);
    it->run_since_ms = (int64_t)get_u(r, 8);
    it->first_started_ms = (int64_t)get_u(r, 8);
    get_str(r, it->title, sizeof it->title, AGENDA_TITLE_MAX, true);
    get_str(r, it->lead, sizeof it->lead, AGENDA_USER_MAX, false);
    uint64_t bmode = get_u(r, 1), bsize = get_u(r, 1);
    it->round = (int64_t)get_u(r, 8);
    it->breakout_mode = (uint8_t)bmode;
    it->breakout_size = (uint8_t)bsize;
    if (bmode > AGENDA_BREAKOUT_MODES || it->round < 0 ||
        (bsize != 0 && (bsize < AGENDA_BREAKOUT_SIZE_MIN ||
                        bsize > AGENDA_BREAKOUT_SIZE_MAX)))
        return false;
    if (r->bad || kind >= AGENDA_KIND_COUNT ||
        state >= AGENDA_ITEM_STATE_COUNT || flags > 3 || it->id == 0)
        return false;
    it->kind = (agenda_item_kind)kind;
    it->state = (agenda_item_state)state;
    it->warned = flags & 1;
    it->ended = (flags & 2) != 0;
    return it->timebox_ms >= AGENDA_TIMEBOX_MIN_MS &&
           it->timebox_ms <= AGENDA_TIMEBOX_MAX_MS && it->extended_ms >= 0 &&
           it->extended_ms <= AGENDA_TOTAL_MAX_MS - it->timebox_ms &&
           it->elapsed_ms >= 0 && it->elapsed_ms <= AGENDA_TIME_ABS_MAX &&
           time_ok(it->run_since_ms) &&
           (it->first_started_ms == AGENDA_NEVER ||
            time_ok(it->first_started_ms));
}

/* Ids unique and below next_id; exactly the current item runs or pauses. */
static bool snapshot_consistent(const struct agenda *t)
{
    uint32_t active = 0;
    for (uint32_t i = 0; i < t->count; i++) {
        const struct agenda_item *it = &t->items[i];
        if (it->id >= t->next_id || index_of(t, it->id) != (int)i)
            return false;
        bool is_active =
            it->state == AGENDA_ITEM_RUNNING || it->state == AGENDA_ITEM_PAUSED;
        if (is_active != (it->id == t->current_id))
            return false;
        active += is_active;
    }
    return active == (t->current_id ? 1u : 0u);
}

agenda_err agenda_load(struct agenda *a, const unsigned char *buf, size_t len)
{
    struct agenda t;
    struct rbuf r = {buf, buf ? len : 0, 0, false};
    if (!buf || len < 4 || memcmp(buf, "KAG\x01", 4) != 0)
        return AGENDA_ERR_SNAPSHOT;
    r.pos = 4;
    agenda_init(&t, false);
    t.count = (uint32_t)get_u(&r, 4);
    t.next_id = (uint32_t)get_u(&r, 4);
    t.current_id = (uint32_t)get_u(&r, 4);
    uint64_t aa = get_u(&r, 1);
    t.last_ms = (int64_t)get_u(&r, 8);
    if (r.bad || t.count > AGENDA_MAX_ITEMS || aa > 1 || t.next_id == 0 ||
        (t.last_ms != INT64_MIN && !time_ok(t.last_ms)))
        return AGENDA_ERR_SNAPSHOT;
    t.auto_advance = aa == 1;
    for (uint32_t i = 0; i < t.count; i++)
        if (!get_item(&r, &t.items[i]))
            return AGENDA_ERR_SNAPSHOT;
    if (r.pos != len || !snapshot_consistent(&t))
        return AGENDA_ERR_SNAPSHOT;
    *a = t;
    return AGENDA_OK;
}
