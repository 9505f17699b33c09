/* pulse.c: pulse answers of one session, their aggregates and the CSV
 * export (rooms/pulse.h). Owns the answers and their comments. Called by
 * the app layer for pulse messages, coordinator result requests and
 * exports, and on replay. */
#include "rooms/pulse.h"

#include "rooms/rooms_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pulse_strerror(pulse_err e)
{
    switch (e) {
    case PULSE_OK:
        return "ok";
    case PULSE_ERR_ID:
        return "invalid session, scope or user id";
    case PULSE_ERR_USEFULNESS:
        return "usefulness must be 1 to 5";
    case PULSE_ERR_TEXT:
        return "comment too long or malformed";
    case PULSE_ERR_NOT_FOUND:
        return "no such pulse";
    case PULSE_ERR_FULL:
        return "too many pulses";
    case PULSE_ERR_NOMEM:
        return "out of memory";
    case PULSE_ERR_NOSPACE:
        return "buffer too small";
    }
    return "unknown error";
}

static bool id_ok(const char *s)
{
    return rooms__text_ok(s, 1, PULSE_ID_MAX, false);
}

static void set_id(char *dst, const char *src)
{
    rooms__set_text(dst, PULSE_ID_MAX + 1, src);
}

pulse_err pulse_init(struct pulse *p, const char *session_id)
{
    memset(p, 0, sizeof *p);
    p->next_seq = 1;
    if (!id_ok(session_id))
        return PULSE_ERR_ID;
    set_id(p->session, session_id);
    return PULSE_OK;
}

void pulse_free(struct pulse *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        free(p->entries[i].text);
    free(p->entries);
    p->entries = NULL;
    p->n = p->cap = 0;
}

/* FNV-1a over scope, a separator and user. */
static uint32_t key_of(const char *scope, const char *user)
{
    uint32_t h = 2166136261u;
    for (const char *s = scope; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    h = (h ^ 0xffu) * 16777619u;
    for (const char *s = user; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

static long find(const struct pulse *p, const char *scope, const char *user)
{
    uint32_t key = key_of(scope, user);
    for (size_t i = 0; i < p->n; i++)
        if (p->entries[i].key == key &&
            strcmp(p->entries[i].scope, scope) == 0 &&
            strcmp(p->entries[i].user, user) == 0)
            return (long)i;
    return -1;
}

static pulse_err reserve(struct pulse *p)
{
    rooms__err e = rooms__reserve(&p->entries, sizeof *p->entries, p->n,
                                  &p->cap, PULSE_ENTRIES_MAX, 16);
    return e == ROOMS__OK     ? PULSE_OK
           : e == ROOMS__FULL ? PULSE_ERR_FULL
                              : PULSE_ERR_NOMEM;
}

pulse_err pulse_submit(struct pulse *p, const char *scope, const char *user,
                       int usefulness, bool will_apply, const char *text,
                       int64_t now_ms, bool *replaced)
{
    char *copy = NULL;
    if (replaced)
        *replaced = false;
    if (!id_ok(scope) || !id_ok(user))
        return PULSE_ERR_ID;
    if (usefulness < 1 || usefulness > 5)
        return PULSE_ERR_USEFULNESS;
    if (text && !rooms__text_ok(text, 0, PULSE_TEXT_MAX, true))
        return PULSE_ERR_TEXT;
    if (text && *text) {
        copy = strdup(text);
        if (!copy)
            return PULSE_ERR_NOMEM;
    }
    long i = find(p, scope, user);
    struct pulse_entry *e;
    if (i >= 0) {
        e = &p->entries[i];
        free(e->text);
        if (replaced)
            *replaced = true;
    } else {
        pulse_err r = reserve(p);
        if (r != PULSE_OK) {
            free(copy);
            return r;
        }
        e = &p->entries[p->n++];
        memset(e, 0, sizeof *e);
        set_id(e->scope, scope);
        set_id(e->user, user);
        e->seq = p->next_seq++;
        e->key = key_of(scope, user);
    }
    e->usefulness = usefulness;
    e->will_apply = will_apply;
    e->text = copy;
    e->submitted_ms = now_ms;
    return PULSE_OK;
}

size_t pulse_forget_user(struct pulse *p, const char *user)
{
    if (!id_ok(user))
        return 0;
    size_t kept = 0, gone = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (strcmp(p->entries[i].user, user) == 0) {
            free(p->entries[i].text);
            gone++;
        } else {
            p->entries[kept++] = p->entries[i];
        }
    }
    p->n = kept;
    return gone;
}

const struct pulse_entry *pulse_find(const struct pulse *p, const char *scope,
                                     const char *user)
{
    if (!id_ok(scope) || !id_ok(user))
        return NULL;
    long i = find(p, scope, user);
    return i < 0 ? NULL : &p->entries[i];
}

void pulse_stats(const struct pulse *p, const char *scope,
                 struct pulse_stats *out)
{
    memset(out, 0, sizeof *out);
    long sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct pulse_entry *e = &p->entries[i];
        if (scope && strcmp(e->scope, scope) != 0)
            continue;
        out->count++;
        out->histogram[e->usefulness - 1]++;
        sum += e->usefulness;
        out->will_apply += e->will_apply;
        out->comments += e->text != NULL;
    }
    if (out->count) {
        out->mean_usefulness = (double)sum / (double)out->count;
        out->will_apply_share = (double)out->will_apply / (double)out->count;
    }
}

size_t pulse_scopes(const struct pulse *p, const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(p->entries[j].scope, p->entries[i].scope) == 0;
        if (seen)
            continue;
        if (out && n < max)
            out[n] = p->entries[i].scope;
        n++;
    }
    return n;
}

/* ---- CSV --------------------------------------------------------------- */

struct csv {
    char *buf;
    size_t cap, len;
};

static void put(struct csv *w, const char *s, size_t n)
{
    if (w->buf && w->len < w->cap) {
        size_t room = w->cap - w->len;
        memcpy(w->buf + w->len, s, n < room ? n : room);
    }
    w->len += n;
}

/* One text cell, quoted when RFC 4180 requires it. */
static void put_cell(struct csv *w, const char *s, unsigned flags)
{
    size_t n = strlen(s);
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    bool formula =
        (flags & PULSE_CSV_NEUTRALISE) && n && strchr("=+-@\t\r", s[0]) != NULL;
    if (quote)
        put(w, "\"", 1);
    if (formula)
        put(w, "'", 1);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            put(w, "\"", 1);
        put(w, &s[i], 1);
    }
    if (quote)
        put(w, "\"", 1);
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* UTC calendar date of a day count since 1970-01-01 (proleptic Gregorian;
 * H. Hinnant's civil_from_days). */
static void civil(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static void put_time(struct csv *w, int64_t ms)
{
    char t[48];
    int64_t secs = floor_div(ms, 1000);
    int64_t days = floor_div(secs, 86400), sod = secs - days * 86400;
    int64_t y;
    int m, d;
    civil(days, &y, &m, &d);
    int n = snprintf(t, sizeof t, "%04lld-%02d-%02dT%02d:%02d:%02dZ",
                     (long long)y, m, d, (int)(sod / 3600),
                     (int)(sod / 60 % 60), (int)(sod % 60));
    put(w, t, (size_t)n);
}

static void put_row(struct csv *w, const struct pulse *p,
                    const struct pulse_entry *e, unsigned flags)
{
    char num[4] = {(char)('0' + e->usefulness), 0};
    put_cell(w, p->session, flags);
    put(w, ",", 1);
    put_cell(w, e->scope, flags);
    put(w, ",", 1);
    if (!(flags & PULSE_CSV_ANONYMOUS))
        put_cell(w, e->user, flags);
    put(w, ",", 1);
    put_time(w, e->submitted_ms);
    put(w, ",", 1);
    put(w, num, 1);
    put(w, e->will_apply ? ",yes," : ",no,", e->will_apply ? 5 : 4);
    put_cell(w, e->text ? e->text : "", flags);
    put(w, "\r\n", 2);
}

pulse_err pulse_csv(const struct pulse *p, unsigned flags, char *buf,
                    size_t cap, size_t *len)
{
    struct csv w = {buf, buf ? cap : 0, 0};
    if (flags & PULSE_CSV_HEADER) {
        static const char hdr[] = "session,scope,user,submitted_at,"
                                  "usefulness,will_apply,comment\r\n";
        put(&w, hdr, sizeof hdr - 1);
    }
    for (size_t i = 0; i < p->n; i++)
        put_row(&w, p, &p->entries[i], flags);
    if (len)
        *len = w.len;
    return w.len <= w.cap ? PULSE_OK : PULSE_ERR_NOSPACE;
}
